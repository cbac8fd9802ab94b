/**
 * The bundled example: two Arculus FIDO deployments, synthesized to `cdk.out` with no AWS account.
 *
 *   npx projen synth:example
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App({ outdir: 'cdk.out' });

// Dev: MongoDB Atlas, an imported certificate, everything in one stack.
new ArculusFidoStack(app, 'ArculusFidoDev', {
  // A concrete region: the load balancer's access logs need one.
  env: { account: '111111111111', region: 'us-east-1' },
  deploymentEnvironment: DeploymentEnvironment.DEV,
  domain: {
    domainName: 'auth-dev.example.com',
    certificate: acm.Certificate.fromCertificateArn(app, 'DevCertificate',
      'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000'),
  },
  mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
});

// Prod: Amazon DocumentDB, a DNS-validated certificate and alias record in a hosted zone, nested stacks.
new ArculusFidoStack(app, 'ArculusFidoProd', {
  env: { account: '111111111111', region: 'us-east-1' },
  deploymentEnvironment: DeploymentEnvironment.PROD,
  domain: {
    domainName: 'auth.example.com',
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(app, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'example.com' }),
  },
  mongoDb: MongoDbConnection.documentDb(),
  images: { tag: '1.0.0' },
  nestedStacks: true,
});

const assembly = app.synth();
console.log(`Synthesized to ${path.resolve(assembly.directory)}:`);
for (const file of fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json')).sort()) {
  console.log(`  ${path.join(assembly.directory, file)}`);
}
