import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * Container images of the two services.
 */
export interface ImageOptions {
  /**
   * Image of the PyFIDO server.
   *
   * @default - the ECR repository `<applicationName>/pyfido` in the stack's account and region, at `tag`
   */
  readonly pyFido?: ecs.ContainerImage;

  /**
   * Image of the Tomcat portal.
   *
   * @default - the ECR repository `<applicationName>/tomcat` in the stack's account and region, at `tag`
   */
  readonly tomcat?: ecs.ContainerImage;

  /**
   * Tag of the default ECR images. Deploy an immutable tag (a version or a commit) in prod: a
   * moved `latest` tag changes what runs without a change to the stack, so synth warns there.
   * Required with `repositories`, whose tags are immutable.
   *
   * @default 'latest'
   */
  readonly tag?: string;

  /**
   * The repositories the default images are pulled from, e.g. a `FidoImageRepositories` (or the
   * `images` of an `ArculusFidoImagesStack`). From another stack, this makes that stack export
   * the repositories and the deployment import them; the default names are the same, so leaving
   * this out pulls from them too, without tying the stacks together.
   *
   * @default - the ECR repositories `<applicationName>/pyfido` and `<applicationName>/tomcat` by name
   */
  readonly repositories?: IFidoImageRepositories;
}

/**
 * The two ECR repositories the deployment's default images come from.
 */
export interface IFidoImageRepositories {
  /** Repository of the PyFIDO image. */
  readonly pyFidoRepository: ecr.IRepository;

  /** Repository of the Tomcat image. */
  readonly tomcatRepository: ecr.IRepository;
}

/**
 * An ECR registry of another account that a `FidoImageRepositories` copies its pushes to.
 */
export interface ImageReplicationRegistry {
  /**
   * The registry's account: not the repositories' own (their own account's other regions are
   * `replicationRegions`). Its registry must let this account replicate to it: give this
   * account in the `replicationSourceAccounts` of the repositories there.
   */
  readonly account: string;

  /** The registry's region: the region of the deployment that pulls from it. */
  readonly region: string;
}
