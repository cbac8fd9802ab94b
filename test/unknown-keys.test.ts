import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ArculusFidoDeployment, ArculusFidoImagesStack, ArculusFidoStack, DeploymentEnvironment, FidoDataLayer, FidoImageRepositories, FidoLoadBalancer,
  FidoMonitoring, FidoNetwork, FidoRunbooks, FidoService, MongoDbConnection,
} from '../src';
import { baseProps, ENV, synthErrorOf, testApp, thrownBy } from './util';
import { cdkProp, forgetRuntimeCdk } from '../src/private/api-model';
import { API_MODEL } from '../src/private/api-model.generated';
import { closest, editDistance } from '../src/private/nearest';

// The examples, as a JavaScript caller (no compiler) writes them: a misspelt or unknown
// prop at the top of each entry point is refused, naming the nearest prop, beside the props'
// other problems; a building block missing a required prop says so instead of a TypeError.

/** What `build` throws, or the synth error of the stack it builds on, or undefined. */
function errorOf(build: (stack: Stack) => void): string | undefined {
  const stack = new Stack(testApp(), 'Test', { env: ENV });
  try {
    build(stack);
  } catch (e) {
    return (e as Error).message;
  }
  return synthErrorOf(stack);
}

describe('a prop a construct does not have', () => {
  test('ArculusFidoDeployment refuses loging and names logging', () => {
    const message = errorOf((stack) => new ArculusFidoDeployment(stack, 'Fido', { ...baseProps(stack), loging: { retention: logs.RetentionDays.ONE_YEAR } } as any));
    expect(message).toContain("ArculusFidoDeployment 'Test/Fido' has 1 problem in its props:");
    expect(message).toContain('- loging: is not a prop of ArculusFidoDeploymentProps, so it would be ignored; did you mean logging?');
  });

  test('ArculusFidoStack refuses sizng and names sizing, and takes the stack props as its own', () => {
    const app = testApp();
    const scope = new Stack(app, 'Imports', { env: ENV });
    expect(() => new ArculusFidoStack(app, 'Fido', {
      env: ENV,
      stackName: 'fido',
      description: 'FIDO',
      terminationProtection: false,
      tags: { team: 'auth' },
      ...baseProps(scope),
      sizng: { pyFido: { cpu: 4096 } },
    } as any)).toThrow("ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:\n  - sizng: is not a prop of ArculusFidoDeploymentProps, so it would be ignored; did you mean sizing?");
  });

  test('ArculusFidoImagesStack refuses zzUnknown, naming the props of the repositories it hands the rest to', () => {
    expect(thrownBy(() => new ArculusFidoImagesStack(new App(), 'Images', { env: ENV, stackName: 'images', deploymentEnvironment: DeploymentEnvironment.DEV, zzUnknown: 1 } as any)))
      .toMatch(/^FidoImageRepositories 'Images\/Images' has 1 problem in its props:\n {2}- zzUnknown: is not a prop of FidoImageRepositoriesProps, so it would be ignored; the props are applicationName, deploymentEnvironment, /);
  });

  test('FidoNetwork refuses natGateway and names natGateways', () => {
    expect(errorOf((stack) => new FidoNetwork(stack, 'Net', { natGateway: 0 } as any)))
      .toMatch(/- natGateway: is not a prop of FidoNetworkProps, so it would be ignored; did you mean natGateways\?/);
  });

  test('a nested level names the nearest prop by edit distance, not only by case', () => {
    expect(errorOf((stack) => new ArculusFidoDeployment(stack, 'Fido', { ...baseProps(stack), sizing: { pyFido: { memoryLimitMib: 1024, cpus: 512 } } } as any)))
      .toMatch(/- sizing\.pyFido\.cpus: is not a prop of ServiceSizing, so it would be ignored; did you mean cpu\?/);
  });

  test('MongoDbConnection.fromEndpoint refuses a misspelt option', () => {
    expect(errorOf((stack) => new ArculusFidoDeployment(stack, 'Fido', {
      ...baseProps(stack), mongoDb: MongoDbConnection.fromEndpoint({ host: 'db.example.com', usernme: 'fido' } as any),
    }))).toContain('- mongoDb.usernme: is not a prop of MongoDbEndpointOptions, so it would be ignored; did you mean username?');
  });
});

