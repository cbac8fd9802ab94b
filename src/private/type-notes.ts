import { SecretValue } from 'aws-cdk-lib';

// What the API model (the jsii assembly) cannot know about a prop's type, by the type's fqn: the
// one table of it. A prop's check is derived from its type in the model (src/private/schema.ts,
// `struct`); a type is described from its fqn ('an elbv2.SslPolicy', 'a kms.IKey') unless it is
// noted here. Checks that are not types (ranges, formats, an enum's values with a message of
// their own) live in check-props.ts and the building blocks.

export interface TypeNote {
  /** What a message says a value must be, with an example of how to make one. */
  readonly expected?: string;
  /** The members an object must offer, instead of those the model chose (`name` a method, `name:type` a property). */
  readonly members?: readonly string[];
  /** The test of a value, instead of its members. */
  readonly test?: (value: any) => boolean;
  /**
   * An enum whose values are checked with a message of their own at the named place: its type
   * check only asks for the type of its values (a string, a number).
   */
  readonly valuesCheckedBy?: string;
}

export const TYPE_NOTES: { readonly [fqn: string]: TypeNote } = {
  'arculus-fido-cdk.DeploymentEnvironment': { valuesCheckedBy: 'checkNames (check-props.ts)' },
  'arculus-fido-cdk.IFidoImageRepositories': { expected: 'an IFidoImageRepositories such as a FidoImageRepositories' },
  'arculus-fido-cdk.MongoDbConnection': {
    expected: 'a MongoDbConnection from MongoDbConnection.fromEndpoint(), .fromSecret() or .documentDb()',
    // Both its methods, where the model takes one: the deployment calls validate() before bind().
    members: ['bind', 'validate'],
  },
  'aws-cdk-lib.Duration': { expected: 'a Duration such as Duration.seconds(30)', members: ['toSeconds', 'toHumanString', 'isUnresolved'] },
  'aws-cdk-lib.RemovalPolicy': { expected: 'a RemovalPolicy (RemovalPolicy.RETAIN, SNAPSHOT or DESTROY)' },
  'aws-cdk-lib.SecretValue': {
    expected: "a SecretValue such as SecretValue.secretsManager('name', { jsonField: 'password' })",
    test: (value) => SecretValue.isSecretValue(value),
  },
  'aws-cdk-lib.aws_certificatemanager.ICertificate': { expected: 'an acm.ICertificate, e.g. acm.Certificate.fromCertificateArn(...)' },
  'aws-cdk-lib.aws_ec2.IPeer': { expected: "an ec2.IPeer such as ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.prefixList(...) or a security group" },
  'aws-cdk-lib.aws_ec2.ISubnet': { expected: 'an ec2.ISubnet, e.g. ec2.Subnet.fromSubnetId(...)' },
  'aws-cdk-lib.aws_ec2.IVpc': { expected: 'an ec2.IVpc, e.g. ec2.Vpc.fromLookup(...)' },
  'aws-cdk-lib.aws_ec2.InstanceType': { expected: 'an ec2.InstanceType such as ec2.InstanceType.of(InstanceClass.R6G, InstanceSize.LARGE)' },
  'aws-cdk-lib.aws_ec2.SubnetSelection': {
    expected: 'an ec2.SubnetSelection object such as { subnetType: ec2.SubnetType.PUBLIC } or { subnets: [subnet, ...] } (not a list of subnet IDs: wrap them with ec2.Subnet.fromSubnetId)',
  },
  'aws-cdk-lib.aws_ecs.ContainerImage': { expected: 'an ecs.ContainerImage, e.g. ecs.ContainerImage.fromRegistry(...)' },
  'aws-cdk-lib.aws_ecs.CpuArchitecture': {
    expected: 'an ecs.CpuArchitecture such as CpuArchitecture.ARM64',
    // Its members are private, so the assembly lists none.
    members: ['_cpuArchitecture:string'],
  },
  'aws-cdk-lib.aws_ecs.DeploymentStrategy': { expected: 'an ecs.DeploymentStrategy such as DeploymentStrategy.BLUE_GREEN' },
  'aws-cdk-lib.aws_ecs.IBaseService': { expected: 'an ecs.IBaseService such as an ecs.FargateService' },
  'aws-cdk-lib.aws_ecs.Secret': { expected: 'an ecs.Secret, e.g. ecs.Secret.fromSecretsManager(secret, field)' },
  'aws-cdk-lib.aws_logs.RetentionDays': { valuesCheckedBy: 'checkRetention (check-props.ts)' },
  'aws-cdk-lib.aws_route53.IHostedZone': { expected: 'a route53.IHostedZone, e.g. route53.HostedZone.fromLookup(...)' },
  'aws-cdk-lib.aws_secretsmanager.HostedRotation': { expected: 'a secretsmanager.HostedRotation such as HostedRotation.mongoDbSingleUser({ vpc })' },
  'aws-cdk-lib.aws_secretsmanager.RotationScheduleOptions': {
    expected: 'a secretsmanager.RotationScheduleOptions object such as { rotationLambda: fn, automaticallyAfter: Duration.days(30) }',
  },
};

/** The module aliases the README and the messages use, where they are not the submodule's name less `aws_`. */
const ALIASES: { readonly [submodule: string]: string } = {
  aws_elasticloadbalancingv2: 'elbv2',
  aws_certificatemanager: 'acm',
};

/** How a message names the type `fqn`: `elbv2.SslPolicy`, `Duration`, `DeploymentEnvironment`. */
export function typeName(fqn: string): string {
  const parts = fqn.split('.').slice(1).filter((part) => part !== 'interfaces');
  const name = parts.pop()!;
  const submodule = parts.find((part) => /^[a-z]/.test(part));
  return submodule ? `${ALIASES[submodule] ?? submodule.replace(/^aws_/, '')}.${name}` : name;
}

/** `a` or `an` before `name`, as it is read (`an s3.IBucket`, `an sns.ITopic`, `a kms.IKey`). */
export function article(name: string): string {
  return /^([aeiou]|s3\.|sns\.|sqs\.|ssm\.|rds\.)/i.test(name) ? 'an' : 'a';
}
