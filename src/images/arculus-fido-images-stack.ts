import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FidoImageRepositories, FidoImageRepositoriesProps } from './fido-image-repositories';
import { withoutCdkBaseProps } from '../private/schema';

/**
 * Props of `ArculusFidoImagesStack`: the stack's own props and the repositories'.
 */
export interface ArculusFidoImagesStackProps extends StackProps, FidoImageRepositoriesProps {}

/**
 * A stack holding one `FidoImageRepositories` (construct ID `Images`), deployed before the
 * deployment's stack, in the same account and region, so that the images can be pushed first.
 * Its outputs are what the push commands read: `PyFidoRepositoryUri` and `TomcatRepositoryUri`
 * (`docker tag` and `docker push`), `RegistryUri` (`docker login`) and `Region`
 * (`aws ecr get-login-password`).
 *
 * A stack of its own, because the repositories outlive any one deployment: dev, staging and prod
 * of one `applicationName` in one account and region pull from the same two, and a deployment's
 * stack can be deleted and created again without losing its images.
 */
export class ArculusFidoImagesStack extends Stack {
  /** The two repositories. */
  public readonly repositories: FidoImageRepositories;

  constructor(scope: Construct, id: string, props: ArculusFidoImagesStackProps) {
    super(scope, id, props);

    // The stack's own props (env, stackName, ...) are the stack's: the repositories get the rest.
    this.repositories = new FidoImageRepositories(this, 'Images', withoutCdkBaseProps<FidoImageRepositoriesProps>('ArculusFidoImagesStackProps', props));
    const r = this.repositories;

    new CfnOutput(this, 'PyFidoRepositoryUri', { description: 'URI of the PyFIDO image repository: tag and push <uri>:<version>', value: r.pyFidoRepository.repositoryUri });
    new CfnOutput(this, 'TomcatRepositoryUri', { description: 'URI of the Tomcat image repository: tag and push <uri>:<version>', value: r.tomcatRepository.repositoryUri });
    // The host of both URIs: this stack's account and region, as the repositories are.
    const registryUri = `${this.account}.dkr.ecr.${this.region}.${this.urlSuffix}`;
    new CfnOutput(this, 'RegistryUri', { description: 'ECR registry of the repositories, for docker login', value: registryUri });
    new CfnOutput(this, 'Region', { description: 'Region of the registry, for aws ecr get-login-password', value: this.region });
  }
}
