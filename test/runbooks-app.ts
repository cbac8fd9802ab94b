import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { FidoRunbooks, FidoService, RunbookService, ServiceSizing } from '../src';
import { ENV } from './util';

/** What a runbooks stack holds besides the runbooks. */
export interface RunbooksStack {
  readonly stack: Stack;
  readonly cluster: ecs.Cluster;
  readonly pyFido: FidoService;
  readonly tomcat: FidoService;
  readonly runbooks: FidoRunbooks;
}

/**
 * The runbooks on a bare stack, as a user who builds another topology wires them: PyFIDO
 * autoscaled (2 tasks within 2..4), Tomcat without autoscaling (1 task), each with its target
 * group. Shared by the unit tests and by the security scan's templates (`tools/security/runbooks.py`
 * judges the documents against botocore's API models).
 */
export function runbooksStack(app: App, id = 'Runbooks', overrides: Partial<RunbookService> = {}): RunbooksStack {
  const stack = new Stack(app, id, { env: ENV });
  // Container Insights as the deployment's cluster has it (the security scan's checkov asks for it).
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }), containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
  const service = (serviceId: string, containerName: string, sizing: ServiceSizing) => new FidoService(stack, serviceId, {
    cluster, containerName, image, containerPort: 8080, sizing,
  });
  const pyFido = service('PyFido', 'pyfido', { desiredCount: 2, minCapacity: 2, maxCapacity: 4 });
  const tomcat = service('Tomcat', 'tomcat', { desiredCount: 1 });
  const runbooks = new FidoRunbooks(stack, 'Runbooks', {
    cluster,
    documentNamePrefix: 'arculus-auth-test',
    services: [
      { name: 'pyfido', service: pyFido.service, desiredCount: 2, minCapacity: 2, maxCapacity: 4, targetGroups: [pyFido.targetGroup], ...overrides },
      { name: 'tomcat', service: tomcat.service, desiredCount: 1, targetGroups: [tomcat.targetGroup] },
    ],
  });
  return { stack, cluster, pyFido, tomcat, runbooks };
}
