import * as fs from 'fs';
import { App, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { MongoDbConnection } from '../data/mongodb-connection';
import { ArculusFidoStack, ArculusFidoStackProps } from '../deployment/arculus-fido-stack';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import { closest } from '../private/nearest';

// The deployment guide's parameters file ("Step 3: Configure Parameters"), read as the props of
// one ArculusFidoStack: its eleven parameters, a hosted zone, and the library options a guide
// user needs, under keys of the same style. Not API: only the app (main.ts) uses it.

/** A user's mistake: printed as it is, without a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** What a parameters file says, each value of its form, before anything is built. */
export interface GuideParameters {
  readonly file: string;
  readonly environment: DeploymentEnvironment;
  readonly applicationName?: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly certificateArn?: string;
  readonly domainName: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  readonly mongoDbHost: string;
  readonly mongoDbUsername: string;
  readonly mongoDbPort?: number;
  readonly mongoDbPasswordSecretArn?: string;
  readonly imageTag?: string;
  readonly stackName?: string;
  readonly nestedStacks?: boolean;
  readonly allowedIngress?: string[];
  readonly wafEnabled?: boolean;
  readonly logRetentionDays?: number;
  readonly customerManagedKey?: boolean;
}

/** The account and region the stack deploys to, from the CDK CLI. */
export interface GuideEnvironment {
  readonly account: string;
  readonly region: string;
}

/** The process environment, or what a test gives for it. */
export type Variables = { readonly [name: string]: string | undefined };

type Value = string | number | boolean | string[];
type Form = 'string' | 'list' | 'integer' | 'boolean';

/** One key of the file: its form, whether it is required, what it is, and a check of its value. */
interface KeySpec {
  readonly form: Form;
  readonly required?: boolean;
  /** What the key holds, for the message of a missing or malformed value. */
  readonly what: string;
  /** The prop it becomes, to name the key in the library's own errors. */
  readonly props?: string[];
  /** A problem with a value of the right form, or undefined; `show` is how the message may show a value. */
  readonly check?: (value: any, show: Show) => string | undefined;
}

/** How a message shows a value of one key: quoted, or not at all (`shownAs`). */
type Show = (value: string) => string;

const ID_HEX = '([0-9a-f]{8}|[0-9a-f]{17})';
const VPC_ID = new RegExp(`^vpc-${ID_HEX}$`);
const SUBNET_ID = new RegExp(`^subnet-${ID_HEX}$`);
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ENVIRONMENTS = Object.values(DeploymentEnvironment) as string[];
const RETENTION_DAYS = (Object.values(logs.RetentionDays).filter((v) => typeof v === 'number') as number[]).sort((a, b) => a - b);

/**
 * Whether a key may hold a secret, so that no message ever shows its value: its name, in any case,
 * holds password, passwd, passphrase, passcode, pwd, secret, token, credential or key. Judged by
 * the name alone, for keys of the file (MongoDBPassword, MongoDBPasswordSecretArn, where a pasted
 * password lands, and CustomerManagedKey) and unknown ones alike: a value not shown costs a
 * clearer message at most, a value shown may put a password in a CI log.
 */
export function secretBearing(key: string): boolean {
  return /passw(or)?d|passphrase|passcode|pwd|secret|token|credential|key/i.test(key);
}

/** How the messages about `key` show one of its values. */
function shownAs(key: string): Show {
  return secretBearing(key) ? () => `a value that is not shown (${key} may hold a secret)` : quote;
}

function pattern(re: RegExp, example: string): (value: string, show: Show) => string | undefined {
  return (value, show) => (re.test(value) ? undefined : `must be ${example}, got ${show(value)}`);
}

function eachItem(check: (value: string, show: Show) => string | undefined): (values: string[], show: Show) => string | undefined {
  return (values, show) => {
    const problems = values.map((value) => check(value, show)).filter((p) => p !== undefined);
    const repeated = values.filter((v, i) => values.indexOf(v) !== i);
    if (repeated.length > 0) {
      problems.push(`lists ${[...new Set(repeated)].map(show).join(', ')} more than once`);
    }
    return problems.length ? problems.join('; ') : undefined;
  };
}

function ipv4Cidr(value: string, show: Show): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const ok = match && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
  return ok ? undefined : `each item must be an IPv4 CIDR such as '203.0.113.0/24' (0.0.0.0/0 for any client), got ${show(value)}`;
}

