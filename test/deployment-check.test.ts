import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import * as tls from 'tls';
import { DescribeNetworkInterfacesCommand, DescribeNetworkInterfacesCommandOutput, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRulesCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeploymentCheck, deploymentChecksProblem, matchesStatus, runChecks, servingStatusCodes, statusCodesProblem } from '../src/private/deployment-check/checks';
import { judgeProduction, ProductionTarget } from '../src/private/deployment-check/production';
import { findLoadBalancerAddresses, LoadBalancerInterfaces, LoadBalancingClient, makeHandler, NetworkInterfaceClient, readProductionTargets } from '../src/private/deployment-check.lambda';

const SERVER_NAME = 'fido.example.com';
const FAST = { timeoutMs: 200, attempts: 1, retryDelayMs: 10 };

/** A local server per behaviour: right, wrong, slow; and a port nobody listens on. */
let right: http.Server;
let wrong: http.Server;
let slow: http.Server;
let rightPort: number;
let wrongPort: number;
let slowPort: number;
let closedPort: number;
const hosts: Array<string | undefined> = [];
const connections: Array<string | undefined> = [];
/** Sockets of the slow server closed before it answered (the client gave up). */
let slowAbandoned = 0;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: http.Server | tls.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

beforeAll(async () => {
  right = http.createServer((req, res) => {
    hosts.push(req.headers.host);
    connections.push(req.headers.connection);
    if (req.url === '/health') {
      res.writeHead(200).end('ok');
    } else if (req.url === '/') {
      res.writeHead(302, { Location: '/login' }).end();
    } else if (req.url === '/portal') {
      // As a Tomcat root does: to the start page, by the production URL (port 443, not the test port).
      res.writeHead(302, { Location: `https://${SERVER_NAME}/portal/start?lang=en` }).end();
    } else if (req.url === '/portal/start?lang=en') {
      res.writeHead(301, { Location: 'login' }).end();
    } else if (req.url === '/portal/login') {
      res.writeHead(200).end('the portal');
    } else if (req.url === '/loop') {
      res.writeHead(302, { Location: '/loop' }).end();
    } else if (req.url === '/away') {
      res.writeHead(302, { Location: 'https://login.example.net/sso' }).end();
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('only part of it', () => res.destroy());
    } else {
      res.writeHead(404).end();
    }
  });
  wrong = http.createServer((_req, res) => res.writeHead(500).end('broken'));
  const pending: NodeJS.Timeout[] = [];
  slow = http.createServer((req, res) => {
    pending.push(setTimeout(() => res.writeHead(200).end('late'), 1000));
    req.socket.on('close', () => {
      if (!res.headersSent) {
        slowAbandoned++;
      }
    });
  });
  slow.on('close', () => pending.forEach(clearTimeout));
  [rightPort, wrongPort, slowPort] = await Promise.all([listen(right), listen(wrong), listen(slow)]);
  const gone = http.createServer();
  closedPort = await listen(gone);
  await close(gone);
});

afterAll(async () => {
  slow.closeAllConnections();
  await Promise.all([close(right), close(wrong), close(slow)]);
});

beforeEach(() => {
  hosts.length = 0;
  connections.length = 0;
  slowAbandoned = 0;
});

function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const poll = () => (condition() || Date.now() > deadline ? resolve(condition()) : setTimeout(poll, 5));
    poll();
  });
}

const check = (port: number, p = '/health', expectedStatusCodes = '200'): DeploymentCheck => ({ port, path: p, expectedStatusCodes });
const local = (addresses = ['127.0.0.1']) => ({ addresses, serverName: SERVER_NAME, protocol: 'http' as const });

