// Generated from the jsii assembly (.jsii) by tools/projenrc/api-model.ts, run by `npx projen compile`: do not edit.
// test/api-model.test.ts fails when it is stale.
import type { ApiModel } from './api-model-types';

/* eslint-disable */
export const API_MODEL: ApiModel = {
  "cdkVersion": "2.258.0",
  "structs": {
    "AlarmThresholds": {
      "fields": {
        "cpuPercent": { "optional": true },
        "documentDbConnections": { "optional": true },
        "documentDbCpuPercent": { "optional": true },
        "latencyP99": { "optional": true },
        "memoryPercent": { "optional": true },
        "missingTasks": { "optional": true },
        "target5xxPercent": { "optional": true },
        "unhealthyHosts": { "optional": true }
      },
      "cdkBases": []
    },
    "ArculusFidoDeploymentProps": {
      "fields": {
        "applicationName": { "optional": true },
        "deploymentEnvironment": { "optional": false },
        "domain": { "optional": false, "struct": "DomainOptions" },
        "encryption": { "optional": true, "struct": "EncryptionOptions" },
        "images": { "optional": true, "struct": "ImageOptions" },
        "loadBalancer": { "optional": true, "struct": "LoadBalancerOptions" },
        "logging": { "optional": true, "struct": "LoggingOptions" },
        "mongoDb": { "optional": false },
        "monitoring": { "optional": true, "struct": "MonitoringOptions" },
        "nestedStacks": { "optional": true },
        "network": { "optional": true, "struct": "NetworkOptions" },
        "runbooks": { "optional": true },
        "secrets": { "optional": true, "struct": "SecretsOptions" },
        "services": { "optional": true, "struct": "ServicesOptions" },
        "sizing": { "optional": true, "struct": "SizingOptions" },
        "waf": { "optional": true, "struct": "WafOptions" }
      },
      "cdkBases": []
    },
    "ArculusFidoImagesStackProps": {
      "fields": {
        "applicationName": { "optional": true },
        "deploymentEnvironment": { "optional": false },
        "encryptionKey": { "optional": true },
        "maxTaggedImageCount": { "optional": true },
        "removalPolicy": { "optional": true },
        "untaggedImageMaxAge": { "optional": true }
      },
      "cdkBases": [ "aws-cdk-lib.StackProps" ]
    },
    "ArculusFidoStackProps": {
      "fields": {
        "applicationName": { "optional": true },
        "deploymentEnvironment": { "optional": false },
        "domain": { "optional": false, "struct": "DomainOptions" },
        "encryption": { "optional": true, "struct": "EncryptionOptions" },
        "images": { "optional": true, "struct": "ImageOptions" },
        "loadBalancer": { "optional": true, "struct": "LoadBalancerOptions" },
        "logging": { "optional": true, "struct": "LoggingOptions" },
        "mongoDb": { "optional": false },
        "monitoring": { "optional": true, "struct": "MonitoringOptions" },
        "nestedStacks": { "optional": true },
        "network": { "optional": true, "struct": "NetworkOptions" },
        "runbooks": { "optional": true },
        "secrets": { "optional": true, "struct": "SecretsOptions" },
        "services": { "optional": true, "struct": "ServicesOptions" },
        "sizing": { "optional": true, "struct": "SizingOptions" },
        "waf": { "optional": true, "struct": "WafOptions" }
      },
      "cdkBases": [ "aws-cdk-lib.StackProps" ]
    },
    "DeploymentCheck": {
      "fields": {
        "expectedStatusCodes": { "optional": true },
        "path": { "optional": false }
      },
      "cdkBases": []
    },
    "DeploymentCheckTarget": {
      "fields": {
        "loadBalancer": { "optional": false },
        "serverName": { "optional": false },
        "testPort": { "optional": false },
        "vpcSubnets": { "optional": true }
      },
      "cdkBases": []
    },
    "DocumentDbOptions": {
      "fields": {
        "backupRetention": { "optional": true },
        "engineVersion": { "optional": true },
        "instances": { "optional": true },
        "instanceType": { "optional": true },
        "masterUsername": { "optional": true },
        "removalPolicy": { "optional": true },
        "rotatePassword": { "optional": true },
        "rotationInterval": { "optional": true }
      },
      "cdkBases": []
    },
    "DomainOptions": {
      "fields": {
        "certificate": { "optional": true },
        "domainName": { "optional": false },
        "hostedZone": { "optional": true }
      },
      "cdkBases": []
    },
    "EncryptionOptions": {
      "fields": {
        "customerManagedKey": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoDataLayerProps": {
      "fields": {
        "applicationSecret": { "optional": true },
        "applicationSecretRotation": { "optional": true },
        "clientSecurityGroup": { "optional": false },
        "deploymentEnvironment": { "optional": false },
        "encryptionKey": { "optional": true },
        "logEncryptionKey": { "optional": true },
        "logRemovalPolicy": { "optional": true },
        "logRetention": { "optional": true },
        "mongoDb": { "optional": false },
        "removalPolicy": { "optional": true },
        "vpc": { "optional": false },
        "vpcSubnets": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoImageRepositoriesProps": {
      "fields": {
        "applicationName": { "optional": true },
        "deploymentEnvironment": { "optional": false },
        "encryptionKey": { "optional": true },
        "maxTaggedImageCount": { "optional": true },
        "removalPolicy": { "optional": true },
        "untaggedImageMaxAge": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoLoadBalancerProps": {
      "fields": {
        "accessLogs": { "optional": true },
        "accessLogsBucket": { "optional": true },
        "accessLogsExpiration": { "optional": true },
        "accessLogsPrefix": { "optional": true },
        "accessLogsRemovalPolicy": { "optional": true },
        "allowedIngress": { "optional": true },
        "certificate": { "optional": false },
        "deletionProtection": { "optional": true },
        "desyncMitigationMode": { "optional": true },
        "pyFidoTargetGroup": { "optional": false },
        "pyFidoTestPort": { "optional": true },
        "rateLimit": { "optional": true },
        "redirectHttp": { "optional": true },
        "securityGroup": { "optional": true },
        "sslPolicy": { "optional": true },
        "tomcatTargetGroup": { "optional": false },
        "tomcatTestPort": { "optional": true },
        "vpc": { "optional": false },
        "vpcSubnets": { "optional": true },
        "webAcl": { "optional": true },
        "webAclLogEncryptionKey": { "optional": true },
        "webAclLogGroupName": { "optional": true },
        "webAclLogRemovalPolicy": { "optional": true },
        "webAclLogRetention": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoMonitoringProps": {
      "fields": {
        "alarms": { "optional": true },
        "dashboard": { "optional": true },
        "databaseCluster": { "optional": true },
        "emails": { "optional": true },
        "encryptionKey": { "optional": true },
        "namePrefix": { "optional": false },
        "services": { "optional": false, "struct": "MonitoredService", "collection": "array" },
        "thresholds": { "optional": true, "struct": "AlarmThresholds" },
        "topic": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoNetworkProps": {
      "fields": {
        "allowAllOutbound": { "optional": true },
        "flowLogEncryptionKey": { "optional": true },
        "flowLogRemovalPolicy": { "optional": true },
        "flowLogRetention": { "optional": true },
        "natGateways": { "optional": true },
        "vpc": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoRunbooksProps": {
      "fields": {
        "cluster": { "optional": false },
        "documentNamePrefix": { "optional": false },
        "services": { "optional": false, "struct": "RunbookService", "collection": "array" }
      },
      "cdkBases": []
    },
    "FidoServiceOptions": {
      "fields": {
        "deployment": { "optional": true, "struct": "ServiceDeploymentOptions" },
        "deploymentAlarms": { "optional": true },
        "deregistrationDelay": { "optional": true },
        "enableExecuteCommand": { "optional": true },
        "environment": { "optional": true },
        "healthCheck": { "optional": true },
        "healthCheckGracePeriod": { "optional": true },
        "readonlyRootFilesystem": { "optional": true },
        "secrets": { "optional": true },
        "stopTimeout": { "optional": true },
        "targetProtocol": { "optional": true },
        "writablePaths": { "optional": true }
      },
      "cdkBases": []
    },
    "FidoServiceProps": {
      "fields": {
        "cluster": { "optional": false },
        "containerName": { "optional": false },
        "containerPort": { "optional": false },
        "deployment": { "optional": true, "struct": "ServiceDeploymentOptions" },
        "deploymentAlarms": { "optional": true },
        "deregistrationDelay": { "optional": true },
        "enableExecuteCommand": { "optional": true },
        "environment": { "optional": true },
        "healthCheck": { "optional": true },
        "healthCheckGracePeriod": { "optional": true },
        "image": { "optional": false },
        "logEncryptionKey": { "optional": true },
        "logGroupName": { "optional": true },
        "logRemovalPolicy": { "optional": true },
        "logRetention": { "optional": true },
        "readonlyRootFilesystem": { "optional": true },
        "secrets": { "optional": true },
        "securityGroups": { "optional": true },
        "serviceConnect": { "optional": true },
        "sizing": { "optional": true, "struct": "ServiceSizing" },
        "stopTimeout": { "optional": true },
        "targetProtocol": { "optional": true },
        "vpcSubnets": { "optional": true },
        "writablePaths": { "optional": true }
      },
      "cdkBases": []
    },
    "ImageOptions": {
      "fields": {
        "pyFido": { "optional": true },
        "repositories": { "optional": true },
        "tag": { "optional": true },
        "tomcat": { "optional": true }
      },
      "cdkBases": []
    },
    "LoadBalancerOptions": {
      "fields": {
        "accessLogs": { "optional": true },
        "accessLogsBucket": { "optional": true },
        "accessLogsPrefix": { "optional": true },
        "deletionProtection": { "optional": true },
        "desyncMitigationMode": { "optional": true },
        "redirectHttp": { "optional": true },
        "sslPolicy": { "optional": true }
      },
      "cdkBases": []
    },
    "LoggingOptions": {
      "fields": {
        "encryptionKey": { "optional": true },
        "removalPolicy": { "optional": true },
        "retention": { "optional": true }
      },
      "cdkBases": []
    },
    "MongoDbBindOptions": {
      "fields": {
        "deploymentEnvironment": { "optional": false },
        "encryptionKey": { "optional": true },
        "logRetention": { "optional": true },
        "removalPolicy": { "optional": true },
        "vpc": { "optional": false },
        "vpcSubnets": { "optional": true }
      },
      "cdkBases": []
    },
    "MongoDbConnectionConfig": {
      "fields": {
        "databaseCluster": { "optional": true },
        "port": { "optional": false },
        "secret": { "optional": false },
        "secretRotates": { "optional": true },
        "securityGroup": { "optional": true }
      },
      "cdkBases": []
    },
    "MongoDbEndpointOptions": {
      "fields": {
        "host": { "optional": false },
        "password": { "optional": true },
        "port": { "optional": true },
        "rotation": { "optional": true },
        "securityGroup": { "optional": true },
        "username": { "optional": false }
      },
      "cdkBases": []
    },
    "MongoDbSecretOptions": {
      "fields": {
        "port": { "optional": true },
        "securityGroup": { "optional": true }
      },
      "cdkBases": []
    },
    "MonitoredService": {
      "fields": {
        "logGroup": { "optional": false },
        "name": { "optional": false },
        "service": { "optional": false },
        "targetGroups": { "optional": false }
      },
      "cdkBases": []
    },
    "MonitoringOptions": {
      "fields": {
        "alarms": { "optional": true },
        "dashboard": { "optional": true },
        "emails": { "optional": true },
        "thresholds": { "optional": true, "struct": "AlarmThresholds" },
        "topic": { "optional": true }
      },
      "cdkBases": []
    },
    "NetworkOptions": {
      "fields": {
        "allowAllOutbound": { "optional": true },
        "allowedIngress": { "optional": true },
        "natGateways": { "optional": true },
        "privateSubnets": { "optional": true },
        "publicSubnets": { "optional": true },
        "vpc": { "optional": true }
      },
      "cdkBases": []
    },
    "RunbookService": {
      "fields": {
        "desiredCount": { "optional": false },
        "maxCapacity": { "optional": true },
        "minCapacity": { "optional": true },
        "name": { "optional": false },
        "service": { "optional": false },
        "targetGroups": { "optional": true }
      },
      "cdkBases": []
    },
    "SecretsOptions": {
      "fields": {
        "applicationSecret": { "optional": true },
        "applicationSecretRotationInterval": { "optional": true },
        "encryptionKey": { "optional": true },
        "rotateApplicationSecret": { "optional": true }
      },
      "cdkBases": []
    },
    "ServiceDeploymentOptions": {
      "fields": {
        "bakeTime": { "optional": true },
        "checks": { "optional": true, "struct": "DeploymentCheck", "collection": "array" },
        "strategy": { "optional": true },
        "testPort": { "optional": true },
        "trafficShift": { "optional": true }
      },
      "cdkBases": []
    },
    "ServiceSizing": {
      "fields": {
        "cpu": { "optional": true },
        "cpuArchitecture": { "optional": true },
        "desiredCount": { "optional": true },
        "maxCapacity": { "optional": true },
        "memoryLimitMiB": { "optional": true },
        "minCapacity": { "optional": true },
        "spot": { "optional": true },
        "targetCpuUtilizationPercent": { "optional": true }
      },
      "cdkBases": []
    },
    "ServicesOptions": {
      "fields": {
        "pyFido": { "optional": true, "struct": "FidoServiceOptions" },
        "tomcat": { "optional": true, "struct": "FidoServiceOptions" }
      },
      "cdkBases": []
    },
    "SizingOptions": {
      "fields": {
        "pyFido": { "optional": true, "struct": "ServiceSizing" },
        "tomcat": { "optional": true, "struct": "ServiceSizing" }
      },
      "cdkBases": []
    },
    "TrafficRouteOptions": {
      "fields": {
        "listener": { "optional": false },
        "testListener": { "optional": true }
      },
      "cdkBases": []
    },
    "WafOptions": {
      "fields": {
        "enabled": { "optional": true },
        "rateLimit": { "optional": true }
      },
      "cdkBases": []
    }
  },
  "cdkStructs": {
    "aws-cdk-lib.StackProps": [ "analyticsReporting", "crossRegionReferences", "description", "env", "notificationArns", "permissionsBoundary", "propertyInjectors", "stackName", "suppressTemplateIndentation", "synthesizer", "tags", "terminationProtection" ]
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
      "parameters": [
        { "name": "options", "struct": "DocumentDbOptions", "optional": true }
      ]
    },
    {
      "type": "MongoDbConnection",
      "member": "fromEndpoint",
      "kind": "static",
      "parameters": [
        { "name": "options", "struct": "MongoDbEndpointOptions", "optional": false }
      ]
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
