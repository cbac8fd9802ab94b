/**
 * The scenarios a newcomer's TypeScript app builds beside the README's example, as a user writes
 * them in the app that `cdk init app --language typescript` made (tools/newcomer/run copies this file
 * to bin/scenarios.ts there): type-checked by that app's own tsc and tsconfig, run by its own
 * `cdk synth`, under its cdk.json's feature flags, against the npm tarball of this library.
 * tools/newcomer/scenarios.py builds the same stacks in Python.
 */
import { App, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ArculusFidoDeployment, ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from 'arculus-fido-cdk';
import { Construct } from 'constructs';

const env = { account: '111111111111', region: 'us-east-1' };

const app = new App();
const zone = route53.HostedZone.fromHostedZoneAttributes(app, 'Zone', {
  hostedZoneId: 'Z0000000000000000000',
  zoneName: 'example.com',
});

// MongoDB Atlas with the database user's password kept in Secrets Manager: a dynamic reference,
// under the cdk init flag @aws-cdk/core:checkSecretUsage.
new ArculusFidoStack(app, 'FidoAtlasPassword', {
  env,
  deploymentEnvironment: DeploymentEnvironment.DEV,
  domain: { domainName: 'auth.example.com', hostedZone: zone },
  mongoDb: MongoDbConnection.fromEndpoint({
    host: 'cluster0.abcde.mongodb.net',
    username: 'fido',
    password: SecretValue.secretsManager('atlas/fido', { jsonField: 'password' }),
  }),
  images: { tag: '1.0.0' },
});

// A stack of the user's own holding the construct, with the MongoDB connection read from a secret
// that already exists.
class FidoExistingSecretStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new ArculusFidoDeployment(this, 'Fido', {
      deploymentEnvironment: DeploymentEnvironment.STAGING,
      domain: {
        domainName: 'auth.example.com',
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate',
          'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000'),
      },
      mongoDb: MongoDbConnection.fromSecret(secretsmanager.Secret.fromSecretNameV2(this, 'MongoSecret', 'fido/mongodb')),
      images: { tag: '1.0.0' },
    });
  }
}
new FidoExistingSecretStack(app, 'FidoExistingSecret', { env });

// DocumentDB in prod, in the three nested stacks.
new ArculusFidoStack(app, 'FidoDocumentDbProd', {
  env,
  deploymentEnvironment: DeploymentEnvironment.PROD,
  domain: { domainName: 'auth.example.com', hostedZone: zone },
  mongoDb: MongoDbConnection.documentDb(),
  nestedStacks: true,
  images: { tag: '1.0.0' },
});
