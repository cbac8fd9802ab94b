import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment, MongoDbConnection } from '../src';

/** The account and region of the test stacks: ALB access logs need a concrete region. */
export const ENV = { account: '111111111111', region: 'us-east-1' };

export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';

/** The props every test starts from: a dev deployment with an imported certificate and MongoDB Atlas. */
export function baseProps(scope: Construct, overrides: Partial<ArculusFidoStackProps> = {}): ArculusFidoStackProps {
  return {
    deploymentEnvironment: DeploymentEnvironment.DEV,
    domain: {
      domainName: 'auth.example.com',
      certificate: acm.Certificate.fromCertificateArn(scope, 'ImportedCertificate', CERTIFICATE_ARN),
    },
    mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
    ...overrides,
  };
}

/**
 * A deployment as a security reviewer synthesizes it, in `app`: a concrete account and region, a
 * DNS-validated certificate, a created DocumentDB cluster and a pinned image tag, then `props`.
 */
export function addReviewedStack(app: App, id: string, props: Partial<ArculusFidoStackProps> = {}): ArculusFidoStack {
  const imports = new Stack(app, 'Imports', { env: ENV });
  return new ArculusFidoStack(app, id, {
    env: ENV,
    deploymentEnvironment: DeploymentEnvironment.DEV,
    domain: {
      domainName: 'auth.example.com',
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'example.com' }),
    },
    mongoDb: MongoDbConnection.documentDb(),
    images: { tag: '1.0.0' },
    ...props,
  });
}

export interface Synthesized {
  readonly app: App;
  readonly stack: ArculusFidoStack;
  readonly template: Template;
}

/** Synthesizes one `ArculusFidoStack` from the base props with `overrides`, in an app with `context` (feature flags). */
export function synth(
  overrides: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>) = {},
  context: Record<string, unknown> = {},
): Synthesized {
  const app = new App({ context });
  // Imported resources (certificate, secrets, zones) live in a stack of their own, as in a real app.
  const imports = new Stack(app, 'Imports', { env: ENV });
  const given = typeof overrides === 'function' ? overrides(imports) : overrides;
  const stack = new ArculusFidoStack(app, 'Fido', { env: ENV, ...baseProps(imports, given) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The error message the construct throws for `overrides`, or `undefined` if it synthesizes. */
export function synthError(overrides: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>)): string | undefined {
  try {
    synth(overrides);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** Warnings with `id` attached to the stack's constructs. */
export function warnings(stack: ArculusFidoStack, id: string): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(`\\[ack: ${id}\\]`))
    .map((w) => String(w.entry.data));
}

/** The logical ID of the only resource of `type` whose properties match `props`. */
export function logicalId(template: Template, type: string, props: object = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  }
  return found[0];
}

/** The container definition named `name` in the template. */
export function containerDefinition(template: Template, name: string): any {
  const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  for (const td of taskDefinitions) {
    const container = td.Properties.ContainerDefinitions.find((c: any) => c.Name === name);
    if (container) {
      return { ...container, taskDefinition: td.Properties };
    }
  }
  throw new Error(`no container named ${name}`);
}
