/**
 * The environment a deployment serves. It picks the sizing, log retention, NAT gateway count and
 * removal policies of the deployment guide's environment mappings; every one of them can be
 * overridden through the deployment's props.
 */
export enum DeploymentEnvironment {
  /**
   * Development: one small task per service, logs kept 7 days, resources destroyed with the stack.
   */
  DEV = 'dev',
  /**
   * Staging: two tasks per service, logs kept 30 days, resources destroyed with the stack.
   */
  STAGING = 'staging',
  /**
   * Production: three tasks per service with autoscaling, logs kept 90 days, stateful resources
   * retained when the stack is deleted.
   */
  PROD = 'prod',
}
