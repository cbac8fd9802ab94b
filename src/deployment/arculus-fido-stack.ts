import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ArculusFidoDeployment } from './arculus-fido-deployment';
import { ArculusFidoDeploymentProps } from './options';
import { withoutCdkBaseProps } from '../private/schema';

/**
 * Props of `ArculusFidoStack`: the stack's own props and the deployment's.
 */
export interface ArculusFidoStackProps extends StackProps, ArculusFidoDeploymentProps {}

/**
 * A stack holding one `ArculusFidoDeployment` (construct ID `Fido`) and the deployment guide's
 * outputs: `LoadBalancerDNS`, `PyFidoEndpoint`, `TomcatEndpoint`, `ClusterName` and
 * `MongoDBSecretArn`, plus `PyFidoServiceName`, `TomcatServiceName`, `PyFidoLogGroupName` and
 * `TomcatLogGroupName` for the operational commands.
 *
 * With `nestedStacks: true` the network, the data layer and the services land in nested stacks,
 * as the guide's CloudFormation does; the outputs stay on this stack.
 */
export class ArculusFidoStack extends Stack {
  /** The deployment. */
  public readonly deployment: ArculusFidoDeployment;

  constructor(scope: Construct, id: string, props: ArculusFidoStackProps) {
    super(scope, id, props);

    // The stack's own props (env, stackName, ...) are the stack's: the deployment gets the rest.
    this.deployment = new ArculusFidoDeployment(this, 'Fido', withoutCdkBaseProps<ArculusFidoDeploymentProps>('ArculusFidoStackProps', props));
    const d = this.deployment;

    new CfnOutput(this, 'LoadBalancerDNS', {
      description: 'DNS name of the load balancer: point the domain at it (alias A record, or CNAME)',
      value: d.loadBalancer.loadBalancer.loadBalancerDnsName,
    });
    new CfnOutput(this, 'PyFidoEndpoint', { description: 'PyFIDO API endpoint URL', value: d.pyFidoEndpoint });
    new CfnOutput(this, 'TomcatEndpoint', { description: 'Tomcat portal URL', value: d.tomcatEndpoint });
    new CfnOutput(this, 'ClusterName', { description: 'ECS cluster name', value: d.cluster.clusterName });
    new CfnOutput(this, 'MongoDBSecretArn', { description: 'ARN of the MongoDB connection secret', value: d.dataLayer.mongoDbSecret.secretArn });
    new CfnOutput(this, 'PyFidoServiceName', { description: 'ECS service name of PyFIDO', value: d.pyFido.service.serviceName });
    new CfnOutput(this, 'TomcatServiceName', { description: 'ECS service name of Tomcat', value: d.tomcat.service.serviceName });
    new CfnOutput(this, 'PyFidoLogGroupName', { description: 'CloudWatch log group of PyFIDO', value: d.pyFido.logGroup.logGroupName });
    new CfnOutput(this, 'TomcatLogGroupName', { description: 'CloudWatch log group of Tomcat', value: d.tomcat.logGroup.logGroupName });
    new CfnOutput(this, 'AlarmTopicArn', { description: 'SNS topic every alarm sends ALARM and OK to: subscribe the on-call channel', value: d.monitoring.topic.topicArn });
    if (d.monitoring.dashboard) {
      new CfnOutput(this, 'DashboardName', { description: 'CloudWatch dashboard of the deployment', value: d.monitoring.dashboard.dashboardName });
    }
    if (d.runbooks) {
      const runbooks = d.runbooks;
      for (const [outputId, document, what] of [
        ['StopRunbook', runbooks.stopDocument, 'stops both services or one (Service=all|pyfido|tomcat), the scaler held at zero'],
        ['StartRunbook', runbooks.startDocument, 'starts them again at their configured counts and scaling bounds'],
        ['RedeployRunbook', runbooks.redeployDocument, 'forces a new deployment and waits until it completes'],
        ['DiagnoseRunbook', runbooks.diagnoseDocument, 'reports tasks, stop reasons, target health and the last failed deployment'],
      ] as const) {
        new CfnOutput(this, outputId, { description: `SSM Automation runbook that ${what}`, value: document.ref });
      }
      for (const [outputId, document, what] of [
        ['FailoverRunbook', runbooks.failoverDocument, 'makes this region serve after the primary\'s outage, and reports which region Route 53 answers with'],
        ['SwitchoverRunbook', runbooks.switchoverDocument, 'switches the domain to this region while the primary is healthy (planned)'],
        ['FailbackRunbook', runbooks.failbackDocument, 'hands the domain back to the primary and returns this region to standby'],
      ] as const) {
        if (document) {
          new CfnOutput(this, outputId, { description: `SSM Automation runbook that ${what}`, value: document.ref });
        }
      }
    }
  }
}