describe('statusCodesProblem', () => {
  test.each(['200', '200,302', '200-399', '200-299,302', '100', '599', '302-302'])('accepts %p', (spec) => {
    expect(statusCodesProblem(spec)).toBeUndefined();
  });

  test.each([
    ['', /such as '200' or '200-399'/],
    ['200, 302', /such as '200' or '200-399'/],
    ['200,', /such as '200' or '200-399'/],
    [',200', /such as '200' or '200-399'/],
    ['2xx', /such as '200' or '200-399'/],
    ['200-', /such as '200' or '200-399'/],
    ['20', /such as '200' or '200-399'/],
    ['099', /from 100 to 599, got '099'/],
    ['600', /from 100 to 599, got '600'/],
    ['200-600', /from 100 to 599/],
    ['399-200', /from low to high, got '399-200'/],
  ])('refuses %p', (spec, reason) => {
    expect(statusCodesProblem(spec)).toMatch(reason);
  });
});

describe('matchesStatus', () => {
  test.each([
    ['200', 200, true],
    ['200', 201, false],
    ['200,302', 302, true],
    ['200,302', 301, false],
    ['200-399', 200, true],
    ['200-399', 399, true],
    ['200-399', 400, false],
    ['200-399', 199, false],
    ['200-299,302', 302, true],
    ['200-299,302', 301, false],
    ['200, 302', 200, false],
  ])('%p with %d is %p', (spec, status, expected) => {
    expect(matchesStatus(spec, status)).toBe(expected);
  });
});

describe('servingStatusCodes', () => {
  test.each([
    ['200', '200'],
    ['200-399', '200-299'],
    ['200,302', '200'],
    ['200-299,302', '200-299'],
    ['200-499', '200-299,400-499'],
    ['301-302', '200-299'],
    ['401', '401'],
  ])('keeps of %p the answers that serve a page: %p', (healthy, serving) => {
    expect(servingStatusCodes(healthy)).toBe(serving);
  });
});

describe('deploymentChecksProblem', () => {
  test('accepts a list of checks', () => {
    expect(deploymentChecksProblem([check(5001), check(443, '/', '200-399')])).toBeUndefined();
  });

  test.each([
    [[], /non-empty array/],
    [{}, /non-empty array/],
    [[null], /\[0\] must be an object/],
    [[{ port: 0, path: '/', expectedStatusCodes: '200' }], /\[0\]\.port/],
    [[{ port: '443', path: '/', expectedStatusCodes: '200' }], /\[0\]\.port/],
    [[{ port: 443, path: 'health', expectedStatusCodes: '200' }], /\[0\]\.path/],
    [[check(443), { port: 443, path: '/', expectedStatusCodes: '2xx' }], /\[1\]\.expectedStatusCodes must be status codes/],
    [[{ port: 443, path: '/' }], /\[0\]\.expectedStatusCodes must be a string/],
    [[{ ...check(443), followRedirects: 6 }], /\[0\]\.followRedirects must be an integer from 0 to 5, got 6/],
    [[{ ...check(443), followRedirects: '2' }], /\[0\]\.followRedirects must be an integer/],
  ])('refuses %j', (value, reason) => {
    expect(deploymentChecksProblem(value)).toMatch(reason);
  });
});