/** Every key the file may hold, in the guide's order, then the hosted zone, then the options. */
const KEYS: { readonly [key: string]: KeySpec } = {
  Environment: {
    form: 'string',
    required: true,
    what: `the deployment environment, one of ${ENVIRONMENTS.join(', ')}`,
    props: ['deploymentEnvironment'],
    check: (v: string, show: Show) => {
      if (ENVIRONMENTS.includes(v)) return undefined;
      const near = ENVIRONMENTS.find((e) => e === v.toLowerCase());
      return `must be one of ${ENVIRONMENTS.join(', ')}, got ${show(v)}${near ? `; did you mean '${near}'?` : ''}`;
    },
  },
  ApplicationName: {
    form: 'string',
    what: "the resource naming prefix, e.g. 'arculus-auth' (the default)",
    props: ['applicationName'],
  },
  VpcId: {
    form: 'string',
    required: true,
    what: "the ID of the existing VPC, e.g. 'vpc-0123456789abcdef0'",
    props: ['network.vpc'],
    check: pattern(VPC_ID, "a VPC ID such as 'vpc-0123456789abcdef0'"),
  },
  PrivateSubnets: {
    form: 'list',
    required: true,
    what: "the tasks' subnets, comma-separated subnet IDs of VpcId in two or more AZs",
    props: ['network.privateSubnets'],
    check: eachItem(pattern(SUBNET_ID, "a subnet ID such as 'subnet-0123456789abcdef0'")),
  },
  PublicSubnets: {
    form: 'list',
    required: true,
    what: "the load balancer's subnets, comma-separated public subnet IDs of VpcId in two or more AZs",
    props: ['network.publicSubnets'],
    check: eachItem(pattern(SUBNET_ID, "a subnet ID such as 'subnet-0123456789abcdef0'")),
  },
  CertificateArn: {
    form: 'string',
    what: 'the ARN of the ACM certificate of DomainName, in the stack\'s region',
    props: ['domain.certificate'],
    check: pattern(CERTIFICATE_ARN, "an ACM certificate ARN such as 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-...'"),
  },
  DomainName: {
    form: 'string',
    required: true,
    what: "the application's domain, e.g. 'auth.example.com'",
    props: ['domain.domainName'],
  },
  MongoDBHost: {
    form: 'string',
    required: true,
    what: "the database host name, e.g. 'cluster0.abcde.mongodb.net'",
    props: ['mongoDb.host'],
  },
  MongoDBUsername: {
    form: 'string',
    required: true,
    what: 'the database user the services log in as',
    props: ['mongoDb.username'],
  },
  MongoDBPassword: {
    form: 'string',
    what: 'refused: see MongoDBPasswordSecretArn',
  },
  ImageTag: {
    form: 'string',
    what: "the tag of both images in ECR, e.g. '1.4.2' (default 'latest')",
    props: ['images.tag'],
  },
  HostedZoneId: {
    form: 'string',
    what: "the ID of DomainName's public hosted zone, e.g. 'Z0123456789ABCDEFGHIJ'",
    props: ['domain.hostedZone'],
    check: pattern(HOSTED_ZONE_ID, "a Route 53 hosted zone ID such as 'Z0123456789ABCDEFGHIJ'"),
  },
  HostedZoneName: {
    form: 'string',
    what: "the name of that zone, e.g. 'example.com'",
    props: ['domain.hostedZone'],
  },
  StackName: {
    form: 'string',
    what: 'the CloudFormation stack name (default <ApplicationName>-<Environment>)',
    check: pattern(STACK_NAME, 'a CloudFormation stack name: a letter, then letters, digits and hyphens, up to 128 characters'),
  },
  NestedStacks: {
    form: 'boolean',
    what: 'true for the network, data and services in three nested stacks (default false)',
    props: ['nestedStacks'],
  },
  AllowedIngress: {
    form: 'list',
    what: "comma-separated IPv4 CIDRs admitted to ports 443, 5001 and 8080 (default '0.0.0.0/0')",
    props: ['network.allowedIngress'],
    check: eachItem(ipv4Cidr),
  },
  WafEnabled: {
    form: 'boolean',
    what: 'true for an AWS WAF web ACL in front of the load balancer (default true in prod)',
    props: ['waf.enabled'],
  },
  LogRetentionDays: {
    form: 'integer',
    what: 'days the logs are kept (default 7, 30, 90 in dev, staging, prod)',
    props: ['logging.retention'],
    check: (v: number) => (RETENTION_DAYS.includes(v) ? undefined
      : `must be a period CloudWatch Logs accepts: ${RETENTION_DAYS.slice(0, -1).join(', ')} or ${RETENTION_DAYS[RETENTION_DAYS.length - 1]} (never expire) days, got ${v}`),
  },
  CustomerManagedKey: {
    form: 'boolean',
    what: 'true for one customer-managed KMS key for logs, secrets and database (default true in prod, false in dev and staging)',
    props: ['encryption.customerManagedKey'],
  },
  MongoDBPort: {
    form: 'integer',
    what: 'the database port (default 27017)',
    props: ['mongoDb.port'],
    check: (v: number) => (v >= 1 && v <= 65535 ? undefined : `must be a TCP port from 1 to 65535, got ${v}`),
  },
  MongoDBPasswordSecretArn: {
    form: 'string',
    what: "the ARN of a Secrets Manager secret that holds the database password as plain text (default: a password is generated into the deployment's MongoDB secret)",
    props: ['mongoDb.password'],
    check: pattern(SECRET_ARN, "a Secrets Manager secret ARN such as 'arn:aws:secretsmanager:us-east-1:111111111111:secret:arculus-auth/prod/mongodb-password-AbCdEf'"),
  },
};

