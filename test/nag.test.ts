import { Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment, MongoDbConnection, NatType } from '../src';
import { Finding, runNag } from './nag-report';
import { addReviewedStack, everyScaling, givenVpc, importsStack, once } from './util';

interface Checked {
  readonly findings: Finding[];
  readonly stack: ArculusFidoStack;
  /** Every template the app wrote, by file name: the deployment's, its nested stacks' and the imports'. */
  readonly templates: Record<string, any>;
}

/** A deployment as a security reviewer synthesizes it, judged by the rule packs: every finding nobody acknowledged. */
function check(props: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>)): Checked {
  // Resources the props import live in a stack of their own, as in a real app.
  const { findings, built, templates } = runNag((app) => addReviewedStack(app, 'Fido', typeof props === 'function' ? props(importsStack(app, 'UserImports')) : props));
  return { findings, stack: built, templates };
}

/**
 * Every acknowledgement recorded in the tree: the construct, the rule and the reason. Newer
 * aws-cdk-lib runs template rules of its own and acknowledges some of them on its own constructs
 * (CloudFormation-Validate::W3010 on a stack that reads its availability zones, F3002 and F3003 on
 * a VPC flow log): aws-cdk-lib's, not this library's, which acknowledges cdk-nag rules only, so
 * left out.
 */
function acknowledgements(root: IConstruct): Array<{ construct: IConstruct; rule: string; reason: string }> {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>)
      .filter(([rule]) => !rule.startsWith('CloudFormation-Validate::'))
      // aws-cdk-lib files acknowledgements without a source prefix under 'annotation::'.
      .map(([rule, reason]) => ({ construct, rule: rule.replace(/^annotation::/i, ''), reason }))));
}

const ENVIRONMENTS = [DeploymentEnvironment.DEV, DeploymentEnvironment.STAGING, DeploymentEnvironment.PROD];

/**
 * The options each preset is judged in beyond its defaults: flat (IPv4, rolling, NAT gateways and
 * the S3 gateway endpoint) with every scaling option; in nested stacks, dual-stack (IPv6 in the
 * created VPC, ::/0 admitted), with a blue/green PyFIDO and a canary
 * Tomcat with their deployment checks, ECS Exec on both, and NAT instances. Every preset meets both
 * shapes, with one synth each.
 */
const SHAPES: ReadonlyArray<[string, Partial<ArculusFidoStackProps>]> = [
  ['flat, IPv4, rolling, every scaling option', { nestedStacks: false }],
  ['nested, dual-stack, blue/green and canary with their checks, ECS Exec, NAT instances', {
    nestedStacks: true,
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
    network: { natType: NatType.INSTANCE },
    services: {
      pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN }, enableExecuteCommand: true },
      tomcat: { deployment: { strategy: ecs.DeploymentStrategy.CANARY }, enableExecuteCommand: true },
    },
  }],
];

/**
 * The condition keys that bind a service principal in a key policy to this account's resources:
 * the global source keys, or CloudWatch Logs' encryption context (the log group's ARN), which AWS
 * documents for it instead.
 */
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'kms:encryptioncontext:aws:logs:arn'];

/**
 * Each statement of a key policy in `templates` that lets an AWS service principal use the key
 * on behalf of anyone (a confused deputy): no condition on one of SOURCE_KEYS.
 */
function unboundServiceStatements(templates: Record<string, any>): string[] {
  return Object.entries(templates).flatMap(([file, template]) => Object.entries((template.Resources ?? {}) as Record<string, any>)
    .filter(([, resource]) => resource.Type === 'AWS::KMS::Key')
    .flatMap(([id, resource]) => (resource.Properties.KeyPolicy.Statement as any[])
      .filter((statement) => statement.Effect === 'Allow' && statement.Principal?.Service !== undefined)
      .filter((statement) => !Object.values(statement.Condition ?? {})
        .some((keys: any) => Object.keys(keys).some((key) => SOURCE_KEYS.includes(key.toLowerCase()))))
      .map((statement) => `${file} ${id} ${statement.Sid ?? ''}: ${JSON.stringify(statement.Principal.Service)}`)));
}

describe.each(ENVIRONMENTS)('cdk-nag on the %s preset', (environment) => {
  // The flat shape carries every scaling option too (test/util.ts everyScaling).
  const checked = Object.fromEntries(SHAPES.map(([shape, props]) => [shape, once(() => check({
    deploymentEnvironment: environment, ...props, ...(props.nestedStacks ? {} : { sizing: everyScaling(environment) }),
  }))]));

  test.each(SHAPES)('with DocumentDB, %s: every service principal in a key policy acts for this account\'s resources only', (shape) => {
    const { templates } = checked[shape]();
    expect(Object.values(templates).some((t) => Object.values(t.Resources ?? {}).some((r: any) => r.Type === 'AWS::KMS::Key'))).toBe(true);
    expect(unboundServiceStatements(templates)).toEqual([]);
  });

  test.each(SHAPES)('with DocumentDB, %s: no unacknowledged finding', (shape, props) => {
    const { findings, stack } = checked[shape]();
    expect(findings).toEqual([]);
    if (props.nestedStacks) {
      // The check function's own findings, on each of the two functions: nothing acknowledged wider.
      const checks = acknowledgements(stack).filter((a) => a.construct.node.id === 'DeploymentCheck');
      expect(new Set(checks.map((a) => a.construct.node.path))).toEqual(new Set(['Fido/Fido/ServicesStack/PyFido/DeploymentCheck', 'Fido/Fido/ServicesStack/Tomcat/DeploymentCheck']));
      // The NAT instances' findings, on each instance alone: one in dev and staging, one per AZ in prod.
      const nat = acknowledgements(stack).filter((a) => a.construct.node.id === 'NatInstance');
      expect(new Set(nat.map((a) => a.rule))).toEqual(new Set(['AwsSolutions-EC28', 'AwsSolutions-EC29', 'NIST.800.53.R5-EC2InstanceNoPublicIp', 'NIST.800.53.R5-EC2InstancesInVPC']));
      expect(new Set(nat.map((a) => a.construct.node.path)).size).toBe(environment === DeploymentEnvironment.PROD ? 2 : 1);
    }

    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      // On the construct the finding concerns, never on an app, stage or stack.
      expect(Stage.isStage(ack.construct) || Stack.isStack(ack.construct)).toBe(false);
      expect(ack.construct.node.path.startsWith('Fido/')).toBe(true);
      expect(ack.rule).toMatch(/^(AwsSolutions|NIST\.800\.53\.R5)-/);
      // A reason a reviewer can act on, not a placeholder.
      expect(ack.reason.length).toBeGreaterThan(60);
    }
  });
});

