#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addGuideStack, loadGuide, UserError, Variables } from './parameters';

// The CDK app the npm package ships as the `arculus-fido-app` command: one ArculusFidoStack from
// the deployment guide's parameters file, with no TypeScript to write.
//
//   npx cdk deploy --app "npx arculus-fido-app --parameters parameters/prod.json"

const USAGE = `Usage: arculus-fido-app --parameters <file>

Synthesizes the Arculus FIDO2 deployment that a parameters file of the deployment guide describes,
as a CDK app. Run it through the CDK CLI, which looks up the VPC and deploys:

  npx cdk deploy --app "npx arculus-fido-app --parameters parameters/prod.json"

The file is CloudFormation's parameters list
  [{"ParameterKey": "Environment", "ParameterValue": "prod"}, ...]
or a JSON object
  {"Environment": "prod", ...}

Required: Environment, VpcId, PrivateSubnets, PublicSubnets, DomainName, MongoDBHost,
MongoDBUsername, and CertificateArn or HostedZoneId with HostedZoneName.
Optional: ApplicationName, ImageTag, StackName, NestedStacks, AllowedIngress, WafEnabled,
LogRetentionDays, CustomerManagedKey, MongoDBPort, MongoDBPasswordSecretArn.
MongoDBPassword is refused: store the password in Secrets Manager and give
MongoDBPasswordSecretArn. The README of arculus-fido-cdk describes every key.

Options:
  --parameters <file>  the parameters file
  --help               this text
`;

/** What the command line asks for. */
interface Arguments {
  readonly help: boolean;
  readonly parameters?: string;
}

function parseArguments(argv: readonly string[]): Arguments {
  let parameters: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
    } else if (arg === '--parameters' || arg === '-p') {
      parameters = argv[++i];
      if (parameters === undefined || parameters.startsWith('-')) {
        throw new UserError(`${arg} takes the path of the parameters file, e.g. --parameters parameters/prod.json\n\n${USAGE}`);
      }
    } else if (arg.startsWith('--parameters=')) {
      parameters = arg.slice('--parameters='.length);
    } else {
      throw new UserError(`unknown argument '${arg}'\n\n${USAGE}`);
    }
  }
  if (!help && !parameters) {
    throw new UserError(`--parameters <file> is required\n\n${USAGE}`);
  }
  return { help, parameters };
}

/**
 * Runs the app: reads the file and the account and region the CDK CLI sets in `vars`, builds the
 * stack and synthesizes it (to CDK_OUTDIR, where the CLI reads it). Throws a `UserError` for
 * anything the user can fix.
 */
export function run(argv: readonly string[], vars: Variables, print: (text: string) => void): void {
  const args = parseArguments(argv);
  if (args.help) {
    print(USAGE);
    return;
  }
  const { parameters, environment } = loadGuide(args.parameters!, vars);
  const app = new App();
  addGuideStack(app, parameters, environment);
  try {
    app.synth();
  } catch (e) {
    // A building block's own check (construct validation) found what the resolver let through.
    if (e instanceof Error && /^Validation failed/.test(e.message)) {
      throw new UserError(`${parameters.file}: the deployment refuses these values:\n${e.message}`);
    }
    throw e;
  }
}

if (require.main === module) {
  try {
    run(process.argv.slice(2), process.env, (text) => process.stdout.write(text));
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`arculus-fido-app: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      // Not the user's doing: the whole story, for a bug report.
      process.stderr.write(`arculus-fido-app: unexpected error (please report it with this output):\n${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    }
  }
}