/** Keys people write that are not read from the file, and why. */
const NOT_HERE: { readonly [lowercaseKey: string]: string } = {
  account: 'is not read from the file: the CDK CLI deploys to the account of your AWS credentials (choose them with --profile)',
  region: 'is not read from the file: the CDK CLI deploys to the region of your AWS profile (choose it with --profile, or AWS_REGION)',
};

/** The parameters the guide's table lists, for the README and the tests. */
export const GUIDE_KEYS = [
  'Environment', 'ApplicationName', 'VpcId', 'PrivateSubnets', 'PublicSubnets', 'CertificateArn', 'DomainName',
  'MongoDBHost', 'MongoDBUsername', 'MongoDBPassword', 'ImageTag',
] as const;

/** Every key the file may hold. */
export const ALL_KEYS: readonly string[] = Object.keys(KEYS);

/** Problems with a file (or with what runs it), each naming its key; thrown as one error. */
class Problems {
  public readonly all: string[] = [];
  /** Whether a problem is not the file's own: the command line or the environment. */
  public outsideTheFile = false;
  public add(key: string, message: string): void {
    this.all.push(`${key}: ${message}`);
  }
  public addOutside(key: string, message: string): void {
    this.outsideTheFile = true;
    this.add(key, message);
  }
  /** The one error, naming the file and every problem. */
  public error(file: string): UserError {
    const count = this.all.length === 1 ? '1 problem' : `${this.all.length} problems`;
    const head = this.outsideTheFile ? `nothing was synthesized from ${file}, ${count}:` : `${file} has ${count}; nothing was synthesized:`;
    return new UserError(`${head}\n${this.all.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The most a parameters file may hold: a few dozen short values take a few kilobytes. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The text of `file`, or undefined when it holds more than MAX_FILE_BYTES, of which no more is
 * read: a wrong path (a log, an image, /dev/zero) is refused rather than read whole.
 */
function readCapped(file: string): string | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    return length > MAX_FILE_BYTES ? undefined : buffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the parameters file at `file` and the account and region from `vars` (the process
 * environment, where the CDK CLI puts them). Every problem of both is thrown as one error.
 */
export function loadGuide(file: string, vars: Variables): { parameters: GuideParameters; environment: GuideEnvironment } {
  const problems = new Problems();
  let text: string | undefined;
  try {
    text = readCapped(file);
    if (text === undefined) {
      problems.addOutside('--parameters', `${file} is larger than 1 MiB (${MAX_FILE_BYTES} bytes), the most a parameters file may be (it holds a few dozen short values); check that --parameters names the parameters file`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.addOutside('--parameters', code === 'ENOENT'
      ? `${file} does not exist (relative paths start at ${process.cwd()}); give the path of the parameters file, e.g. --parameters parameters/prod.json`
      : `cannot read ${file}: ${(e as Error).message}`);
  }
  const parameters = text === undefined ? undefined : checkParameters(problems, text, file, vars.CDK_DEFAULT_REGION);
  const environment = checkEnvironment(problems, vars);
  if (problems.all.length > 0 || !parameters || !environment) {
    throw problems.error(file);
  }
  return { parameters, environment };
}

/** Parses and checks the text of a parameters file; throws one error naming every problem. */
export function parseParameters(text: string, file: string): GuideParameters {
  const problems = new Problems();
  const parameters = checkParameters(problems, text, file);
  if (problems.all.length > 0 || !parameters) {
    throw problems.error(file);
  }
  return parameters;
}

function checkParameters(problems: Problems, text: string, file: string, region?: string): GuideParameters | undefined {
  let json: unknown;
  const unmarked = text.replace(/^\uFEFF/, '');
  try {
    json = JSON.parse(unmarked);
  } catch (e) {
    problems.add('JSON', jsonError(unmarked, (e as Error).message));
    return undefined;
  }
  const entries = entriesOf(problems, json);
  if (!entries) {
    return undefined;
  }
  const values = new Map<string, Value>();
  const seen = new Set<string>();
  for (const [key, raw] of entries) {
    // Own keys only: "constructor" or "__proto__" in a file is a key like any other, not Object's.
    const spec = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (!spec) {
      problems.add(key, unknownKey(key));
    } else if (seen.has(key)) {
      problems.add(key, 'is given more than once; keep one');
    } else {
      seen.add(key);
      const value = valueOf(problems, key, spec, raw);
      if (value !== undefined) {
        values.set(key, value);
      }
    }
  }
  // Given: a value that is not empty, well-formed or not (a malformed one has its problem already).
  const given = new Set(entries.filter(([, raw]) => !isEmpty(raw)).map(([key]) => key));
  if (given.has('MongoDBPassword')) {
    problems.add('MongoDBPassword', passwordRefused(values, region));
  }
  checkCombinations(problems, given);
  const secretRegion = SECRET_ARN.exec(String(values.get('MongoDBPasswordSecretArn') ?? ''))?.[1];
  if (region && secretRegion && secretRegion !== region) {
    problems.add('MongoDBPasswordSecretArn', `is in ${secretRegion}, but the stack deploys to ${region}, and CloudFormation resolves secrets of its own region only; create the secret in ${region} (aws secretsmanager create-secret --region ${region} ...)`);
  }
  const environment = values.get('Environment');
  const applicationName = values.get('ApplicationName');
  if (!given.has('StackName') && environment !== undefined && applicationName !== undefined && !STACK_NAME.test(`${applicationName}-${environment}`)) {
    problems.add('ApplicationName', `names the stack '${applicationName}-${environment}' (<ApplicationName>-<Environment>), which CloudFormation refuses; use lowercase letters, digits and single hyphens, starting with a letter, or give a StackName`);
  }
  for (const [key, spec] of Object.entries(KEYS)) {
    if (spec.required && !given.has(key)) {
      problems.add(key, `is required: ${spec.what}`);
    }
  }
  return problems.all.length > 0 ? undefined : toParameters(file, values);
}

/**
 * The file's (key, value) pairs, from either form: CloudFormation's list of `ParameterKey` and
 * `ParameterValue` (as `aws cloudformation create-stack --parameters file://...` reads it), or a
 * plain object of keys and values.
 */
function entriesOf(problems: Problems, json: unknown): Array<[string, unknown]> | undefined {
  const forms = 'a list of {"ParameterKey": ..., "ParameterValue": ...} entries (the form aws cloudformation create-stack --parameters file://... reads) or an object such as {"Environment": "prod", ...}';
  if (Array.isArray(json)) {
    const entries: Array<[string, unknown]> = [];
    json.forEach((entry, index) => {
      const where = `[${index}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        // Its kind only: the value of no key, it may be anything ('MongoDBPassword=...').
        problems.add(where, `must be an object {"ParameterKey": ..., "ParameterValue": ...}, got ${kindOf(entry)}; the file must be ${forms}`);
        return;
      }
      const { ParameterKey: key, ParameterValue: value, ...rest } = entry as { [field: string]: unknown };
      const name = typeof key === 'string' ? key : where;
      if (typeof key !== 'string' || key === '') {
        problems.add(where, `has no ParameterKey (a string naming the parameter), got ${describeJson(key)}`);
      }
      for (const field of Object.keys(rest)) {
        problems.add(name, field === 'UsePreviousValue'
          ? 'has UsePreviousValue, an update-stack option that keeps a deployed value: this app has no deployed value to keep; give ParameterValue'
          : `has the field ${field}; an entry takes only ParameterKey and ParameterValue`);
      }
      if (typeof key === 'string' && key !== '') {
        if (value === undefined) {
          problems.add(key, 'has no ParameterValue; give one, or remove the entry');
        } else {
          entries.push([key, value]);
        }
      }
    });
    return entries;
  }
  if (typeof json === 'object' && json !== null) {
    return Object.entries(json);
  }
  // Its kind only: a file of the wrong form may be any file, a password's too.
  problems.add('JSON', `the file must be ${forms}, got ${kindOf(json)}`);
  return undefined;
}

/** Whether a value is empty: null, or a string of blanks. */
function isEmpty(raw: unknown): boolean {
  return raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** The value of `key` in its form, or undefined (not given, or a problem recorded). */
function valueOf(problems: Problems, key: string, spec: KeySpec, raw: unknown): Value | undefined {
  if (isEmpty(raw) || key === 'MongoDBPassword') {
    // An empty value, as a filled-in template leaves it, is a value not given. A password is
    // refused after the loop, by a message that never echoes it.
    return undefined;
  }
  const show = shownAs(key);
  const value = coerce(spec.form, raw);
  if (value === undefined) {
    const got = secretBearing(key) ? `${kindOf(raw)} that is not shown (${key} may hold a secret)` : describeJson(raw);
    problems.add(key, `must be ${FORMS[spec.form]} (${spec.what}), got ${got}`);
    return undefined;
  }
  if (Array.isArray(value) && value.some((item) => item === '')) {
    problems.add(key, `has an empty item (two commas in a row, or one at an end), got ${show(value.join(','))}; separate the values with single commas`);
    return undefined;
  }
  const problem = spec.check?.(value, show);
  if (problem) {
    problems.add(key, problem);
    return undefined;
  }
  return value;
}

const FORMS: { readonly [form in Form]: string } = {
  string: 'a string',
  list: 'a comma-separated string',
  integer: 'a whole number',
  boolean: "true or false (or the strings 'true', 'false')",
};

/** `raw` in `form`; strings as CloudFormation parameter values hold them, or JSON's own types. */
function coerce(form: Form, raw: unknown): Value | undefined {
  switch (form) {
    case 'string':
      return typeof raw === 'string' ? raw.trim() : undefined;
    case 'list':
      if (Array.isArray(raw)) {
        return raw.every((item) => typeof item === 'string') ? raw.map((item: string) => item.trim()) : undefined;
      }
      return typeof raw === 'string' ? raw.split(',').map((item) => item.trim()) : undefined;
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') {
        return raw;
      }
      return typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()) ? raw.trim().toLowerCase() === 'true' : undefined;
  }
}

function checkCombinations(problems: Problems, given: Set<string>): void {
  if (given.has('HostedZoneId') !== given.has('HostedZoneName')) {
    const [has, lacks] = given.has('HostedZoneId') ? ['HostedZoneId', 'HostedZoneName'] : ['HostedZoneName', 'HostedZoneId'];
    problems.add(lacks, `is required with ${has}: the hosted zone takes both its ID and its name (aws route53 list-hosted-zones-by-name --dns-name <zone>)`);
  }
  if (!given.has('CertificateArn') && !given.has('HostedZoneId')) {
    problems.add('CertificateArn', 'is required unless HostedZoneId and HostedZoneName are given (then a DNS-validated certificate is created in that zone): the ARN of the ACM certificate of DomainName, in the stack\'s region');
  }
}

function toParameters(file: string, values: Map<string, Value>): GuideParameters {
  const get = <T extends Value>(key: string) => values.get(key) as T | undefined;
  return {
    file,
    environment: get<string>('Environment') as DeploymentEnvironment,
    applicationName: get('ApplicationName'),
    vpcId: get<string>('VpcId')!,
    privateSubnetIds: get<string[]>('PrivateSubnets')!,
    publicSubnetIds: get<string[]>('PublicSubnets')!,
    certificateArn: get('CertificateArn'),
    domainName: get<string>('DomainName')!,
    hostedZoneId: get('HostedZoneId'),
    hostedZoneName: get('HostedZoneName'),
    mongoDbHost: get<string>('MongoDBHost')!,
    mongoDbUsername: get<string>('MongoDBUsername')!,
    mongoDbPort: get('MongoDBPort'),
    mongoDbPasswordSecretArn: get('MongoDBPasswordSecretArn'),
    imageTag: get('ImageTag'),
    stackName: get('StackName'),
    nestedStacks: get('NestedStacks'),
    allowedIngress: get('AllowedIngress'),
    wafEnabled: get('WafEnabled'),
    logRetentionDays: get('LogRetentionDays'),
    customerManagedKey: get('CustomerManagedKey'),
  };
}

/**
 * Why a password in the file is refused, and the commands that store it and reference it
 * instead, with the file's own names where it gives them. Never the password itself.
 */
function passwordRefused(values: Map<string, Value>, region?: string): string {
  const name = `${values.get('ApplicationName') ?? 'arculus-auth'}/${values.get('Environment') ?? 'prod'}/mongodb-password`;
  return [
    'a password in the parameters file is refused: the template would carry it in plain text, readable by anyone who can',
    'read the stack, its template bucket or its change sets. Store it in Secrets Manager, in the region of the stack:',
    `\`aws secretsmanager create-secret${region ? ` --region ${region}` : ''} --name ${name} --secret-string '<the password>' --query ARN --output text\`,`,
    'then remove MongoDBPassword and give the ARN that command prints as MongoDBPasswordSecretArn: the template holds only',
    'a reference, which CloudFormation resolves while it deploys. Or leave MongoDBPassword out to have a password generated',
    'into the deployment\'s MongoDB secret, to set on the database user after the first deploy.',
  ].join(' ');
}

/** The account and region, which the CDK CLI sets from the AWS profile. */
function checkEnvironment(problems: Problems, vars: Variables): GuideEnvironment | undefined {
  const account = vars.CDK_DEFAULT_ACCOUNT;
  const region = vars.CDK_DEFAULT_REGION;
  const how = 'the stack needs its account and region to look the VPC up; run the app through the CDK CLI, which sets them from your AWS credentials and profile: npx cdk deploy --app "npx arculus-fido-app --parameters <file>"';
  const unset = [account ? undefined : 'CDK_DEFAULT_ACCOUNT', region ? undefined : 'CDK_DEFAULT_REGION'].filter((v) => v !== undefined);
  if (unset.length > 0) {
    problems.addOutside(unset.join(' and '), `${unset.length > 1 ? 'are' : 'is'} not set: ${how}`);
  }
  return account && region ? { account, region } : undefined;
}

/** The message of an unknown key, with the known key it most likely means. */
function unknownKey(key: string): string {
  const why = Object.hasOwn(NOT_HERE, key.toLowerCase()) ? NOT_HERE[key.toLowerCase()] : undefined;
  if (why) {
    return why;
  }
  const near = closest(key, ALL_KEYS);
  return `is not a parameter of this app, so it would be ignored; ${near ? `did you mean ${near}?` : `the parameters are ${ALL_KEYS.join(', ')}`}`;
}

/**
 * JSON.parse's complaint, at a line and column of the file, with the usual cause. Never the text
 * of the file, which V8 quotes around an unexpected token and which may be a secret's value (a
 * password left unquoted): that text only serves to find the line and column.
 */
function jsonError(text: string, message: string): string {
  const reason = /^Unexpected token\b/.test(message) ? 'an unexpected character'
    : message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '').replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does')
      .replace(/,? (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
  const position = errorPosition(text, message);
  if (position === undefined) {
    return `not valid JSON: ${reason}`;
  }
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const trailingComma = /,\s*$/.test(before) && /^\s*[}\]]/.test(text.slice(position));
  const hint = trailingComma ? ' (JSON takes no comma before a closing } or ])'
    : /^\s*'/.test(text.slice(position)) ? ' (JSON strings and keys take double quotes)'
      : text.trim() === '' ? ' (the file is empty)' : '';
  return `not valid at line ${line}, column ${column}: ${reason}${hint}`;
}

/**
 * Where in `text` JSON.parse failed: the position it names, or, where V8 (Node.js 20 and later)
 * quotes the text around an unexpected token instead (up to 10 characters either side, '...'
 * marking a cut), the token found in `text` by that quote.
 */
function errorPosition(text: string, message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) {
    return Number(at[1]);
  }
  if (message === 'Unexpected end of JSON input') {
    return text.length;
  }
  const quoted = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  const start = quoted ? text.indexOf(quoted[3]) : -1;
  if (!quoted || start < 0) {
    return undefined;
  }
  const [, token, cutBefore, context, cutAfter] = quoted;
  const from = cutBefore ? start + 10 : cutAfter ? start + context.length - 10 : start;
  const index = text.indexOf(token, from);
  return index < 0 ? undefined : index;
}

/** What a JSON value is, without the value: 'a string', 'a number', ... */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? quote(value) : String(value);
}

function quote(value: string): string {
  return `'${value}'`;
}

/** The CloudFormation stack name: StackName, or `<ApplicationName>-<Environment>`. */
export function stackNameOf(parameters: GuideParameters): string {
  return parameters.stackName ?? `${parameters.applicationName ?? 'arculus-auth'}-${parameters.environment}`;
}

/**
 * The props of the ArculusFidoStack the file describes. `scope` holds what the props import
 * (the looked-up VPC's subnets of other IDs, the certificate, the hosted zone).
 */
export function stackProps(scope: Construct, parameters: GuideParameters, vpc: ec2.IVpc, environment: GuideEnvironment): ArculusFidoStackProps {
  const p = parameters;
  return {
    env: environment,
    deploymentEnvironment: p.environment,
    ...(p.applicationName !== undefined ? { applicationName: p.applicationName } : {}),
    domain: {
      domainName: p.domainName,
      ...(p.certificateArn ? { certificate: acm.Certificate.fromCertificateArn(scope, 'Certificate', p.certificateArn) } : {}),
      ...(p.hostedZoneId && p.hostedZoneName ? {
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(scope, 'HostedZone', { hostedZoneId: p.hostedZoneId, zoneName: p.hostedZoneName }),
      } : {}),
    },
    mongoDb: MongoDbConnection.fromEndpoint({
      host: p.mongoDbHost,
      username: p.mongoDbUsername,
      ...(p.mongoDbPort !== undefined ? { port: p.mongoDbPort } : {}),
      ...(p.mongoDbPasswordSecretArn ? { password: SecretValue.secretsManager(p.mongoDbPasswordSecretArn) } : {}),
    }),
    network: {
      vpc,
      publicSubnets: subnetsOf(scope, vpc, p.publicSubnetIds, 'Public'),
      privateSubnets: subnetsOf(scope, vpc, p.privateSubnetIds, 'Private'),
      ...(p.allowedIngress ? { allowedIngress: p.allowedIngress.map((cidr) => ec2.Peer.ipv4(cidr)) } : {}),
    },
    ...(p.imageTag !== undefined ? { images: { tag: p.imageTag } } : {}),
    ...(p.wafEnabled !== undefined ? { waf: { enabled: p.wafEnabled } } : {}),
    ...(p.logRetentionDays !== undefined ? { logging: { retention: p.logRetentionDays as logs.RetentionDays } } : {}),
    ...(p.customerManagedKey !== undefined ? { encryption: { customerManagedKey: p.customerManagedKey } } : {}),
    ...(p.nestedStacks !== undefined ? { nestedStacks: p.nestedStacks } : {}),
  };
}

/**
 * The given subnets, as the looked-up VPC knows them (with their AZ and group, which the
 * deployment's checks judge: public subnets for the load balancer, others for the tasks, two or
 * more AZs each). An ID the VPC does not have is passed on as it is, for those checks to name.
 */
function subnetsOf(scope: Construct, vpc: ec2.IVpc, ids: string[], group: string): ec2.SubnetSelection {
  const known = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
  return {
    subnets: ids.map((id, i) => known.find((s) => s.subnetId === id) ?? ec2.Subnet.fromSubnetId(scope, `${group}Subnet${i}`, id)),
  };
}

/** The construct ID of the stack that holds the lookups and imports while the app is built. */
const LOOKUPS = 'ParametersFileLookups';

/**
 * Adds the stack the file describes to `app`, or, while the CDK CLI has yet to look the VPC up,
 * only the lookup: the CLI then looks it up and runs the app again. Returns the stack, if added.
 *
 * The VPC is looked up in a stack of its own, since an ArculusFidoStack takes its VPC in its
 * props; once the lookup has answered, that stack (which holds no resource, only imports whose
 * values are plain strings) leaves the app, so the cloud assembly holds one stack, as
 * `cdk deploy` without a stack name needs.
 */
export function addGuideStack(app: App, parameters: GuideParameters, environment: GuideEnvironment): ArculusFidoStack | undefined {
  const lookups = new Stack(app, LOOKUPS, { env: environment });
  // Empty while the lookup is pending: not a finding of the CloudFormation rules that newer
  // aws-cdk-lib runs under cdk init's flags.
  Validations.of(lookups).acknowledge({
    id: 'CloudFormation-Validate::F0001',
    reason: 'Holds the VPC lookup only: the CDK CLI looks the VPC up and runs the app again, which then synthesizes the deployment\'s stack alone',
  });
  const vpc = ec2.Vpc.fromLookup(lookups, 'Vpc', { vpcId: parameters.vpcId });
  if (vpc.vpcId !== parameters.vpcId) {
    // The lookup's placeholder (its ID is not of the form VpcId takes): the lookup is pending.
    return undefined;
  }
  const props = stackProps(lookups, parameters, vpc, environment);
  app.node.tryRemoveChild(LOOKUPS);
  try {
    return new ArculusFidoStack(app, stackNameOf(parameters), props);
  } catch (e) {
    if (!(e instanceof Error)) {
      throw e;
    }
    if (/^ArculusFidoDeployment '[^']*' has \d+ problems? in its props:/.test(e.message)) {
      throw new UserError(inTermsOfTheFile(parameters.file, e.message));
    }
    // aws-cdk-lib's own refusal of a value (its ValidationError): the value came from the file.
    throw e.name === 'ValidationError' ? new UserError(`${parameters.file}: ${e.message}`) : e;
  }
}

/** The key (or keys) each prop comes from, longest prop first, to name the keys in the library's messages. */
const PROP_KEYS: Array<[string, string]> = Object.entries(
  Object.entries(KEYS).reduce<{ [prop: string]: string[] }>((byProp, [key, spec]) => {
    (spec.props ?? []).forEach((prop) => (byProp[prop] ??= []).push(key));
    return byProp;
  }, {}),
).map(([prop, keys]): [string, string] => [prop, keys.join(' and ')]).sort(([a], [b]) => b.length - a.length);

/** The library's gathered error, each problem prefixed with the key of the file it comes from. */
export function inTermsOfTheFile(file: string, message: string): string {
  const lines = message.split('\n').map((line) => {
    const match = /^( {2}- )([A-Za-z.[\]0-9]+)(: .*)$/.exec(line);
    if (!match) {
      return line;
    }
    const [, lead, prop, rest] = match;
    const entry = PROP_KEYS.find(([p]) => prop === p || prop.startsWith(`${p}.`) || prop.startsWith(`${p}[`));
    return entry ? `${lead}${entry[1]} (${prop})${rest}` : line;
  });
  return `${file}: the deployment refuses these values:\n${lines.join('\n')}`;
}