describe('cdk-nag on other shapes of deployment', () => {
  test('MongoDB Atlas with a customer-managed key and ECS Exec: no unacknowledged finding, and no key finding acknowledged', () => {
    const { findings, stack } = check({
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
      encryption: { customerManagedKey: true },
      waf: { enabled: true },
      services: { tomcat: { enableExecuteCommand: true } },
    });
    expect(findings).toEqual([]);
    const rules = acknowledgements(stack).map((a) => a.rule);
    expect(rules).not.toContain('NIST.800.53.R5-CloudWatchLogGroupEncrypted');
    expect(rules).not.toContain('NIST.800.53.R5-SecretsManagerUsingKMSKey');
    expect(rules).not.toContain('NIST.800.53.R5-ALBWAFEnabled');
  });

  test('MongoDB Atlas rotated by the user\'s function, the application secret by hand: no unacknowledged finding, and rotation acknowledged on the application secret only', () => {
    const { findings, stack } = check((scope) => ({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1.0.0' },
      mongoDb: MongoDbConnection.fromEndpoint({
        host: 'cluster0.abcde.mongodb.net',
        username: 'fido',
        rotation: { rotationLambda: lambda.Function.fromFunctionArn(scope, 'AtlasRotation', 'arn:aws:lambda:us-east-1:111111111111:function:atlas-rotation') },
      }),
      secrets: { rotateApplicationSecret: false },
    }));
    expect(findings).toEqual([]);
    const rotationAcks = acknowledgements(stack).filter((a) => a.rule === 'AwsSolutions-SMG4' || a.rule === 'NIST.800.53.R5-SecretsManagerRotationEnabled');
    expect(new Set(rotationAcks.map((a) => a.construct.node.path))).toEqual(new Set(['Fido/Fido/Data/ApplicationSecret']));
  });

  /** Where the MongoDB secret's rotation is acknowledged: nowhere, when it rotates. */
  const mongoRotationAcks = (stack: ArculusFidoStack) => acknowledgements(stack)
    .filter((a) => (a.rule === 'AwsSolutions-SMG4' || a.rule === 'NIST.800.53.R5-SecretsManagerRotationEnabled') && a.construct.node.id === 'MongoDbSecret');

  test('a self-managed MongoDB rotated by AWS\'s multi-user function, in prod: no unacknowledged finding, and no rotation finding acknowledged on its secret', () => {
    const { findings, stack } = check((scope) => ({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      network: { vpc: givenVpc(scope) },
      mongoDb: MongoDbConnection.fromEndpoint({
        host: 'mongo.internal.example.com',
        username: 'fido',
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(scope, 'MongoDbGroup', 'sg-0123456789abcdef0'),
        masterSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, 'Admin', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mongo-admin-AbCdEf'),
      }),
    }));
    expect(findings).toEqual([]);
    expect(mongoRotationAcks(stack)).toEqual([]);
  });

  test('MongoDB Atlas rotated by the library\'s function, in prod with a customer-managed key: no unacknowledged finding, and no rotation finding acknowledged on its secret', () => {
    const { findings, stack } = check((scope) => ({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      mongoDb: MongoDbConnection.fromEndpoint({
        host: 'cluster0.abcde.mongodb.net',
        username: 'fido',
        atlasRotation: { projectId: '0123456789abcdef01234567', apiSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'AtlasApi', 'atlas-api') },
      }),
    }));
    expect(findings).toEqual([]);
    expect(mongoRotationAcks(stack)).toEqual([]);
    expect(stack.deployment.dataLayer.mongoDbRotationFunction).toBeDefined();
  });

  test('what a user turns off in prod is reported, not acknowledged for them', () => {
    const { findings } = check({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      waf: { enabled: false },
      loadBalancer: { accessLogs: false, deletionProtection: false },
    });
    expect(findings.map((f) => f.rule).sort()).toEqual([
      'AwsSolutions-ELB2',
      'NIST.800.53.R5-ALBWAFEnabled',
      'NIST.800.53.R5-ELBDeletionProtectionEnabled',
      'NIST.800.53.R5-ELBLoggingEnabled',
    ]);
    expect(new Set(findings.map((f) => f.path))).toEqual(new Set(['Fido/Fido/LoadBalancer/LoadBalancer/Resource']));
  });
});
