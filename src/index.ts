// The deployment: one construct, or one stack, for the whole Arculus FIDO2 server.
export * from './deployment/arculus-fido-deployment';
export * from './deployment/arculus-fido-stack';
export * from './deployment/arculus-fido-region-pair';
export * from './deployment/deployment-environment';
export * from './deployment/options';
// Its areas, each a building block of its own with its options.
export * from './network/fido-network';
export * from './network/options';
export * from './data/fido-data-layer';
export * from './data/mongodb-connection';
export * from './data/options';
export * from './service/fido-service';
export * from './service/options';
export * from './edge/fido-load-balancer';
export * from './edge/fido-hosted-zone-role';
export * from './edge/options';
export * from './operations/fido-monitoring';
export * from './operations/fido-runbooks';
export * from './operations/options';
export * from './images/fido-image-repositories';
export * from './images/arculus-fido-images-stack';
export * from './images/options';
