// Generated from the jsii assembly (.jsii) by tools/projenrc/api-model.ts, run by `npx projen compile`: do not edit.
// test/api-model.test.ts fails when it is stale.
import type { ApiModel } from './api-model-types';

/* eslint-disable */
export const API_MODEL: ApiModel = {
  "cdkVersion": "2.258.0",
  "structs": {
    "AlarmThresholds": {
      "fields": {
        "cpuPercent": { "optional": true, "type": { "primitive": "number" } },
        "documentDbConnections": { "optional": true, "type": { "primitive": "number" } },
        "documentDbCpuPercent": { "optional": true, "type": { "primitive": "number" } },
        "documentDbReplicationLag": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "latencyP99": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "memoryPercent": { "optional": true, "type": { "primitive": "number" } },
        "missingTasks": { "optional": true, "type": { "primitive": "number" } },
        "target5xxPercent": { "optional": true, "type": { "primitive": "number" } },
        "unhealthyHosts": { "optional": true, "type": { "primitive": "number" } }
      },
      "cdkBases": []
    },
    "ArculusFidoDeploymentProps": {
      "fields": {
        "applicationName": { "optional": true, "type": { "primitive": "string" } },
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "domain": { "optional": false, "type": { "struct": "DomainOptions" } },
        "encryption": { "optional": true, "type": { "struct": "EncryptionOptions" } },
        "images": { "optional": true, "type": { "struct": "ImageOptions" } },
        "loadBalancer": { "optional": true, "type": { "struct": "LoadBalancerOptions" } },
        "logging": { "optional": true, "type": { "struct": "LoggingOptions" } },
        "mongoDb": { "optional": false, "type": { "ref": "arculus-fido-cdk.MongoDbConnection" } },
        "monitoring": { "optional": true, "type": { "struct": "MonitoringOptions" } },
        "nestedStacks": { "optional": true, "type": { "primitive": "boolean" } },
        "network": { "optional": true, "type": { "struct": "NetworkOptions" } },
        "runbooks": { "optional": true, "type": { "primitive": "boolean" } },
        "secrets": { "optional": true, "type": { "struct": "SecretsOptions" } },
        "services": { "optional": true, "type": { "struct": "ServicesOptions" } },
        "sizing": { "optional": true, "type": { "struct": "SizingOptions" } },
        "waf": { "optional": true, "type": { "struct": "WafOptions" } }
      },
      "cdkBases": []
    },
    "ArculusFidoImagesStackProps": {
      "fields": {
        "applicationName": { "optional": true, "type": { "primitive": "string" } },
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "maxTaggedImageCount": { "optional": true, "type": { "primitive": "number" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "replicationRegions": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "replicationRegistries": { "optional": true, "type": { "array": { "struct": "ImageReplicationRegistry" } } },
        "replicationSourceAccounts": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "untaggedImageMaxAge": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } }
      },
      "cdkBases": [ "aws-cdk-lib.StackProps" ]
    },
    "ArculusFidoRegionPairProps": {
      "fields": {
        "deployment": { "optional": false, "type": { "struct": "ArculusFidoDeploymentProps" } },
        "failureThreshold": { "optional": true, "type": { "primitive": "number" } },
        "healthCheckInterval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "primary": { "optional": false, "type": { "struct": "PairRegionOptions" } },
        "secondary": { "optional": false, "type": { "struct": "SecondaryRegionOptions" } }
      },
      "cdkBases": []
    },
    "ArculusFidoStackProps": {
      "fields": {
        "applicationName": { "optional": true, "type": { "primitive": "string" } },
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "domain": { "optional": false, "type": { "struct": "DomainOptions" } },
        "encryption": { "optional": true, "type": { "struct": "EncryptionOptions" } },
        "images": { "optional": true, "type": { "struct": "ImageOptions" } },
        "loadBalancer": { "optional": true, "type": { "struct": "LoadBalancerOptions" } },
        "logging": { "optional": true, "type": { "struct": "LoggingOptions" } },
        "mongoDb": { "optional": false, "type": { "ref": "arculus-fido-cdk.MongoDbConnection" } },
        "monitoring": { "optional": true, "type": { "struct": "MonitoringOptions" } },
        "nestedStacks": { "optional": true, "type": { "primitive": "boolean" } },
        "network": { "optional": true, "type": { "struct": "NetworkOptions" } },
        "runbooks": { "optional": true, "type": { "primitive": "boolean" } },
        "secrets": { "optional": true, "type": { "struct": "SecretsOptions" } },
        "services": { "optional": true, "type": { "struct": "ServicesOptions" } },
        "sizing": { "optional": true, "type": { "struct": "SizingOptions" } },
        "waf": { "optional": true, "type": { "struct": "WafOptions" } }
      },
      "cdkBases": [ "aws-cdk-lib.StackProps" ]
    },
    "DeploymentCheck": {
      "fields": {
        "expectedStatusCodes": { "optional": true, "type": { "primitive": "string" } },
        "path": { "optional": false, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "DeploymentCheckTarget": {
      "fields": {
        "loadBalancer": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationLoadBalancer" } },
        "serverName": { "optional": false, "type": { "primitive": "string" } },
        "testPort": { "optional": false, "type": { "primitive": "number" } },
        "vpcSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } }
      },
      "cdkBases": []
    },
    "DeploymentFailover": {
      "fields": {
        "healthCheck": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_route53.IHealthCheck" } },
        "ipv6Record": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_route53.AaaaRecord" } },
        "record": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_route53.ARecord" } }
      },
      "cdkBases": []
    },
    "DnsFailoverOptions": {
      "fields": {
        "failureThreshold": { "optional": true, "type": { "primitive": "number" } },
        "healthCheckInterval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "primaryHealthCheck": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_route53.IHealthCheck" } },
        "role": { "optional": false, "type": { "enum": "aws-cdk-lib.aws_route53.Failover" } }
      },
      "cdkBases": []
    },
    "DocumentDbGlobalCluster": {
      "fields": {
        "engineVersion": { "optional": false, "type": { "primitive": "string" } },
        "globalClusterIdentifier": { "optional": false, "type": { "primitive": "string" } },
        "masterSecret": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "primaryClusterArn": { "optional": false, "type": { "primitive": "string" } },
        "secondaryRegions": { "optional": false, "type": { "array": { "cdkStruct": "aws-cdk-lib.aws_secretsmanager.ReplicaRegion" } } }
      },
      "cdkBases": []
    },
    "DocumentDbOptions": {
      "fields": {
        "backupRetention": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "engineVersion": { "optional": true, "type": { "primitive": "string" } },
        "instances": { "optional": true, "type": { "primitive": "number" } },
        "instanceType": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.InstanceType" } },
        "masterUsername": { "optional": true, "type": { "primitive": "string" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "rotatePassword": { "optional": true, "type": { "primitive": "boolean" } },
        "rotationInterval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "secondaryRegions": { "optional": true, "type": { "array": { "cdkStruct": "aws-cdk-lib.aws_secretsmanager.ReplicaRegion" } } }
      },
      "cdkBases": []
    },
    "DocumentDbSecondaryOptions": {
      "fields": {
        "backupRetention": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "instances": { "optional": true, "type": { "primitive": "number" } },
        "instanceType": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.InstanceType" } },
        "primary": { "optional": false, "type": { "ref": "arculus-fido-cdk.IFidoDataLayer" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } }
      },
      "cdkBases": []
    },
    "DomainOptions": {
      "fields": {
        "certificate": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_certificatemanager.ICertificate" } },
        "domainName": { "optional": false, "type": { "primitive": "string" } },
        "failover": { "optional": true, "type": { "struct": "DnsFailoverOptions" } },
        "hostedZone": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_route53.IHostedZone" } },
        "hostedZoneRole": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_iam.IRole" } }
      },
      "cdkBases": []
    },
    "EncryptionOptions": { "fields": { "customerManagedKey": { "optional": true, "type": { "primitive": "boolean" } } }, "cdkBases": [] },
    "FailoverDatabaseOptions": {
      "fields": {
        "globalClusterIdentifier": { "optional": false, "type": { "primitive": "string" } },
        "primaryClusterArn": { "optional": false, "type": { "primitive": "string" } },
        "secondaryClusterArn": { "optional": false, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "FailoverRunbookOptions": {
      "fields": {
        "database": { "optional": true, "type": { "struct": "FailoverDatabaseOptions" } },
        "healthCheck": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_route53.IHealthCheck" } },
        "primaryHealthCheck": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_route53.IHealthCheck" } },
        "standbyTasks": { "optional": false, "type": { "primitive": "number" } }
      },
      "cdkBases": []
    },
    "FidoDataLayerProps": {
      "fields": {
        "applicationSecret": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "applicationSecretReaderAccounts": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "applicationSecretReplicaRegions": { "optional": true, "type": { "array": { "cdkStruct": "aws-cdk-lib.aws_secretsmanager.ReplicaRegion" } } },
        "applicationSecretRotation": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "clientSecurityGroup": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } },
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "logEncryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "logRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "logRetention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } },
        "mongoDb": { "optional": false, "type": { "ref": "arculus-fido-cdk.MongoDbConnection" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "vpc": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ec2.IVpc" } },
        "vpcSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } }
      },
      "cdkBases": []
    },
    "FidoHostedZoneRoleProps": {
      "fields": {
        "domainNames": { "optional": false, "type": { "array": { "primitive": "string" } } },
        "hostedZone": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_route53.IHostedZone" } },
        "roleName": { "optional": true, "type": { "primitive": "string" } },
        "trustedAccounts": { "optional": false, "type": { "array": { "primitive": "string" } } }
      },
      "cdkBases": []
    },
    "FidoImageRepositoriesProps": {
      "fields": {
        "applicationName": { "optional": true, "type": { "primitive": "string" } },
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "maxTaggedImageCount": { "optional": true, "type": { "primitive": "number" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "replicationRegions": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "replicationRegistries": { "optional": true, "type": { "array": { "struct": "ImageReplicationRegistry" } } },
        "replicationSourceAccounts": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "untaggedImageMaxAge": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } }
      },
      "cdkBases": []
    },
    "FidoLoadBalancerProps": {
      "fields": {
        "accessLogs": { "optional": true, "type": { "primitive": "boolean" } },
        "accessLogsBucket": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_s3.IBucket" } },
        "accessLogsExpiration": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "accessLogsPrefix": { "optional": true, "type": { "primitive": "string" } },
        "accessLogsRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "allowedIngress": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.IPeer" } } },
        "certificate": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_certificatemanager.ICertificate" } },
        "deletionProtection": { "optional": true, "type": { "primitive": "boolean" } },
        "desyncMitigationMode": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.DesyncMitigationMode" } },
        "ipAddressType": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.IpAddressType" } },
        "pyFidoTargetGroup": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.IApplicationTargetGroup" } },
        "pyFidoTestPort": { "optional": true, "type": { "primitive": "number" } },
        "rateLimit": { "optional": true, "type": { "primitive": "number" } },
        "redirectHttp": { "optional": true, "type": { "primitive": "boolean" } },
        "securityGroup": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } },
        "sslPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.SslPolicy" } },
        "tomcatTargetGroup": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.IApplicationTargetGroup" } },
        "tomcatTestPort": { "optional": true, "type": { "primitive": "number" } },
        "vpc": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ec2.IVpc" } },
        "vpcSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } },
        "webAcl": { "optional": true, "type": { "primitive": "boolean" } },
        "webAclLogEncryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "webAclLogGroupName": { "optional": true, "type": { "primitive": "string" } },
        "webAclLogRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "webAclLogRetention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } }
      },
      "cdkBases": []
    },
    "FidoMonitoringProps": {
      "fields": {
        "alarms": { "optional": true, "type": { "primitive": "boolean" } },
        "dashboard": { "optional": true, "type": { "primitive": "boolean" } },
        "dashboardName": { "optional": true, "type": { "primitive": "string" } },
        "databaseCluster": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_docdb.IDatabaseCluster" } },
        "databaseReplicates": { "optional": true, "type": { "primitive": "boolean" } },
        "emails": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "namePrefix": { "optional": false, "type": { "primitive": "string" } },
        "secretRotations": { "optional": true, "type": { "array": { "struct": "SecretRotation" } } },
        "services": { "optional": false, "type": { "array": { "struct": "MonitoredService" } } },
        "thresholds": { "optional": true, "type": { "struct": "AlarmThresholds" } },
        "topic": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_sns.ITopic" } }
      },
      "cdkBases": []
    },
    "FidoNetworkProps": {
      "fields": {
        "allowAllOutbound": { "optional": true, "type": { "primitive": "boolean" } },
        "flowLogEncryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "flowLogRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "flowLogRetention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } },
        "ipProtocol": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_ec2.IpProtocol" } },
        "natGateways": { "optional": true, "type": { "primitive": "number" } },
        "natInstanceType": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.InstanceType" } },
        "natMachineImage": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.IMachineImage" } },
        "natType": { "optional": true, "type": { "enum": "arculus-fido-cdk.NatType" } },
        "s3GatewayEndpoint": { "optional": true, "type": { "primitive": "boolean" } },
        "vpc": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.IVpc" } }
      },
      "cdkBases": []
    },
    "FidoRunbooksProps": {
      "fields": {
        "cluster": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ecs.ICluster" } },
        "documentNamePrefix": { "optional": false, "type": { "primitive": "string" } },
        "failover": { "optional": true, "type": { "struct": "FailoverRunbookOptions" } },
        "services": { "optional": false, "type": { "array": { "struct": "RunbookService" } } }
      },
      "cdkBases": []
    },
    "FidoServiceOptions": {
      "fields": {
        "deployment": { "optional": true, "type": { "struct": "ServiceDeploymentOptions" } },
        "deploymentAlarms": { "optional": true, "type": { "primitive": "boolean" } },
        "deregistrationDelay": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "enableExecuteCommand": { "optional": true, "type": { "primitive": "boolean" } },
        "environment": { "optional": true, "type": { "map": { "primitive": "string" } } },
        "healthCheck": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_elasticloadbalancingv2.HealthCheck" } },
        "healthCheckGracePeriod": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "readonlyRootFilesystem": { "optional": true, "type": { "primitive": "boolean" } },
        "secrets": { "optional": true, "type": { "map": { "ref": "aws-cdk-lib.aws_ecs.Secret" } } },
        "stopTimeout": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "targetProtocol": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationProtocol" } },
        "writablePaths": { "optional": true, "type": { "array": { "primitive": "string" } } }
      },
      "cdkBases": []
    },
    "FidoServiceProps": {
      "fields": {
        "cluster": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ecs.ICluster" } },
        "containerName": { "optional": false, "type": { "primitive": "string" } },
        "containerPort": { "optional": false, "type": { "primitive": "number" } },
        "deployment": { "optional": true, "type": { "struct": "ServiceDeploymentOptions" } },
        "deploymentAlarms": { "optional": true, "type": { "primitive": "boolean" } },
        "deregistrationDelay": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "enableExecuteCommand": { "optional": true, "type": { "primitive": "boolean" } },
        "environment": { "optional": true, "type": { "map": { "primitive": "string" } } },
        "healthCheck": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_elasticloadbalancingv2.HealthCheck" } },
        "healthCheckGracePeriod": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "image": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ecs.ContainerImage" } },
        "logEncryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "logGroupName": { "optional": true, "type": { "primitive": "string" } },
        "logRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "logRetention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } },
        "readonlyRootFilesystem": { "optional": true, "type": { "primitive": "boolean" } },
        "secrets": { "optional": true, "type": { "map": { "ref": "aws-cdk-lib.aws_ecs.Secret" } } },
        "securityGroups": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } } },
        "serviceConnect": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ecs.ServiceConnectProps" } },
        "sizing": { "optional": true, "type": { "struct": "ServiceSizing" } },
        "stopTimeout": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "targetProtocol": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationProtocol" } },
        "vpcSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } },
        "writablePaths": { "optional": true, "type": { "array": { "primitive": "string" } } }
      },
      "cdkBases": []
    },
    "ImageOptions": {
      "fields": {
        "pyFido": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ecs.ContainerImage" } },
        "repositories": { "optional": true, "type": { "ref": "arculus-fido-cdk.IFidoImageRepositories" } },
        "tag": { "optional": true, "type": { "primitive": "string" } },
        "tomcat": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ecs.ContainerImage" } }
      },
      "cdkBases": []
    },
    "ImageReplicationRegistry": {
      "fields": {
        "account": { "optional": false, "type": { "primitive": "string" } },
        "region": { "optional": false, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "LoadBalancerOptions": {
      "fields": {
        "accessLogs": { "optional": true, "type": { "primitive": "boolean" } },
        "accessLogsBucket": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_s3.IBucket" } },
        "accessLogsPrefix": { "optional": true, "type": { "primitive": "string" } },
        "deletionProtection": { "optional": true, "type": { "primitive": "boolean" } },
        "desyncMitigationMode": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.DesyncMitigationMode" } },
        "ipAddressType": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.IpAddressType" } },
        "redirectHttp": { "optional": true, "type": { "primitive": "boolean" } },
        "sslPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.SslPolicy" } }
      },
      "cdkBases": []
    },
    "LoggingOptions": {
      "fields": {
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "retention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } }
      },
      "cdkBases": []
    },
    "MongoDbAtlasRotationOptions": {
      "fields": {
        "apiSecret": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "projectId": { "optional": false, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "MongoDbBindOptions": {
      "fields": {
        "deploymentEnvironment": { "optional": false, "type": { "enum": "arculus-fido-cdk.DeploymentEnvironment" } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "logEncryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "logRemovalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "logRetention": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_logs.RetentionDays" } },
        "removalPolicy": { "optional": true, "type": { "enum": "aws-cdk-lib.RemovalPolicy" } },
        "vpc": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ec2.IVpc" } },
        "vpcSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } }
      },
      "cdkBases": []
    },
    "MongoDbConnectionConfig": {
      "fields": {
        "databaseCluster": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_docdb.DatabaseCluster" } },
        "globalCluster": { "optional": true, "type": { "struct": "DocumentDbGlobalCluster" } },
        "host": { "optional": true, "type": { "primitive": "string" } },
        "port": { "optional": false, "type": { "primitive": "number" } },
        "rotationFunction": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_lambda.IFunction" } },
        "secondaryCluster": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_docdb.IDatabaseCluster" } },
        "secret": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "secretChangesFrom": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "secretRotates": { "optional": true, "type": { "primitive": "boolean" } },
        "securityGroup": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } }
      },
      "cdkBases": []
    },
    "MongoDbEndpointOptions": {
      "fields": {
        "atlasRotation": { "optional": true, "type": { "struct": "MongoDbAtlasRotationOptions" } },
        "host": { "optional": false, "type": { "primitive": "string" } },
        "masterSecret": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "password": { "optional": true, "type": { "ref": "aws-cdk-lib.SecretValue" } },
        "port": { "optional": true, "type": { "primitive": "number" } },
        "rotation": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_secretsmanager.RotationScheduleOptions" } },
        "rotationInterval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "securityGroup": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } },
        "username": { "optional": false, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "MongoDbSecretOptions": {
      "fields": {
        "port": { "optional": true, "type": { "primitive": "number" } },
        "securityGroup": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.ISecurityGroup" } }
      },
      "cdkBases": []
    },
    "MonitoredService": {
      "fields": {
        "logGroup": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_logs.ILogGroup" } },
        "name": { "optional": false, "type": { "primitive": "string" } },
        "service": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ecs.IBaseService" } },
        "targetGroups": {
          "optional": false,
          "type": { "array": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.IApplicationTargetGroup" } }
        }
      },
      "cdkBases": []
    },
    "MonitoringOptions": {
      "fields": {
        "alarms": { "optional": true, "type": { "primitive": "boolean" } },
        "dashboard": { "optional": true, "type": { "primitive": "boolean" } },
        "dashboardName": { "optional": true, "type": { "primitive": "string" } },
        "emails": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "thresholds": { "optional": true, "type": { "struct": "AlarmThresholds" } },
        "topic": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_sns.ITopic" } }
      },
      "cdkBases": []
    },
    "NetworkOptions": {
      "fields": {
        "allowAllOutbound": { "optional": true, "type": { "primitive": "boolean" } },
        "allowedIngress": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.IPeer" } } },
        "natGateways": { "optional": true, "type": { "primitive": "number" } },
        "natInstanceType": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.InstanceType" } },
        "natMachineImage": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.IMachineImage" } },
        "natType": { "optional": true, "type": { "enum": "arculus-fido-cdk.NatType" } },
        "privateSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } },
        "publicSubnets": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ec2.SubnetSelection" } },
        "s3GatewayEndpoint": { "optional": true, "type": { "primitive": "boolean" } },
        "vpc": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ec2.IVpc" } },
        "vpcIpProtocol": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_ec2.IpProtocol" } }
      },
      "cdkBases": []
    },
    "OfficeHours": {
      "fields": {
        "end": { "optional": false, "type": { "primitive": "string" } },
        "start": { "optional": false, "type": { "primitive": "string" } },
        "timeZone": { "optional": true, "type": { "ref": "aws-cdk-lib.TimeZone" } },
        "wakeAhead": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "weekDays": { "optional": true, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "PairRegionOptions": {
      "fields": {
        "env": { "optional": false, "type": { "cdkStruct": "aws-cdk-lib.Environment" } },
        "stackName": { "optional": true, "type": { "primitive": "string" } }
      },
      "cdkBases": []
    },
    "RunbookService": {
      "fields": {
        "desiredCount": { "optional": false, "type": { "primitive": "number" } },
        "maxCapacity": { "optional": true, "type": { "primitive": "number" } },
        "minCapacity": { "optional": true, "type": { "primitive": "number" } },
        "name": { "optional": false, "type": { "primitive": "string" } },
        "service": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_ecs.IService" } },
        "targetGroups": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.ITargetGroup" } } }
      },
      "cdkBases": []
    },
    "ScheduledCapacity": {
      "fields": {
        "maxCapacity": { "optional": true, "type": { "primitive": "number" } },
        "minCapacity": { "optional": true, "type": { "primitive": "number" } },
        "name": { "optional": true, "type": { "primitive": "string" } },
        "schedule": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_applicationautoscaling.Schedule" } },
        "timeZone": { "optional": true, "type": { "ref": "aws-cdk-lib.TimeZone" } }
      },
      "cdkBases": []
    },
    "SecondaryRegionOptions": {
      "fields": {
        "certificate": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_certificatemanager.ICertificate" } },
        "env": { "optional": false, "type": { "cdkStruct": "aws-cdk-lib.Environment" } },
        "mongoDb": { "optional": true, "type": { "ref": "arculus-fido-cdk.MongoDbConnection" } },
        "network": { "optional": true, "type": { "struct": "NetworkOptions" } },
        "stackName": { "optional": true, "type": { "primitive": "string" } },
        "standbyTasks": { "optional": true, "type": { "primitive": "number" } }
      },
      "cdkBases": []
    },
    "SecretRotation": {
      "fields": {
        "name": { "optional": false, "type": { "primitive": "string" } },
        "rotationFunction": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_lambda.IFunction" } },
        "secret": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } }
      },
      "cdkBases": []
    },
    "SecretsOptions": {
      "fields": {
        "applicationSecret": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.ISecret" } },
        "applicationSecretReaderAccounts": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "applicationSecretReplicaRegions": { "optional": true, "type": { "array": { "cdkStruct": "aws-cdk-lib.aws_secretsmanager.ReplicaRegion" } } },
        "applicationSecretRotationInterval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "replicaOf": { "optional": true, "type": { "ref": "arculus-fido-cdk.IFidoDataLayer" } },
        "rotateApplicationSecret": { "optional": true, "type": { "primitive": "boolean" } }
      },
      "cdkBases": []
    },
    "ServiceDeploymentOptions": {
      "fields": {
        "bakeTime": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "checks": { "optional": true, "type": { "array": { "struct": "DeploymentCheck" } } },
        "strategy": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_ecs.DeploymentStrategy" } },
        "testIngress": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.IPeer" } } },
        "testPort": { "optional": true, "type": { "primitive": "number" } },
        "trafficShift": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ecs.TrafficShiftConfig" } }
      },
      "cdkBases": []
    },
    "ServiceSizing": {
      "fields": {
        "cpu": { "optional": true, "type": { "primitive": "number" } },
        "cpuArchitecture": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ecs.CpuArchitecture" } },
        "desiredCount": { "optional": true, "type": { "primitive": "number" } },
        "maxCapacity": { "optional": true, "type": { "primitive": "number" } },
        "memoryLimitMiB": { "optional": true, "type": { "primitive": "number" } },
        "minCapacity": { "optional": true, "type": { "primitive": "number" } },
        "predictiveScaling": { "optional": true, "type": { "enum": "arculus-fido-cdk.PredictiveScalingMode" } },
        "scaleInCooldown": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "scaleOutCooldown": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "schedules": { "optional": true, "type": { "array": { "struct": "ScheduledCapacity" } } },
        "spot": { "optional": true, "type": { "primitive": "boolean" } },
        "targetCpuUtilizationPercent": { "optional": true, "type": { "primitive": "number" } },
        "targetMemoryUtilizationPercent": { "optional": true, "type": { "primitive": "number" } },
        "targetRequestsPerTarget": { "optional": true, "type": { "primitive": "number" } }
      },
      "cdkBases": []
    },
    "ServicesOptions": {
      "fields": {
        "pyFido": { "optional": true, "type": { "struct": "FidoServiceOptions" } },
        "tomcat": { "optional": true, "type": { "struct": "FidoServiceOptions" } }
      },
      "cdkBases": []
    },
    "SizingOptions": {
      "fields": {
        "officeHours": { "optional": true, "type": { "struct": "OfficeHours" } },
        "pyFido": { "optional": true, "type": { "struct": "ServiceSizing" } },
        "standbyTasks": { "optional": true, "type": { "primitive": "number" } },
        "tomcat": { "optional": true, "type": { "struct": "ServiceSizing" } }
      },
      "cdkBases": []
    },
    "TrafficRouteOptions": {
      "fields": {
        "listener": { "optional": false, "type": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationListener" } },
        "testListener": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationListener" } }
      },
      "cdkBases": []
    },
    "WafOptions": {
      "fields": {
        "enabled": { "optional": true, "type": { "primitive": "boolean" } },
        "rateLimit": { "optional": true, "type": { "primitive": "number" } }
      },
      "cdkBases": []
    }
  },
  "cdkStructs": {
    "aws-cdk-lib.StackProps": [
      "analyticsReporting",
      "crossRegionReferences",
      "description",
      "env",
      "notificationArns",
      "permissionsBoundary",
      "propertyInjectors",
      "stackName",
      "suppressTemplateIndentation",
      "synthesizer",
      "tags",
      "terminationProtection"
    ]
  },
  "types": {
    "arculus-fido-cdk.DeploymentEnvironment": { "kind": "enum", "values": [ "dev", "staging", "prod" ] },
    "arculus-fido-cdk.IFidoDataLayer": { "kind": "ref", "members": [ "applicationSecret:object", "applicationSecretCreated:boolean" ] },
    "arculus-fido-cdk.IFidoImageRepositories": { "kind": "ref", "members": [ "pyFidoRepository:object", "tomcatRepository:object" ] },
    "arculus-fido-cdk.MongoDbConnection": { "kind": "ref", "members": [ "bind" ] },
    "arculus-fido-cdk.NatType": { "kind": "enum", "values": [ "gateway", "instance" ] },
    "arculus-fido-cdk.PredictiveScalingMode": { "kind": "enum", "values": [ "ForecastOnly", "ForecastAndScale" ] },
    "aws-cdk-lib.aws_applicationautoscaling.Schedule": { "kind": "ref", "members": [ "expressionString:string" ] },
    "aws-cdk-lib.aws_certificatemanager.ICertificate": { "kind": "ref", "members": [ "metricDaysToExpiry" ] },
    "aws-cdk-lib.aws_docdb.DatabaseCluster": { "kind": "ref", "members": [ "addRotationMultiUser" ] },
    "aws-cdk-lib.aws_docdb.IDatabaseCluster": { "kind": "ref", "members": [ "asSecretAttachmentTarget" ] },
    "aws-cdk-lib.aws_ec2.IMachineImage": { "kind": "ref", "members": [ "getImage" ] },
    "aws-cdk-lib.aws_ec2.InstanceType": { "kind": "ref", "members": [ "isBurstable" ] },
    "aws-cdk-lib.aws_ec2.IPeer": { "kind": "ref", "members": [ "toEgressRuleConfig" ] },
    "aws-cdk-lib.aws_ec2.IpProtocol": { "kind": "enum" },
    "aws-cdk-lib.aws_ec2.ISecurityGroup": { "kind": "ref", "members": [ "addEgressRule" ] },
    "aws-cdk-lib.aws_ec2.ISubnet": { "kind": "ref", "members": [ "associateNetworkAcl" ] },
    "aws-cdk-lib.aws_ec2.IVpc": { "kind": "ref", "members": [ "addClientVpnEndpoint" ] },
    "aws-cdk-lib.aws_ec2.SubnetFilter": { "kind": "ref", "members": [ "selectSubnets" ] },
    "aws-cdk-lib.aws_ec2.SubnetSelection": {
      "kind": "struct",
      "fields": {
        "availabilityZones": { "optional": true, "type": { "array": { "primitive": "string" } } },
        "onePerAz": { "optional": true, "type": { "primitive": "boolean" } },
        "subnetFilters": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.SubnetFilter" } } },
        "subnetGroupName": { "optional": true, "type": { "primitive": "string" } },
        "subnets": { "optional": true, "type": { "array": { "ref": "aws-cdk-lib.aws_ec2.ISubnet" } } },
        "subnetType": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_ec2.SubnetType" } }
      }
    },
    "aws-cdk-lib.aws_ec2.SubnetType": { "kind": "enum" },
    "aws-cdk-lib.aws_ecs.ContainerImage": { "kind": "ref", "members": [ "bind" ] },
    "aws-cdk-lib.aws_ecs.CpuArchitecture": { "kind": "ref", "members": [] },
    "aws-cdk-lib.aws_ecs.DeploymentStrategy": { "kind": "enum" },
    "aws-cdk-lib.aws_ecs.IBaseService": { "kind": "ref", "members": [ "serviceName:string" ] },
    "aws-cdk-lib.aws_ecs.ICluster": { "kind": "ref", "members": [ "clusterName:string" ] },
    "aws-cdk-lib.aws_ecs.IService": { "kind": "ref", "members": [ "serviceName:string" ] },
    "aws-cdk-lib.aws_ecs.LogDriver": { "kind": "ref", "members": [ "bind" ] },
    "aws-cdk-lib.aws_ecs.Secret": { "kind": "ref", "members": [ "grantRead" ] },
    "aws-cdk-lib.aws_ecs.ServiceConnectAccessLogConfiguration": {
      "kind": "struct",
      "fields": {
        "format": { "optional": false, "type": { "enum": "aws-cdk-lib.aws_ecs.ServiceConnectAccessLogFormat" } },
        "includeQueryParameters": { "optional": true, "type": { "primitive": "boolean" } }
      }
    },
    "aws-cdk-lib.aws_ecs.ServiceConnectAccessLogFormat": { "kind": "enum" },
    "aws-cdk-lib.aws_ecs.ServiceConnectProps": {
      "kind": "struct",
      "fields": {
        "accessLogConfiguration": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ecs.ServiceConnectAccessLogConfiguration" } },
        "logDriver": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_ecs.LogDriver" } },
        "namespace": { "optional": true, "type": { "primitive": "string" } },
        "services": { "optional": true, "type": { "array": { "cdkStruct": "aws-cdk-lib.aws_ecs.ServiceConnectService" } } }
      }
    },
    "aws-cdk-lib.aws_ecs.ServiceConnectService": {
      "kind": "struct",
      "fields": {
        "discoveryName": { "optional": true, "type": { "primitive": "string" } },
        "dnsName": { "optional": true, "type": { "primitive": "string" } },
        "idleTimeout": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "ingressPortOverride": { "optional": true, "type": { "primitive": "number" } },
        "perRequestTimeout": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "port": { "optional": true, "type": { "primitive": "number" } },
        "portMappingName": { "optional": false, "type": { "primitive": "string" } },
        "tls": { "optional": true, "type": { "cdkStruct": "aws-cdk-lib.aws_ecs.ServiceConnectTlsConfiguration" } }
      }
    },
    "aws-cdk-lib.aws_ecs.ServiceConnectTlsConfiguration": {
      "kind": "struct",
      "fields": {
        "awsPcaAuthorityArn": { "optional": true, "type": { "primitive": "string" } },
        "kmsKey": { "optional": true, "type": { "ref": "aws-cdk-lib.interfaces.aws_kms.IKeyRef" } },
        "role": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_iam.IRole" } }
      }
    },
    "aws-cdk-lib.aws_ecs.TrafficShiftConfig": {
      "kind": "struct",
      "fields": {
        "stepBakeTime": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "stepPercent": { "optional": true, "type": { "primitive": "number" } }
      }
    },
    "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationListener": { "kind": "ref", "members": [ "addAction" ] },
    "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationLoadBalancer": { "kind": "ref", "members": [ "addListener" ] },
    "aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationProtocol": { "kind": "enum" },
    "aws-cdk-lib.aws_elasticloadbalancingv2.DesyncMitigationMode": { "kind": "enum" },
    "aws-cdk-lib.aws_elasticloadbalancingv2.HealthCheck": {
      "kind": "struct",
      "fields": {
        "enabled": { "optional": true, "type": { "primitive": "boolean" } },
        "healthyGrpcCodes": { "optional": true, "type": { "primitive": "string" } },
        "healthyHttpCodes": { "optional": true, "type": { "primitive": "string" } },
        "healthyThresholdCount": { "optional": true, "type": { "primitive": "number" } },
        "interval": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "path": { "optional": true, "type": { "primitive": "string" } },
        "port": { "optional": true, "type": { "primitive": "string" } },
        "protocol": { "optional": true, "type": { "enum": "aws-cdk-lib.aws_elasticloadbalancingv2.Protocol" } },
        "timeout": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "unhealthyThresholdCount": { "optional": true, "type": { "primitive": "number" } }
      }
    },
    "aws-cdk-lib.aws_elasticloadbalancingv2.IApplicationTargetGroup": { "kind": "ref", "members": [ "addTarget" ] },
    "aws-cdk-lib.aws_elasticloadbalancingv2.IpAddressType": { "kind": "enum" },
    "aws-cdk-lib.aws_elasticloadbalancingv2.ITargetGroup": { "kind": "ref", "members": [ "targetGroupName:string" ] },
    "aws-cdk-lib.aws_elasticloadbalancingv2.Protocol": { "kind": "enum" },
    "aws-cdk-lib.aws_elasticloadbalancingv2.SslPolicy": { "kind": "enum" },
    "aws-cdk-lib.aws_iam.IRole": { "kind": "ref", "members": [ "grant" ] },
    "aws-cdk-lib.aws_kms.IKey": { "kind": "ref", "members": [ "addAlias" ] },
    "aws-cdk-lib.aws_lambda.IFunction": { "kind": "ref", "members": [ "addEventSource" ] },
    "aws-cdk-lib.aws_logs.ILogGroup": { "kind": "ref", "members": [ "addMetricFilter" ] },
    "aws-cdk-lib.aws_logs.RetentionDays": { "kind": "enum" },
    "aws-cdk-lib.aws_route53.AaaaRecord": { "kind": "ref", "members": [ "domainName:string" ] },
    "aws-cdk-lib.aws_route53.ARecord": { "kind": "ref", "members": [ "domainName:string" ] },
    "aws-cdk-lib.aws_route53.Failover": { "kind": "enum" },
    "aws-cdk-lib.aws_route53.IHealthCheck": { "kind": "ref", "members": [ "healthCheckId:string" ] },
    "aws-cdk-lib.aws_route53.IHostedZone": { "kind": "ref", "members": [ "grantDelegation" ] },
    "aws-cdk-lib.aws_s3.IBucket": { "kind": "ref", "members": [ "addEventNotification" ] },
    "aws-cdk-lib.aws_secretsmanager.HostedRotation": { "kind": "ref", "members": [ "bind" ] },
    "aws-cdk-lib.aws_secretsmanager.ISecret": { "kind": "ref", "members": [ "addRotationSchedule" ] },
    "aws-cdk-lib.aws_secretsmanager.ReplicaRegion": {
      "kind": "struct",
      "fields": {
        "encryptionKey": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_kms.IKey" } },
        "region": { "optional": false, "type": { "primitive": "string" } }
      }
    },
    "aws-cdk-lib.aws_secretsmanager.RotationScheduleOptions": {
      "kind": "struct",
      "fields": {
        "automaticallyAfter": { "optional": true, "type": { "ref": "aws-cdk-lib.Duration" } },
        "hostedRotation": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_secretsmanager.HostedRotation" } },
        "rotateImmediatelyOnUpdate": { "optional": true, "type": { "primitive": "boolean" } },
        "rotationLambda": { "optional": true, "type": { "ref": "aws-cdk-lib.aws_lambda.IFunction" } }
      }
    },
    "aws-cdk-lib.aws_sns.ITopic": { "kind": "ref", "members": [ "addSubscription" ] },
    "aws-cdk-lib.Duration": { "kind": "ref", "members": [ "formatTokenToNumber" ] },
    "aws-cdk-lib.Environment": {
      "kind": "struct",
      "fields": {
        "account": { "optional": true, "type": { "primitive": "string" } },
        "region": { "optional": true, "type": { "primitive": "string" } }
      }
    },
    "aws-cdk-lib.interfaces.aws_kms.IKeyRef": { "kind": "ref", "members": [ "keyRef:object", "env:object" ] },
    "aws-cdk-lib.RemovalPolicy": { "kind": "enum" },
    "aws-cdk-lib.SecretValue": { "kind": "ref", "members": [ "resolve" ] },
    "aws-cdk-lib.TimeZone": { "kind": "ref", "members": [ "timezoneName:string" ] }
  },
  "entryPoints": [
    {
      "type": "ArculusFidoDeployment",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "ArculusFidoDeploymentProps", "optional": false }
      ]
    },
    {
      "type": "ArculusFidoImagesStack",
      "member": "constructor",
      "kind": "stack",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "ArculusFidoImagesStackProps", "optional": false }
      ]
    },
    {
      "type": "ArculusFidoRegionPair",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "ArculusFidoRegionPairProps", "optional": false }
      ]
    },
    {
      "type": "ArculusFidoStack",
      "member": "constructor",
      "kind": "stack",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "ArculusFidoStackProps", "optional": false }
      ]
    },
    {
      "type": "FidoDataLayer",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoDataLayerProps", "optional": false }
      ]
    },
    {
      "type": "FidoHostedZoneRole",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoHostedZoneRoleProps", "optional": false }
      ]
    },
    {
      "type": "FidoImageRepositories",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoImageRepositoriesProps", "optional": false }
      ]
    },
    {
      "type": "FidoLoadBalancer",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoLoadBalancerProps", "optional": false }
      ]
    },
    {
      "type": "FidoMonitoring",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoMonitoringProps", "optional": false }
      ]
    },
    {
      "type": "FidoNetwork",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoNetworkProps", "optional": true }
      ]
    },
    {
      "type": "FidoRunbooks",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoRunbooksProps", "optional": false }
      ]
    },
    {
      "type": "FidoService",
      "member": "constructor",
      "kind": "construct",
      "parameters": [
        { "name": "scope", "optional": false },
        { "name": "id", "optional": false },
        { "name": "props", "struct": "FidoServiceProps", "optional": false }
      ]
    },
    {
      "type": "MongoDbConnection",
      "member": "documentDb",
      "kind": "static",
      "parameters": [ { "name": "options", "struct": "DocumentDbOptions", "optional": true } ]
    },
    {
      "type": "MongoDbConnection",
      "member": "documentDbSecondary",
      "kind": "static",
      "parameters": [ { "name": "options", "struct": "DocumentDbSecondaryOptions", "optional": false } ]
    },
    {
      "type": "MongoDbConnection",
      "member": "fromEndpoint",
      "kind": "static",
      "parameters": [ { "name": "options", "struct": "MongoDbEndpointOptions", "optional": false } ]
    },
    {
      "type": "MongoDbConnection",
      "member": "fromSecret",
      "kind": "static",
      "parameters": [
        { "name": "secret", "optional": false },
        { "name": "options", "struct": "MongoDbSecretOptions", "optional": true }
      ]
    }
  ]
};