describe('a building block given too little', () => {
  test.each([
    ['FidoLoadBalancer', (stack: Stack) => new FidoLoadBalancer(stack, 'Lb', {} as any), ['vpc', 'certificate', 'pyFidoTargetGroup', 'tomcatTargetGroup']],
    ['FidoService', (stack: Stack) => new FidoService(stack, 'Service', {} as any), ['cluster', 'containerName', 'image', 'containerPort']],
    ['FidoDataLayer', (stack: Stack) => new FidoDataLayer(stack, 'Data', {} as any), ['mongoDb', 'deploymentEnvironment', 'vpc', 'clientSecurityGroup']],
    ['FidoRunbooks', (stack: Stack) => new FidoRunbooks(stack, 'Runbooks', {} as any), ['cluster', 'services', 'documentNamePrefix']],
  ])('%s lists every required prop, never a TypeError', (name, build, required) => {
    const message = errorOf(build);
    expect(message).toMatch(new RegExp(`^${name} 'Test/\\w+' has ${required.length} problems in its props:`));
    for (const prop of required) {
      expect(message).toContain(`- ${prop}: is required`);
    }
  });

  test('a missing prop is listed beside an unknown one and a wrong value', () => {
    const message = errorOf((stack) => new FidoLoadBalancer(stack, 'Lb', { rateLimt: 100, pyFidoTestPort: 0 } as any));
    expect(message).toContain('- rateLimt: is not a prop of FidoLoadBalancerProps, so it would be ignored; did you mean rateLimit?');
    expect(message).toContain('- vpc: is required');
    expect(message).toContain('- pyFidoTestPort: must be a whole number from 1 to 65535, got 0');
  });

  test('FidoRunbooks with a service missing its fields says which', () => {
    const message = errorOf((stack) => new FidoRunbooks(stack, 'Runbooks', { documentNamePrefix: 'fido', services: [{ nme: 'pyfido' }] } as any));
    expect(message).toContain('- services[0].nme: is not a prop of RunbookService, so it would be ignored; did you mean name?');
    expect(message).toContain('- services[0].service: is required');
  });

  test('FidoMonitoring and FidoImageRepositories still answer namePrefix and deploymentEnvironment', () => {
    expect(errorOf((stack) => new FidoMonitoring(stack, 'Monitoring', { namPrefix: 'fido' } as any)))
      .toMatch(/namPrefix: is not a prop of FidoMonitoringProps, so it would be ignored; did you mean namePrefix\?[\s\S]*namePrefix: is required/);
    expect(errorOf((stack) => new FidoImageRepositories(stack, 'Images', { deploymentEnviroment: 'dev' } as any)))
      .toMatch(/deploymentEnviroment: is not a prop of FidoImageRepositoriesProps, so it would be ignored; did you mean deploymentEnvironment\?/);
  });
});

describe('the stack props of a newer aws-cdk-lib', () => {
  test('a prop the aws-cdk-lib in use has on StackProps, unknown to the model, is accepted', () => {
    // The model was built against this aws-cdk-lib; pretend the one in use is another release,
    // whose assembly (the same file here) is then read for StackProps' props.
    const model = API_MODEL as any;
    const saved = { props: model.cdkStructs['aws-cdk-lib.StackProps'], version: model.cdkVersion };
    try {
      model.cdkStructs['aws-cdk-lib.StackProps'] = saved.props.filter((p: string) => p !== 'suppressTemplateIndentation');
      model.cdkVersion = '2.0.0';
      forgetRuntimeCdk();
      expect(cdkProp('aws-cdk-lib.StackProps', 'suppressTemplateIndentation')).toBe(true);
      expect(cdkProp('aws-cdk-lib.StackProps', 'suppressTemplateIndentaton')).toBe(false);
      const app = testApp();
      const scope = new Stack(app, 'Imports', { env: ENV });
      expect(() => new ArculusFidoStack(app, 'Fido', { env: ENV, suppressTemplateIndentation: true, ...baseProps(scope) })).not.toThrow();
    } finally {
      model.cdkStructs['aws-cdk-lib.StackProps'] = saved.props;
      model.cdkVersion = saved.version;
      forgetRuntimeCdk();
    }
  });
});

describe('closest', () => {
  test('counts a swap of neighbours as one edit', () => {
    expect(editDistance('retnetion', 'retention')).toBe(1);
    expect(editDistance('cuap', 'cpu')).toBe(2);
    expect(editDistance('', 'cpu')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test('prefers, of two as near, the prop sharing the longer start', () => {
    expect(closest('minCapcity', ['maxCapacity', 'minCapacity'])).toBe('minCapacity');
    expect(closest('mCapacity', ['maxCapacity', 'minCapacity'])).toBeUndefined();
  });

  test('names nothing more than two edits away', () => {
    expect(closest('zzUnknown', ['natGateways', 'vpc'])).toBeUndefined();
  });
});