describe('runChecks', () => {
  test('passes a check answered with an expected status, sending Host: the server name', async () => {
    const [result] = await runChecks([check(rightPort)], local(), FAST);
    expect(result).toEqual({ port: rightPort, path: '/health', ok: true, status: 200, attempts: 1, address: '127.0.0.1' });
    expect(hosts).toEqual([SERVER_NAME]);
  });

  test('asks on a connection of its own, closed after the answer (no keep-alive outlives the invocation)', async () => {
    await runChecks([check(rightPort)], local(), FAST);
    expect(connections).toEqual(['close']);
  });

  test('does not follow a redirect: the 302 is the answer', async () => {
    const [passes, fails] = await runChecks([check(rightPort, '/', '302'), check(rightPort, '/', '200')], local(), FAST);
    expect(passes).toMatchObject({ ok: true, status: 302 });
    expect(fails).toMatchObject({ ok: false, status: 302, error: 'status 302, expected 200' });
    expect(hosts).toHaveLength(2);
  });

  test('follows redirects within the server name, on the address and port it asks, to the page served', async () => {
    const [result] = await runChecks([{ ...check(rightPort, '/portal', '200-299'), followRedirects: 5 }], local(), FAST);
    expect(result).toMatchObject({ ok: true, status: 200, redirectedTo: ['/portal/start?lang=en', '/portal/login'] });
    expect(hosts).toEqual([SERVER_NAME, SERVER_NAME, SERVER_NAME]);
  });

  test('fails a revision that redirects every path: to a page that is not there, in a loop, or off the domain', async () => {
    const follow = (p: string) => ({ ...check(rightPort, p, '200-299'), followRedirects: 3 });
    const [missing, loop, away] = await runChecks([follow('/'), follow('/loop'), follow('/away')], local(), FAST);
    expect(missing).toMatchObject({ ok: false, status: 404, redirectedTo: ['/login'], error: 'status 404, expected 200-299' });
    expect(loop).toMatchObject({ ok: false, status: 302, redirectedTo: ['/loop', '/loop', '/loop'], error: 'status 302 after 3 redirects, to /loop again' });
    expect(away).toMatchObject({ ok: false, status: 302, error: `status 302 redirects off ${SERVER_NAME}, to https://login.example.net` });
    expect(away.redirectedTo).toBeUndefined();
  });

  test('fails a check answered with another status, after every attempt', async () => {
    const [result] = await runChecks([check(wrongPort)], local(), { ...FAST, attempts: 2 });
    expect(result).toEqual({ port: wrongPort, path: '/health', ok: false, status: 500, error: 'status 500, expected 200', attempts: 2, address: '127.0.0.1' });
  });

  test('fails a check whose answer breaks off, though its status was expected', async () => {
    const [result] = await runChecks([check(rightPort, '/cut')], local(), FAST);
    expect(result).toMatchObject({ ok: false, status: 200, error: expect.stringMatching(/^the answer broke off/) });
  });

  test('fails a check answered later than the timeout', async () => {
    const started = Date.now();
    const [result] = await runChecks([check(slowPort)], local(), FAST);
    expect(result).toMatchObject({ ok: false, error: 'timed out after 200 ms', attempts: 1 });
    expect(result.status).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(900);
    // The request is aborted, not left waiting for the answer due at 1000 ms.
    await expect(within(500, () => slowAbandoned === 1)).resolves.toBe(true);
  });

  test('fails a check nobody answers, with the connection error', async () => {
    const [result] = await runChecks([check(closedPort)], local(), FAST);
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  test('waits retryDelayMs between two attempts, not after the last', async () => {
    const started = Date.now();
    // One delay, not two: the margin below two delays is wide enough for a loaded machine's requests.
    const [result] = await runChecks([check(wrongPort)], local(), { ...FAST, attempts: 2, retryDelayMs: 500 });
    const elapsed = Date.now() - started;
    expect(result.attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(990);
  });

  test('retries on the next address and stops at the first success', async () => {
    // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused.
    const [result] = await runChecks([check(rightPort)], local(['127.0.0.2', '127.0.0.1']), { ...FAST, attempts: 3 });
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2, address: '127.0.0.1' });
    expect(hosts).toHaveLength(1);
  });

  test('starts each check on the next address', async () => {
    const results = await runChecks([check(rightPort), check(rightPort)], local(['127.0.0.1', '127.0.0.2']), FAST);
    expect(results.map((r) => [r.ok, r.address])).toEqual([[true, '127.0.0.1'], [false, '127.0.0.2']]);
  });

  test('refuses to run without an address', async () => {
    await expect(runChecks([check(rightPort)], local([]), FAST)).rejects.toThrow(/no address/);
  });

  test('over https, sends the server name as SNI to the address given', async () => {
    const names: string[] = [];
    const server = tls.createServer({
      SNICallback: (name, cb) => {
        names.push(name);
        cb(new Error('no certificate here'), undefined);
      },
    });
    server.on('tlsClientError', () => undefined);
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    try {
      const [result] = await runChecks([check(port)], { ...local(), protocol: 'https' }, FAST);
      expect(names).toEqual([SERVER_NAME]);
      expect(result).toMatchObject({ ok: false, address: '127.0.0.1' });
    } finally {
      await close(server);
    }
  });
});

describe('the handler', () => {
  const env = (checks: unknown, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    DEPLOYMENT_CHECKS: typeof checks === 'string' ? checks : JSON.stringify(checks),
    SERVER_NAME,
    LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/fido-alb/50dc6c495c0c9188',
    LOAD_BALANCER_VPC_ID: 'vpc-0a1b2c3d',
    CHECK_TIMEOUT_SECONDS: '0.2',
    CHECK_ATTEMPTS: '1',
    ...more,
  });
  const EVENT = {
    executionDetails: { testTrafficWeights: {}, productionTrafficWeights: {}, serviceArn: 'arn:svc', targetServiceRevisionArn: 'arn:rev' },
    hookDetails: {},
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
  };

  function run(environment: NodeJS.ProcessEnv, findAddresses: (i: LoadBalancerInterfaces) => Promise<string[]> = async () => ['127.0.0.1']) {
    const lines: string[] = [];
    const findSpy = jest.fn(findAddresses);
    const readProduction = jest.fn(async () => [] as ProductionTarget[]);
    const handle = makeHandler({ findAddresses: findSpy, readProduction, protocol: 'http', env: environment, log: (line) => lines.push(line), retryDelayMs: 10 });
    return { result: handle(EVENT), lines, findSpy, readProduction, json: () => lines.map((l) => JSON.parse(l)) };
  }

  test('SUCCEEDED when every check passes, with a line per check and a summary', async () => {
    const r = run(env([check(rightPort), check(rightPort, '/', '200-399')]));
    await expect(r.result).resolves.toEqual({ hookStatus: 'SUCCEEDED' });
    expect(r.findSpy).toHaveBeenCalledWith({ description: 'ELB app/fido-alb/50dc6c495c0c9188', vpcId: 'vpc-0a1b2c3d' });
    // After test traffic moved, the production rules are not read: they serve the running revision.
    expect(r.readProduction).not.toHaveBeenCalled();
    const logged = r.json();
    expect(logged[0]).toMatchObject({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', executionDetails: { serviceArn: 'arn:svc' } });
    expect(logged.filter((l) => l.message === 'deployment check')).toEqual([
      expect.objectContaining({ port: rightPort, path: '/health', ok: true, status: 200 }),
      expect.objectContaining({ port: rightPort, path: '/', ok: true, status: 302 }),
    ]);
    expect(logged[logged.length - 1]).toMatchObject({ message: 'deployment check summary', hookStatus: 'SUCCEEDED', passed: 2, failed: 0 });
  });

  test('FAILED when one check fails, saying which and why', async () => {
    const r = run(env([check(rightPort), check(wrongPort)]));
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    const logged = r.json();
    expect(logged).toContainEqual(expect.objectContaining({ port: wrongPort, ok: false, status: 500, error: 'status 500, expected 200' }));
    expect(logged[logged.length - 1]).toMatchObject({ hookStatus: 'FAILED', passed: 1, failed: 1 });
  });

  test('FAILED when a check answers later than CHECK_TIMEOUT_SECONDS, after CHECK_ATTEMPTS attempts', async () => {
    const r = run(env([check(slowPort)], { CHECK_TIMEOUT_SECONDS: '0.1', CHECK_ATTEMPTS: '2' }));
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(r.json()).toContainEqual(expect.objectContaining({ port: slowPort, ok: false, error: 'timed out after 100 ms', attempts: 2 }));
  });

  test('by default, makes 3 attempts per check', async () => {
    const r = run(env([check(wrongPort)], { CHECK_TIMEOUT_SECONDS: undefined, CHECK_ATTEMPTS: undefined }));
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(r.json()).toContainEqual(expect.objectContaining({ port: wrongPort, ok: false, attempts: 3 }));
  });

  test('FAILED when no load balancer address is found', async () => {
    const r = run(env([check(rightPort)]), async () => []);
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(r.lines.join('\n')).toMatch(/no in-use network interface of Elastic Load Balancing described 'ELB app\/fido-alb\/50dc6c495c0c9188' in vpc-0a1b2c3d/);
  });

  test('FAILED, not thrown, when finding the addresses throws', async () => {
    const r = run(env([check(rightPort)]), async () => {
      throw new Error('not authorized to perform: ec2:DescribeNetworkInterfaces');
    });
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(r.lines.join('\n')).toMatch(/not authorized to perform: ec2:DescribeNetworkInterfaces/);
  });

  test.each([
    ['DEPLOYMENT_CHECKS is not JSON', env('[{"port": 443,')],
    ['DEPLOYMENT_CHECKS must be a non-empty array', env([])],
    ['DEPLOYMENT_CHECKS is not set', env(undefined, { DEPLOYMENT_CHECKS: undefined })],
    ['DEPLOYMENT_CHECKS[0].expectedStatusCodes must be status codes', env([check(443, '/', 'ok')])],
    ['SERVER_NAME is not set', env([check(443)], { SERVER_NAME: '' })],
    ['LOAD_BALANCER_ENI_DESCRIPTION is not set', env([check(443)], { LOAD_BALANCER_ENI_DESCRIPTION: undefined })],
    ['LOAD_BALANCER_VPC_ID is not set', env([check(443)], { LOAD_BALANCER_VPC_ID: undefined })],
    ['CHECK_TIMEOUT_SECONDS must be a number', env([check(443)], { CHECK_TIMEOUT_SECONDS: 'five' })],
    ['CHECK_ATTEMPTS must be a whole number', env([check(443)], { CHECK_ATTEMPTS: '0' })],
  ])('FAILED on bad configuration: %s', async (reason, environment) => {
    const r = run(environment);
    await expect(r.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(r.findSpy).not.toHaveBeenCalled();
    expect(r.json().pop()).toMatchObject({ hookStatus: 'FAILED', reason: expect.stringContaining(reason) });
  });
});

describe('findLoadBalancerAddresses', () => {
  const INTERFACES = { description: 'ELB app/fido-alb/50dc6c495c0c9188', vpcId: 'vpc-0a1b2c3d' };
  const FILTERS = [
    { Name: 'description', Values: [INTERFACES.description] },
    { Name: 'requester-id', Values: ['amazon-elb'] },
    { Name: 'requester-managed', Values: ['true'] },
    { Name: 'vpc-id', Values: [INTERFACES.vpcId] },
  ];
  const elb = { Description: INTERFACES.description, RequesterId: 'amazon-elb', RequesterManaged: true, VpcId: INTERFACES.vpcId };
  const pages: DescribeNetworkInterfacesCommandOutput[] = [
    {
      $metadata: {},
      NetworkInterfaces: [
        { ...elb, Status: 'in-use', PrivateIpAddress: '10.0.1.10' },
        { ...elb, Status: 'available', PrivateIpAddress: '10.0.1.11' },
        // Someone's own interface with the load balancer's description, or one in another VPC, never gets the checks.
        { ...elb, RequesterId: '111111111111', RequesterManaged: false, Status: 'in-use', PrivateIpAddress: '10.0.1.66' },
        { ...elb, VpcId: 'vpc-other', Status: 'in-use', PrivateIpAddress: '10.9.1.10' },
      ],
      NextToken: 'page-2',
    },
    { $metadata: {}, NetworkInterfaces: [{ ...elb, Status: 'in-use', PrivateIpAddress: '10.0.2.10' }, { ...elb, Status: 'in-use' }] },
  ];

  test('asks for Elastic Load Balancing\'s own interfaces of that description in the VPC, page by page, and keeps the in-use private IPs', async () => {
    let page = 0;
    const send = jest.fn(async (_command: DescribeNetworkInterfacesCommand) => pages[page++]);
    const client: NetworkInterfaceClient = { send };
    await expect(findLoadBalancerAddresses(INTERFACES, client)).resolves.toEqual(['10.0.1.10', '10.0.2.10']);
    expect(send.mock.calls.map(([command]) => command.input)).toEqual([
      { Filters: FILTERS, NextToken: undefined },
      { Filters: FILTERS, NextToken: 'page-2' },
    ]);
  });

  test('without a client, makes an EC2 client at the first call and keeps it', async () => {
    const send = jest.spyOn(EC2Client.prototype, 'send').mockImplementation(async () => pages[1]);
    try {
      await expect(findLoadBalancerAddresses(INTERFACES)).resolves.toEqual(['10.0.2.10']);
      await expect(findLoadBalancerAddresses(INTERFACES)).resolves.toEqual(['10.0.2.10']);
      expect(send).toHaveBeenCalledTimes(2);
      expect(send.mock.contexts[0]).toBeInstanceOf(EC2Client);
      expect(send.mock.contexts[1]).toBe(send.mock.contexts[0]);
      expect((send.mock.calls[0][0] as DescribeNetworkInterfacesCommand).input.Filters).toEqual(FILTERS);
    } finally {
      send.mockRestore();
    }
  });
});

describe('the production rules, before ECS starts a revision', () => {
  const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener-rule/app/fido/1/2/3';
  const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/blue/1';
  const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green/2';
  const target = (targetGroupArn: string, weight: number, registered: number, healthy: number): ProductionTarget => (
    { ruleArn: RULE, targetGroupArn, weight, registered, healthy });

  /** A stand-in for Elastic Load Balancing: the rule's weights, and each target group's targets' states. */
  function elbWith(weights: Array<[string, number]>, states: Record<string, string[]>): { client: LoadBalancingClient; send: jest.Mock } {
    const send = jest.fn(async (command: DescribeRulesCommand | DescribeTargetHealthCommand) => {
      if (command instanceof DescribeRulesCommand) {
        return {
          $metadata: {},
          Rules: [{
            RuleArn: RULE,
            Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }],
          }],
        };
      }
      const group = (command as DescribeTargetHealthCommand).input.TargetGroupArn!;
      return { $metadata: {}, TargetHealthDescriptions: (states[group] ?? []).map((State) => ({ TargetHealth: { State: State as any } })) };
    });
    return { client: { send } as LoadBalancingClient, send };
  }

  test('reads each rule\'s target groups with their weights and targets, draining ones left out', async () => {
    const { client, send } = elbWith([[BLUE, 0], [GREEN, 100]], { [BLUE]: [], [GREEN]: ['healthy', 'unhealthy', 'draining'] });
    await expect(readProductionTargets([RULE], client)).resolves.toEqual([target(BLUE, 0, 0, 0), target(GREEN, 100, 2, 1)]);
    expect(send.mock.calls[0][0].input).toEqual({ RuleArns: [RULE] });
  });

  test('a forward to one target group, without weights, sends it everything', async () => {
    const send = jest.fn(async (command: any) => (command instanceof DescribeRulesCommand
      ? { $metadata: {}, Rules: [{ RuleArn: RULE, Actions: [{ Type: 'forward', TargetGroupArn: BLUE }] }] }
      : { $metadata: {}, TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] }));
    await expect(readProductionTargets([RULE], { send } as LoadBalancingClient)).resolves.toEqual([target(BLUE, 1, 1, 1)]);
  });

  test.each([
    ['production on the healthy target group', [target(BLUE, 0, 0, 0), target(GREEN, 100, 2, 2)], true, /healthy targets/],
    ['a new service: nothing registered anywhere', [target(BLUE, 100, 0, 0), target(GREEN, 0, 0, 0)], true, /nothing serves yet/],
    ['the serving revision down, production on it', [target(BLUE, 100, 2, 0), target(GREEN, 0, 0, 0)], true, /none is healthy/],
    ['production reset onto the empty target group', [target(BLUE, 100, 0, 0), target(GREEN, 0, 2, 2)], false, /sends weight 100 to target group .*blue\/1, which is empty/],
    ['production on a group with no healthy target beside one with', [target(BLUE, 100, 1, 0), target(GREEN, 0, 2, 2)], false, /which has no healthy target, while .*green\/2 has/],
    ['every weight 0', [target(BLUE, 0, 2, 2), target(GREEN, 0, 0, 0)], false, /gives every target group weight 0/],
    ['a rule gone', [], false, /no target group behind production rule/],
  ])('%s: ok is %p', (_case, targets, ok, reason) => {
    const verdict = judgeProduction([RULE], targets);
    expect(verdict.ok).toBe(ok);
    expect(verdict.reason).toMatch(reason);
  });

  function hook(stage: string, targets: ProductionTarget[], more: NodeJS.ProcessEnv = {}) {
    const lines: string[] = [];
    const findAddresses = jest.fn(async () => ['127.0.0.1']);
    const readProduction = jest.fn(async () => targets);
    const env = { PRODUCTION_RULE_ARNS: JSON.stringify([RULE]), ...more };
    const handle = makeHandler({ findAddresses, readProduction, protocol: 'http', env, log: (line) => lines.push(line) });
    const result = handle({ lifecycleStage: stage, executionDetails: {} });
    return { result, findAddresses, readProduction, json: () => lines.map((l) => JSON.parse(l)) };
  }

  test.each(['RECONCILE_SERVICE', 'PRE_SCALE_UP'])('at %s: SUCCEEDED when production points at the healthy tasks, without a request to the test listener', async (stage) => {
    const h = hook(stage, [target(BLUE, 100, 2, 2), target(GREEN, 0, 0, 0)]);
    await expect(h.result).resolves.toEqual({ hookStatus: 'SUCCEEDED' });
    expect(h.readProduction).toHaveBeenCalledWith([RULE]);
    expect(h.findAddresses).not.toHaveBeenCalled();
    expect(h.json()).toContainEqual(expect.objectContaining({ message: 'production target group', targetGroupArn: BLUE, weight: 100, healthy: 2 }));
  });

  test('at PRE_SCALE_UP: FAILED when production weight is on an empty target group, saying which and how to mend it', async () => {
    const h = hook('PRE_SCALE_UP', [target(BLUE, 100, 0, 0), target(GREEN, 0, 3, 3)]);
    await expect(h.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(h.json().pop()).toMatchObject({ hookStatus: 'FAILED', reason: expect.stringMatching(/blue\/1, which is empty.*aws elbv2 modify-rule/) });
  });

  test.each([
    ['not set', {}, /PRODUCTION_RULE_ARNS is not JSON/],
    ['empty', { PRODUCTION_RULE_ARNS: '[]' }, /must be a non-empty array of listener rule ARNs/],
  ])('at PRE_SCALE_UP: FAILED when PRODUCTION_RULE_ARNS is %s', async (_case, env, reason) => {
    const h = hook('PRE_SCALE_UP', [], { PRODUCTION_RULE_ARNS: undefined, ...env });
    await expect(h.result).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(h.readProduction).not.toHaveBeenCalled();
    expect(h.json().pop().reason).toMatch(reason);
  });
});

describe('the bundled asset', () => {
  /** Written by `npx projen bundle`, which the test task runs before jest. */
  const BUNDLE = path.join(__dirname, '..', 'assets', 'private', 'deployment-check.lambda', 'index.js');

  test('loads and exports the handler Lambda calls (index.handler)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(BUNDLE) as { handler?: unknown; makeHandler?: typeof makeHandler };
    expect(typeof bundle.handler).toBe('function');
    expect(typeof bundle.makeHandler).toBe('function');
  });

  test('runs the checks as the sources do', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(BUNDLE) as { makeHandler: typeof makeHandler };
    const handle = bundle.makeHandler({
      findAddresses: async () => ['127.0.0.1'],
      readProduction: async () => [],
      protocol: 'http',
      env: { DEPLOYMENT_CHECKS: JSON.stringify([check(rightPort)]), SERVER_NAME, LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/a/b', LOAD_BALANCER_VPC_ID: 'vpc-1' },
      log: () => undefined,
    });
    await expect(handle({})).resolves.toEqual({ hookStatus: 'SUCCEEDED' });
    expect(hosts).toEqual([SERVER_NAME]);
  });
});
