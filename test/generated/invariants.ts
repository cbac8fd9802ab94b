/**
 * What must hold on the synthesized templates (nested stacks included) of every valid deployment.
 * Each check returns its violations; a violation's `kind` names the broken rule without the
 * case's values, so that the long run can tell distinct defects apart.
 */
import type { Facts } from './build';
import {
  DEFAULT_BAKE_MINUTES, DEFAULT_CHECK_CODES, isParam, Num, PRESET_COUNTS, Service, SERVICE_FACTS, SERVICES, strategyOf, testPortOf, ValidRecipe,
} from './recipes';
import { Deployed, Located, rootParameter } from './templates';
import { servingStatusCodes } from '../../src/private/deployment-check/checks';

export interface Violation {
  readonly kind: string;
  readonly detail: string;
}

export interface Invariant {
  readonly name: string;
  check(deployed: Deployed, recipe: ValidRecipe, facts: Facts): Violation[];
}

const violation = (kind: string, detail: string | undefined): Violation => ({ kind, detail: detail ?? 'undefined' });

// ---------------------------------------------------------------------------------------------
// Reading the templates.

interface FidoServices {
  readonly pyfido?: Located;
  readonly tomcat?: Located;
  readonly containers: Record<string, any>;
}

/** The two ECS services, told apart by their container, and the containers by name. */
function fidoServices(d: Deployed): FidoServices {
  const found: { pyfido?: Located; tomcat?: Located; containers: Record<string, any> } = { containers: {} };
  for (const service of d.resources('AWS::ECS::Service')) {
    const taskDefinition = d.resolve(d.canon(service.tid, service.resource.Properties.TaskDefinition));
    for (const container of taskDefinition?.resource.Properties.ContainerDefinitions ?? []) {
      if (container.Name === 'pyfido' || container.Name === 'tomcat') {
        found[container.Name as 'pyfido' | 'tomcat'] = service;
        found.containers[container.Name] = { ...container, tid: taskDefinition!.tid };
      }
    }
  }
  return found;
}

interface Rule {
  readonly direction: 'in' | 'out';
  readonly group: string;
  readonly peer: string;
  readonly protocol: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** Every security group rule, inline or separate, with its group and peer made absolute. */
function securityGroupRules(d: Deployed): Rule[] {
  const rules: Rule[] = [];
  const add = (tid: string, direction: 'in' | 'out', group: string, r: any) => {
    const peer = r.CidrIp ?? r.CidrIpv6 ?? r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId
      ?? r.SourcePrefixListId ?? r.DestinationPrefixListId;
    rules.push({
      direction,
      group,
      peer: d.key(tid, peer),
      protocol: String(r.IpProtocol),
      from: d.canon(tid, r.FromPort),
      to: d.canon(tid, r.ToPort),
    });
  };
  for (const sg of d.resources('AWS::EC2::SecurityGroup')) {
    const group = JSON.stringify({ 'Fn::GetAtt': [`${sg.tid}#${sg.id}`, 'GroupId'] });
    for (const r of sg.resource.Properties.SecurityGroupIngress ?? []) add(sg.tid, 'in', group, r);
    for (const r of sg.resource.Properties.SecurityGroupEgress ?? []) add(sg.tid, 'out', group, r);
  }
  for (const r of d.resources('AWS::EC2::SecurityGroupIngress')) add(r.tid, 'in', d.key(r.tid, r.resource.Properties.GroupId), r.resource.Properties);
  for (const r of d.resources('AWS::EC2::SecurityGroupEgress')) add(r.tid, 'out', d.key(r.tid, r.resource.Properties.GroupId), r.resource.Properties);
  return rules;
}

const describeRule = (r: Rule) => `${r.peer} ${r.protocol} ${JSON.stringify(r.from)}-${JSON.stringify(r.to)}`;
const isTcpPort = (r: Rule, port: number) => r.protocol === 'tcp' && r.from === port && r.to === port;
const covers = (r: Rule, port: number) => r.protocol === '-1'
  || (r.protocol === 'tcp' && typeof r.from === 'number' && typeof r.to === 'number' && r.from <= port && port <= r.to);

/** The security groups of the load balancer and of the tasks. */
function fidoSecurityGroups(d: Deployed): { loadBalancer?: string; tasks?: string } {
  const alb = d.resources('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
  const service = d.resources('AWS::ECS::Service')[0];
  const first = (located: Located | undefined, groups: any) => located && Array.isArray(groups) && groups.length > 0
    ? d.key(located.tid, groups[0]) : undefined;
  return {
    loadBalancer: first(alb, alb?.resource.Properties.SecurityGroups),
    tasks: first(service, service?.resource.Properties.NetworkConfiguration?.AwsvpcConfiguration?.SecurityGroups),
  };
}

/** The resource a value points at (`{ Ref }` or `{ 'Fn::GetAtt' }`), as `tid#id`. */
function targetOf(d: Deployed, tid: string, value: unknown): string | undefined {
  const r = d.resolve(d.canon(tid, value));
  return r && `${r.tid}#${r.id}`;
}

/** The deployment check of an ECS service: the function its lifecycle hook invokes, and the function's security groups. */
function deploymentCheckOf(d: Deployed, service: Located | undefined): { fn: Located; securityGroups: string[] } | undefined {
  const hooks = service?.resource.Properties.DeploymentConfiguration?.LifecycleHooks ?? [];
  const fn = hooks.length === 1 ? d.resolve(d.canon(service!.tid, hooks[0].HookTargetArn)) : undefined;
  if (fn?.resource.Type !== 'AWS::Lambda::Function') {
    return undefined;
  }
  return { fn, securityGroups: (fn.resource.Properties.VpcConfig?.SecurityGroupIds ?? []).map((g: unknown) => d.key(fn.tid, g)) };
}

/**
 * A string value with each reference in it written `<<tid#id>>` (quotes and backslashes cannot
 * occur), so that JSON built around a token (DEPLOYMENT_CHECKS of a token health check path) can
 * be read back.
 */
function withPlaceholders(value: any): string | undefined {
  if (typeof value === 'string' || value === undefined) {
    return value;
  }
  const parts = value?.['Fn::Join']?.[0] === '' ? value['Fn::Join'][1] : [value];
  return (parts as any[]).map((p) => typeof p === 'string' ? p : `<<${typeof p?.Ref === 'string' ? p.Ref : '?'}>>`).join('');
}

/** Every `{ Ref }` in `value`, with where it sits. */
function refsIn(value: any, where: string[] = [], found: Array<{ ref: any; where: string[] }> = []): Array<{ ref: any; where: string[] }> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => refsIn(v, [...where, String(i)], found));
  } else if (typeof value === 'object' && value !== null) {
    if (Object.keys(value).length === 1 && typeof value.Ref === 'string') {
      found.push({ ref: value, where });
    } else {
      for (const [k, v] of Object.entries(value)) refsIn(v, [...where, k], found);
    }
  }
  return found;
}

/** The number of literal characters of a name (a lower bound, when part of it is a reference). */
function literalLength(name: unknown): number {
  if (typeof name === 'string') {
    return name.length;
  }
  const parts = (name as any)?.['Fn::Join']?.[1];
  return Array.isArray(parts) ? parts.reduce((n: number, p: unknown) => n + (typeof p === 'string' ? p.length : 0), 0) : 0;
}

/** The expected value of a Str prop in the templates: the literal, or the reference to its parameter. */
function expected(value: unknown, facts: Facts, prop: string): unknown {
  return isParam(value) ? rootParameter(facts.params[prop]) : value;
}

const concat = (...parts: unknown[]) => {
  const flat: unknown[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && typeof flat[flat.length - 1] === 'string') {
      flat[flat.length - 1] += p;
    } else {
      flat.push(p);
    }
  }
  return flat.length === 1 ? flat[0] : { 'Fn::Join': ['', flat] };
};

/** The domain as the endpoints must carry it: lowercased, or the token. */
function expectedDomain(recipe: ValidRecipe, facts: Facts): unknown {
  const name = recipe.domain.name;
  return isParam(name) ? rootParameter(facts.params['domain.domainName']) : name.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// The invariants.

const NAME_LIMITS: ReadonlyArray<{ type: string; property: string; limit: number; what: string }> = [
  { type: 'AWS::ECS::Cluster', property: 'ClusterName', limit: 255, what: 'ECS cluster name' },
  { type: 'AWS::Logs::LogGroup', property: 'LogGroupName', limit: 512, what: 'log group name' },
  { type: 'AWS::CloudWatch::Alarm', property: 'AlarmName', limit: 255, what: 'alarm name' },
  { type: 'AWS::ServiceDiscovery::HttpNamespace', property: 'Name', limit: 1024, what: 'Cloud Map namespace' },
  { type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', property: 'Name', limit: 1024, what: 'Cloud Map namespace' },
  { type: 'AWS::ServiceDiscovery::PublicDnsNamespace', property: 'Name', limit: 1024, what: 'Cloud Map namespace' },
];

/** Every physical name the deployment sets is within its AWS limit. */
export const physicalNames: Invariant = {
  name: 'every physical name is within its AWS limit',
  check(d) {
    const found: Violation[] = [];
    const judge = (what: string, limit: number, name: unknown) => {
      if (name !== undefined && literalLength(name) > limit) {
        found.push(violation(`${what} over ${limit} characters`, `${literalLength(name)} characters: ${JSON.stringify(name)}`));
      }
    };
    for (const { type, property, limit, what } of NAME_LIMITS) {
      for (const r of d.resources(type)) judge(what, limit, r.resource.Properties?.[property]);
    }
    // A Service Connect namespace named (not referenced by ARN) in the cluster or a service is created by ECS.
    const namespaceName = (n: unknown) => typeof n === 'string' && !n.startsWith('arn:') ? n : undefined;
    for (const r of d.resources('AWS::ECS::Cluster')) judge('Cloud Map namespace', 1024, namespaceName(r.resource.Properties?.ServiceConnectDefaults?.Namespace));
    for (const r of d.resources('AWS::ECS::Service')) judge('Cloud Map namespace', 1024, namespaceName(r.resource.Properties?.ServiceConnectConfiguration?.Namespace));
    return found;
  },
};

/** The MongoDB password reaches the templates only as a dynamic reference or a NoEcho parameter, and only in a secret. */
export const noSecretMaterial: Invariant = {
  name: 'no secret material appears in any template',
  check(d, _recipe, facts) {
    const found: Violation[] = [];
    for (const [tid, template] of d.templates) {
      for (const marker of facts.markers) {
        const text = JSON.stringify(template);
        if (text.replace(/\{\{resolve:[^}]*\}\}/g, '').includes(marker)) {
          found.push(violation('password reference outside a {{resolve:...}} dynamic reference', `template ${tid}`));
        }
        for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
          const { SecretString: _kept, ...rest } = resource.Properties ?? {};
          if (JSON.stringify(resource.Type === 'AWS::SecretsManager::Secret' ? rest : resource).includes(marker)) {
            found.push(violation(`password reference in a ${resource.Type} (not a secret's SecretString)`, `${tid}#${id}`));
          }
        }
        if (JSON.stringify(template.Outputs ?? {}).includes(marker)) {
          found.push(violation('password reference in an output', tid));
        }
      }
      if (facts.passwordParam) {
        const password = JSON.stringify(rootParameter(facts.passwordParam));
        for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
          for (const { ref, where } of refsIn(resource.Properties ?? {})) {
            if (d.key(tid, ref) !== password) continue;
            if (resource.Type === 'AWS::SecretsManager::Secret' && where[0] === 'SecretString') continue;
            if (resource.Type === 'AWS::CloudFormation::Stack' && where[0] === 'Parameters') {
              const child = d.templates.get(`${tid}/${id}`);
              if (child?.Parameters?.[where[1]]?.NoEcho !== true) {
                found.push(violation('the NoEcho password parameter is passed to a nested stack parameter without NoEcho', `${tid}/${id} parameter ${where[1]}`));
              }
              continue;
            }
            found.push(violation(`the NoEcho password parameter is referenced in a ${resource.Type}`, `${tid}#${id} ${where.join('.')}`));
          }
        }
        if (refsIn(template.Outputs ?? {}).some(({ ref }) => d.key(tid, ref) === password)) {
          found.push(violation('the NoEcho password parameter is referenced in an output', tid));
        }
      }
    }
    return found;
  },
};

/**
 * The load balancer admits its production listener ports (443, 5001, 8080, 80 with the redirect)
 * from the allowed clients, and the test port of each traffic-shifting service from that
 * service's deployment check's security group and its testers (`deployment.testIngress`) only:
 * never from the allowed clients, since it serves the unchecked revision. The check's group admits
 * nothing and sends only to that port of the load balancer and to HTTPS (the EC2 API). The tasks
 * admit 5001 and 8080 from the load balancer only (and 5001 from themselves).
 */
export const securityGroups: Invariant = {
  name: 'the security groups admit the allowed clients to the load balancer, each deployment check and its service\'s testers to its test port, and the load balancer to the tasks',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const { loadBalancer, tasks } = fidoSecurityGroups(d);
    if (!loadBalancer || !tasks) {
      return [violation('load balancer or tasks without a security group', `${loadBalancer} ${tasks}`)];
    }
    const rules = securityGroupRules(d);
    const ports = [443, 5001, 8080, ...(recipe.loadBalancer?.redirectHttp ? [80] : [])];
    const testers = SERVICES.flatMap((s) => {
      const port = testPortOf(recipe, s);
      const cidrs = port === undefined ? [] : recipe.services?.[s]?.deployment?.testIngress ?? [];
      return cidrs.map((cidr) => ({ service: s, peer: JSON.stringify(cidr), port: port! }));
    });
    // The security groups of the deployment checks, with their service's test port (a service without its check is not this invariant's to report).
    const services = fidoServices(d);
    const checks = SERVICES.flatMap((s) => {
      const port = testPortOf(recipe, s);
      const check = port === undefined ? undefined : deploymentCheckOf(d, services[SERVICE_FACTS[s].container]);
      return check ? check.securityGroups.map((group) => ({ service: s, group, port: port! })) : [];
    });
    const albIngress = rules.filter((r) => r.direction === 'in' && r.group === loadBalancer);
    for (const client of facts.clients) {
      for (const port of ports) {
        if (!albIngress.some((r) => r.peer === client && isTcpPort(r, port))) {
          found.push(violation('the load balancer does not admit a listener port from an allowed client', `${client} ${port}`));
        }
      }
    }
    for (const { service, peer, port } of testers) {
      if (!albIngress.some((r) => r.peer === peer && isTcpPort(r, port))) {
        found.push(violation('the load balancer does not admit a test port from a tester of its service', `${service} ${peer} ${port}`));
      }
    }
    for (const { service, group, port } of checks) {
      if (!albIngress.some((r) => r.peer === group && isTcpPort(r, port))) {
        found.push(violation("the load balancer does not admit its test port from the deployment check's security group", `${service} ${port} ${group}`));
      }
    }
    for (const r of albIngress) {
      const fromClient = facts.clients.includes(r.peer) && ports.some((p) => isTcpPort(r, p));
      const fromCheck = checks.some((c) => c.group === r.peer && isTcpPort(r, c.port));
      const fromTester = testers.some((t) => t.peer === r.peer && isTcpPort(r, t.port));
      if (!fromClient && !fromCheck && !fromTester) {
        found.push(violation('the load balancer admits something other than the allowed clients on its listener ports, and the deployment checks and testers on their test ports', describeRule(r)));
      }
    }
    for (const { service, group, port } of checks) {
      const own = rules.filter((r) => r.group === group);
      for (const r of own.filter((x) => x.direction === 'in')) {
        found.push(violation("a deployment check's security group admits something", `${service} ${describeRule(r)}`));
      }
      const egress = own.filter((r) => r.direction === 'out');
      const anywhere = JSON.stringify('0.0.0.0/0');
      if (!egress.some((r) => r.peer === loadBalancer && isTcpPort(r, port))) {
        found.push(violation("a deployment check's security group may not send to its test port on the load balancer", `${service} ${port}`));
      }
      if (!egress.some((r) => r.peer === anywhere && isTcpPort(r, 443))) {
        found.push(violation("a deployment check's security group may not send HTTPS to the EC2 API", service));
      }
      for (const r of egress.filter((x) => !(x.peer === loadBalancer && isTcpPort(x, port)) && !(x.peer === anywhere && isTcpPort(x, 443)))) {
        found.push(violation("a deployment check's security group may send elsewhere than its test port on the load balancer and HTTPS", `${service} ${describeRule(r)}`));
      }
    }
    const taskIngress = rules.filter((r) => r.direction === 'in' && r.group === tasks);
    for (const port of [5001, 8080]) {
      if (!taskIngress.some((r) => r.peer === loadBalancer && isTcpPort(r, port))) {
        found.push(violation('the tasks do not admit a container port from the load balancer', String(port)));
      }
    }
    for (const r of taskIngress) {
      const allowed = (r.peer === loadBalancer && (isTcpPort(r, 5001) || isTcpPort(r, 8080))) || (r.peer === tasks && isTcpPort(r, 5001));
      if (!allowed) {
        found.push(violation('the tasks admit something other than the load balancer on 5001/8080 and themselves on 5001', describeRule(r)));
      }
    }
    return found;
  },
};

const POLICY = { retain: 'Retain', destroy: 'Delete', snapshot: 'Snapshot' } as const;

/** In prod, stateful resources are retained (the DocumentDB cluster snapshotted) unless the props say otherwise; a given removal policy is applied. */
export const retention: Invariant = {
  name: 'prod retains its secrets, log groups, keys and buckets, and snapshots DocumentDB',
  check(d, recipe) {
    const found: Violation[] = [];
    const prod = recipe.deploymentEnvironment === 'prod';
    const judge = (r: Located, what: string, policy: string | undefined, why: string) => {
      if (policy && (r.resource.DeletionPolicy !== policy || r.resource.UpdateReplacePolicy !== policy)) {
        found.push(violation(`${what} ${why}`, `${r.tid}#${r.id}: DeletionPolicy ${r.resource.DeletionPolicy}, UpdateReplacePolicy ${r.resource.UpdateReplacePolicy}, expected ${policy}`));
      }
    };
    const documentDbSecrets = new Set(d.resources('AWS::SecretsManager::SecretTargetAttachment')
      .filter((a) => a.resource.Properties.TargetType === 'AWS::DocDB::DBCluster')
      .map((a) => d.resolve(d.canon(a.tid, a.resource.Properties.SecretId)))
      .map((s) => s && `${s.tid}#${s.id}`));
    for (const r of d.resources('AWS::SecretsManager::Secret')) {
      judge(r, documentDbSecrets.has(`${r.tid}#${r.id}`) ? 'DocumentDB master secret' : 'secret', prod ? 'Retain' : undefined, 'not retained in prod');
    }
    const logPolicy = recipe.logging?.removalPolicy;
    for (const r of d.resources('AWS::Logs::LogGroup')) {
      if (logPolicy) {
        judge(r, 'log group', POLICY[logPolicy], 'without the given logging.removalPolicy');
      } else {
        judge(r, 'log group', prod ? 'Retain' : undefined, 'not retained in prod');
      }
    }
    // The alarm topic's own key (when no deployment key encrypts it) protects messages only while
    // SNS delivers them: nothing at rest is left to decrypt once the topic is gone (fido-monitoring.ts).
    for (const r of d.resources('AWS::KMS::Key').filter((k) => !/TopicKey[0-9A-F]{8}$/.test(k.id))) {
      judge(r, 'KMS key', prod ? 'Retain' : undefined, 'not retained in prod');
    }
    for (const r of d.resources('AWS::S3::Bucket')) judge(r, 'bucket', prod ? 'Retain' : undefined, 'not retained in prod');
    const given = recipe.mongoDb.kind === 'documentDb' ? recipe.mongoDb.removalPolicy : undefined;
    for (const r of d.resources('AWS::DocDB::DBCluster')) {
      if (given) {
        judge(r, 'DocumentDB cluster', POLICY[given], 'without the given removalPolicy');
      } else {
        judge(r, 'DocumentDB cluster', prod ? 'Snapshot' : undefined, 'not snapshotted in prod');
      }
    }
    return found;
  },
};

/** The load balancer sits in public subnets of the VPC: the created VPC's public subnets, or the public subnet ids given. */
export const loadBalancerSubnets: Invariant = {
  name: 'the load balancer is in the public subnets of the VPC',
  check(d, recipe, facts) {
    const alb = d.resources('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
    if (!alb) {
      return [violation('no load balancer', '')];
    }
    const subnets = (alb.resource.Properties.Subnets ?? []).map((s: unknown) => d.canon(alb.tid, s));
    const found: Violation[] = [];
    if (recipe.vpc.kind === 'created') {
      const isPublic = (r: Located | undefined) => r?.resource.Type === 'AWS::EC2::Subnet'
        && (r.resource.Properties.Tags ?? []).some((t: any) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public');
      const publicSubnets = d.resources('AWS::EC2::Subnet').filter(isPublic);
      for (const s of subnets) {
        if (!isPublic(d.resolve(s))) found.push(violation('the load balancer is in a subnet that is not public', JSON.stringify(s)));
      }
      if (new Set(subnets.map((s: unknown) => JSON.stringify(s))).size !== publicSubnets.length) {
        found.push(violation('the load balancer is not in every public subnet', `${subnets.length} subnets, ${publicSubnets.length} public`));
      }
    } else {
      const given = facts.publicSubnetIds ?? [];
      for (const s of subnets) {
        if (!given.includes(s)) found.push(violation('the load balancer is in a subnet that is not one of the given public subnets', JSON.stringify(s)));
      }
      if (new Set(subnets).size !== given.length) {
        found.push(violation('the load balancer is not in every selected public subnet', `${JSON.stringify(subnets)} vs ${JSON.stringify(given)}`));
      }
    }
    return found;
  },
};

/**
 * With a hosted zone, the alias records are the lowercased domain (or the domain token) plus '.':
 * an A record, and an AAAA record beside it (same name, zone and target) when dual-stack.
 */
export const aliasRecord: Invariant = {
  name: "the alias records' name is the lowercased domain plus '.', AAAA beside A when dual-stack",
  check(d, recipe, facts) {
    const records = d.resources('AWS::Route53::RecordSet').filter((r) => r.resource.Properties.AliasTarget);
    if (recipe.domain.zoneName === undefined) {
      return records.length === 0 ? [] : [violation('an alias record without a hosted zone', '')];
    }
    const types = records.map((r) => r.resource.Properties.Type).sort();
    const want = recipe.loadBalancer?.ipAddressType === 'dualstack' ? ['A', 'AAAA'] : ['A'];
    if (JSON.stringify(types) !== JSON.stringify(want)) {
      return [violation('the alias records are not an A record (and an AAAA record when dual-stack)', `${types.join(', ')}, expected ${want.join(', ')}`)];
    }
    const found: Violation[] = [];
    const wantName = concat(expectedDomain(recipe, facts), '.');
    for (const record of records) {
      const name = d.canon(record.tid, record.resource.Properties.Name);
      if (JSON.stringify(name) !== JSON.stringify(wantName)) {
        found.push(violation(isParam(recipe.domain.name) ? 'the alias record of a domain token is not the token plus "."' : 'the alias record is not the lowercased domain plus "."',
          `${JSON.stringify(name)}, expected ${JSON.stringify(wantName)}`));
      }
    }
    const [a, aaaa] = records.map((r) => d.canon(r.tid, { zone: r.resource.Properties.HostedZoneId, target: r.resource.Properties.AliasTarget }));
    if (aaaa && JSON.stringify(a) !== JSON.stringify(aaaa)) {
      found.push(violation('the AAAA record is not in the zone of the A record, at its target', `${JSON.stringify(aaaa)} vs ${JSON.stringify(a)}`));
    }
    return found;
  },
};

/**
 * The load balancer's address type is the recipe's; a created VPC has IPv6 (a block, a /64 in each
 * subnet, assigned to nothing on launch) exactly when the load balancer is dual-stack; and no IPv6
 * rule admits anyone to an IPv4 load balancer.
 */
export const addressFamilies: Invariant = {
  name: 'the load balancer serves IPv6 exactly when dual-stack, from a created VPC with IPv6',
  check(d, recipe) {
    const found: Violation[] = [];
    const dualStack = recipe.loadBalancer?.ipAddressType === 'dualstack';
    const alb = d.resources('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
    const type = alb?.resource.Properties.IpAddressType ?? 'ipv4';
    if (type !== (dualStack ? 'dualstack' : 'ipv4')) {
      found.push(violation('the load balancer\'s IpAddressType is not the recipe\'s', `${type}`));
    }
    if (recipe.vpc.kind === 'created') {
      const blocks = d.resources('AWS::EC2::VPCCidrBlock').filter((r) => r.resource.Properties.AmazonProvidedIpv6CidrBlock === true);
      if (blocks.length !== (dualStack ? 1 : 0)) {
        found.push(violation(dualStack ? 'a dual-stack deployment\'s created VPC has no IPv6 block' : 'an IPv4 deployment\'s created VPC has an IPv6 block', `${blocks.length}`));
      }
      for (const subnet of d.resources('AWS::EC2::Subnet')) {
        const p = subnet.resource.Properties;
        if ((p.Ipv6CidrBlock !== undefined) !== dualStack || (dualStack && p.AssignIpv6AddressOnCreation !== false)) {
          found.push(violation('a created subnet\'s IPv6 block does not follow the load balancer, or it assigns IPv6 addresses on launch', JSON.stringify(p.Ipv6CidrBlock ?? null)));
        }
      }
    }
    if (!dualStack && securityGroupRules(d).some((r) => r.direction === 'in' && /:/.test(r.peer) && /^"[0-9a-f:]+\/\d+"$/i.test(r.peer))) {
      found.push(violation('an IPv4 deployment admits an IPv6 range', ''));
    }
    return found;
  },
};

/**
 * Tomcat reaches PyFIDO inside the VPC through Service Connect, on a rule between two groups of
 * their own (each service's second group): the shared task group, which users attach to through
 * the deployment's connections, admits nothing on 5001 from itself.
 */
export const taskToTask: Invariant = {
  name: 'Tomcat reaches PyFIDO task to task through Service Connect',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const { tasks } = fidoSecurityGroups(d);
    const rules = securityGroupRules(d).filter((r) => r.group === tasks);
    if (rules.some((r) => r.direction === 'in' && r.peer === tasks && covers(r, 5001))) {
      found.push(violation('the shared task group admits 5001 from itself, so from whatever a user attaches to it', ''));
    }
    const ownGroup = (service: Located | undefined) => {
      const groups = service?.resource.Properties.NetworkConfiguration?.AwsvpcConfiguration?.SecurityGroups;
      const both = service && Array.isArray(groups) && groups.length === 2 && d.key(service.tid, groups[0]) === tasks;
      return both ? d.key(service.tid, groups[1]) : undefined;
    };
    const own = fidoServices(d);
    const [pyFidoGroup, tomcatGroup] = [ownGroup(own.pyfido), ownGroup(own.tomcat)];
    if (!pyFidoGroup || !tomcatGroup) {
      found.push(violation('PyFIDO and Tomcat do not each hold the shared task group and a Service Connect group of their own', `${pyFidoGroup} ${tomcatGroup}`));
    } else {
      const all = securityGroupRules(d);
      const pyFidoIn = all.filter((r) => r.group === pyFidoGroup && r.direction === 'in');
      if (pyFidoIn.length !== 1 || pyFidoIn[0].peer !== tomcatGroup || !isTcpPort(pyFidoIn[0], 5001)) {
        found.push(violation("PyFIDO's Service Connect group admits other than 5001 from Tomcat's", pyFidoIn.map(describeRule).join(', ')));
      }
      if (!all.some((r) => r.group === tomcatGroup && r.direction === 'out' && r.peer === pyFidoGroup && isTcpPort(r, 5001))) {
        found.push(violation("Tomcat's Service Connect group may not send to 5001 of PyFIDO's", ''));
      }
      if (all.some((r) => r.group === tomcatGroup && r.direction === 'in')) {
        found.push(violation("Tomcat's Service Connect group admits something", ''));
      }
    }
    // MongoDB on 5001 without a known security group needs that egress for itself.
    const m = recipe.mongoDb;
    const mongoOn5001 = (m.kind === 'endpoint' || m.kind === 'secret') && !m.securityGroup && m.port === 5001;
    if (!recipe.network?.allowAllOutbound && !mongoOn5001) {
      for (const r of rules.filter((x) => x.direction === 'out' && x.peer === JSON.stringify('0.0.0.0/0') && covers(x, 5001))) {
        found.push(violation('the tasks may send to 5001 anywhere (0.0.0.0/0)', describeRule(r)));
      }
    }
    const services = fidoServices(d);
    const pyfido = services.pyfido?.resource.Properties.ServiceConnectConfiguration;
    if (pyfido?.Enabled !== true) {
      found.push(violation('the PyFIDO service has no Service Connect', JSON.stringify(pyfido)));
    } else if (!(pyfido.Services ?? []).some((s: any) => s.PortName === 'pyfido'
      && (s.ClientAliases ?? []).some((a: any) => a.Port === 5001 && a.DnsName === 'pyfido'))) {
      found.push(violation("the PyFIDO service's Service Connect does not serve port 'pyfido' as pyfido:5001", JSON.stringify(pyfido.Services)));
    }
    const tomcat = services.tomcat?.resource.Properties.ServiceConnectConfiguration;
    if (tomcat?.Enabled !== true) {
      found.push(violation('the Tomcat service has no Service Connect', JSON.stringify(tomcat)));
    }
    const container = services.containers.tomcat;
    const variables: Record<string, unknown> = Object.fromEntries((container?.Environment ?? [])
      .map((e: any) => [e.Name, d.canon(container.tid, e.Value)]));
    // Service Connect reaches the container itself: in the protocol PyFIDO's target group speaks.
    const internalUrl = `${(recipe.services?.pyFido?.targetProtocol ?? 'HTTP').toLowerCase()}://pyfido:5001`;
    if (variables.PYFIDO_INTERNAL_URL !== internalUrl) {
      found.push(violation(`Tomcat's PYFIDO_INTERNAL_URL is not '${internalUrl}'`, JSON.stringify(variables.PYFIDO_INTERNAL_URL)));
    }
    const publicUrl = concat('https://', expectedDomain(recipe, facts), ':5001');
    if (JSON.stringify(variables.PYFIDO_URL) !== JSON.stringify(publicUrl)) {
      found.push(violation(isParam(recipe.domain.name) ? "Tomcat's PYFIDO_URL is not 'https://<domain token>:5001'" : "Tomcat's PYFIDO_URL is not 'https://<lowercased domain>:5001'",
        `${JSON.stringify(variables.PYFIDO_URL)}, expected ${JSON.stringify(publicUrl)}`));
    }
    return found;
  },
};

/** Whether autoscaling is on for a service: a token minimum or maximum, or a literal maximum above the minimum. */
function autoscaling(recipe: ValidRecipe, s: Service): boolean {
  const z = recipe.sizing?.[s] ?? {};
  const preset = PRESET_COUNTS[recipe.deploymentEnvironment];
  const desired: Num = z.desiredCount ?? preset.desired;
  const min: Num = z.minCapacity ?? desired;
  const max: Num | undefined = z.maxCapacity ?? (isParam(desired) ? undefined : Math.max(preset.max, desired));
  return isParam(min) || max === undefined || isParam(max) || max > min;
}

/**
 * Whether a prop's value is used at all with these props: a token is carried wherever a literal
 * in its place would be. The desired count is left out under autoscaling once a minimum is given
 * (README: a deploy never resets the scaler's count), the CPU target without autoscaling, the
 * rate limit without WAF, the prefix without access logs, the tag with both images given.
 */
function used(recipe: ValidRecipe, prop: string): boolean {
  const [, service, key] = prop.split('.') as [string, Service, string];
  if (prop.startsWith('sizing.') && key === 'desiredCount') {
    return !(autoscaling(recipe, service) && recipe.sizing?.[service]?.minCapacity !== undefined);
  }
  if (prop.startsWith('sizing.') && key === 'targetCpuUtilizationPercent') {
    return autoscaling(recipe, service);
  }
  if (prop === 'waf.rateLimit') {
    return recipe.waf?.enabled ?? recipe.deploymentEnvironment === 'prod';
  }
  if (prop === 'loadBalancer.accessLogsPrefix') {
    return recipe.loadBalancer?.accessLogs ?? true;
  }
  if (prop === 'images.tag') {
    return !(recipe.images?.pyFido && recipe.images?.tomcat);
  }
  return true;
}

/** A prop path without the case's names: `services.tomcat.environment.<name>`, `network.allowedIngress[i]`. */
const propPattern = (prop: string) => prop.replace(/\[\d+\]/g, '[i]').replace(/^(services\.\w+\.environment)\..*$/, '$1.<name>');

/** A CloudFormation parameter passed where the token policy carries tokens is referenced in the templates, never dropped. */
export const tokensCarried: Invariant = {
  name: 'a token passed where tokens are carried is referenced in the templates',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const referenced = new Set<string>();
    for (const [tid, template] of d.templates) {
      for (const resource of Object.values<any>(template.Resources ?? {})) {
        // What a stack passes to its nested stacks is counted where the nested stack uses it.
        const uses = resource.Type === 'AWS::CloudFormation::Stack' ? { ...resource.Properties, Parameters: undefined } : resource;
        for (const { ref } of refsIn(uses)) referenced.add(d.key(tid, ref));
      }
      for (const { ref } of refsIn(template.Outputs ?? {})) referenced.add(d.key(tid, ref));
    }
    for (const [prop, id] of Object.entries(facts.params)) {
      if (used(recipe, prop) && !referenced.has(JSON.stringify(rootParameter(id)))) {
        found.push(violation(`a token given for ${propPattern(prop)} is not referenced in any template`, prop));
      }
    }
    // A token minimum or maximum turns autoscaling on, and the scalable target carries it.
    const services = fidoServices(d);
    for (const s of SERVICES) {
      const z = recipe.sizing?.[s] ?? {};
      const min = z.minCapacity ?? z.desiredCount;
      const minProp = z.minCapacity !== undefined ? 'minCapacity' : 'desiredCount';
      const checks: Array<[string, unknown, string]> = [['MinCapacity', min, minProp], ['MaxCapacity', z.maxCapacity, 'maxCapacity']];
      if (!checks.some(([, v]) => isParam(v))) continue;
      const service = services[s === 'pyFido' ? 'pyfido' : 'tomcat'];
      const target = d.resources('AWS::ApplicationAutoScaling::ScalableTarget')
        .find((t) => service && d.key(t.tid, t.resource.Properties.ResourceId).includes(`"${service.tid}#${service.id}"`));
      for (const [property, value, prop] of checks) {
        if (!isParam(value)) continue;
        const want = JSON.stringify(expected(value, facts, `sizing.${s}.${prop}`));
        if (!target || d.key(target.tid, target.resource.Properties[property]) !== want) {
          found.push(violation(`a token sizing.${s}.${prop} does not reach the scalable target's ${property}`,
            target ? d.key(target.tid, target.resource.Properties[property]) : 'no scalable target'));
        }
      }
    }
    return found;
  },
};

/** Whether two objects hold the same values under the same keys (undefined for both: the same). */
function sameFields(actual: any, want: Record<string, unknown> | undefined): boolean {
  if (actual === undefined || want === undefined) {
    return actual === want;
  }
  const keys = new Set([...Object.keys(actual ?? {}), ...Object.keys(want)]);
  return [...keys].every((k) => JSON.stringify(actual?.[k]) === JSON.stringify(want[k]));
}

/** What a listener rule of a traffic-shifting route must be: priority 1, every path, forward to `pair` at 100/0. */
function routeRuleProblem(d: Deployed, rule: Located, pair: readonly [string | undefined, string | undefined]): string | undefined {
  const p = rule.resource.Properties;
  const conditions = d.canon(rule.tid, p.Conditions);
  const actions = p.Actions ?? [];
  const forwards = actions.length === 1 && actions[0].Type === 'forward'
    ? (actions[0].ForwardConfig?.TargetGroups ?? []).map((g: any) => [targetOf(d, rule.tid, g.TargetGroupArn), d.canon(rule.tid, g.Weight)])
    : [];
  if (p.Priority !== 1) return `priority ${JSON.stringify(p.Priority)}`;
  if (JSON.stringify(conditions) !== JSON.stringify([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }])) return `conditions ${JSON.stringify(conditions)}`;
  if (JSON.stringify(forwards) !== JSON.stringify([[pair[0], 100], [pair[1], 0]])) return `forwards ${JSON.stringify(forwards)}, expected ${JSON.stringify([[pair[0], 100], [pair[1], 0]])}`;
  return undefined;
}

/** The target groups an alarm's metrics name, as `tid#id`, or undefined for a dimension that names none. */
function alarmTargetGroups(d: Deployed, alarm: Located): Array<string | undefined> {
  const p = alarm.resource.Properties;
  const dimensions: any[][] = p.Metrics
    ? p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions ?? [])
    : [p.Dimensions ?? []];
  return dimensions.map((ds) => targetOf(d, alarm.tid, ds.find((x: any) => x.Name === 'TargetGroup')?.Value));
}

/**
 * Each service deploys as its strategy says. A blue/green, linear or canary service: ECS's
 * deployment configuration carries the strategy, bake time and steps, without the circuit breaker;
 * each production listener (PyFIDO 5001, Tomcat 443 and 8080) has one rule (priority 1, every
 * path) forwarding to a pair of the service's target groups at weights 100/0, and the HTTPS test
 * listener on the service's test port one rule to the first pair; the ECS service names each
 * pair and its rules; every target group of the service has its port and one health check, the
 * given path and codes included; a lifecycle hook at POST_TEST_TRAFFIC_SHIFT invokes a function in
 * the VPC whose DEPLOYMENT_CHECKS are that health check's path and codes, then the given checks,
 * all on the test port. A rolling service has none of these, one target group, and its circuit
 * breaker. The deployment alarms of either watch every target group of the service.
 */
export const deploymentStrategies: Invariant = {
  name: 'each service deploys as its strategy says: a traffic-shifting one through weighted rules, a test listener and a deployment check; a rolling one with its circuit breaker',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const services = fidoServices(d);
    const listeners = d.resources('AWS::ElasticLoadBalancingV2::Listener');
    const listenerOn = (port: number) => listeners.filter((l) => d.canon(l.tid, l.resource.Properties.Port) === port);
    const rules = d.resources('AWS::ElasticLoadBalancingV2::ListenerRule');
    const rulesOn = (listener: Located) => rules.filter((r) => targetOf(d, r.tid, r.resource.Properties.ListenerArn) === `${listener.tid}#${listener.id}`);
    const shiftingServices = SERVICES.filter((s) => strategyOf(recipe, s) !== 'ROLLING');

    const testPorts = shiftingServices.map((s) => testPortOf(recipe, s)!);
    const wantPorts = [443, 5001, 8080, ...(recipe.loadBalancer?.redirectHttp ? [80] : []), ...testPorts].sort((a, b) => a - b);
    const ports = listeners.map((l) => d.canon(l.tid, l.resource.Properties.Port)).sort((a, b) => a - b);
    if (JSON.stringify(ports) !== JSON.stringify(wantPorts)) {
      found.push(violation('the load balancer does not listen on exactly its production ports and the test ports of the traffic-shifting services', `${JSON.stringify(ports)}, expected ${JSON.stringify(wantPorts)}`));
    }
    const checkFunctions = d.resources('AWS::Lambda::Function').filter((f) => f.resource.Properties.Environment?.Variables?.DEPLOYMENT_CHECKS !== undefined);
    if (checkFunctions.length !== shiftingServices.length) {
      found.push(violation('not one deployment check function per traffic-shifting service', `${checkFunctions.length} functions, ${shiftingServices.length} services`));
    }
    const wantRules = shiftingServices.reduce((n, s) => n + SERVICE_FACTS[s].productionPorts.length + 1, 0);
    if (rules.length !== wantRules) {
      found.push(violation('not one listener rule per production listener and test listener of the traffic-shifting services', `${rules.length} rules, expected ${wantRules}`));
    }

    for (const s of SERVICES) {
      const fact = SERVICE_FACTS[s];
      const service = services[fact.container];
      if (!service) {
        found.push(violation('a service has no ECS service', s));
        continue;
      }
      const given = recipe.services?.[s];
      const strategy = strategyOf(recipe, s);
      const config = service.resource.Properties.DeploymentConfiguration ?? {};
      const entries: any[] = service.resource.Properties.LoadBalancers ?? [];
      const groupOf = (value: unknown) => targetOf(d, service.tid, value);
      const serviceGroups = entries.flatMap((e) => [
        groupOf(e.TargetGroupArn),
        ...(e.AdvancedConfiguration ? [groupOf(e.AdvancedConfiguration.AlternateTargetGroupArn)] : []),
      ]);

      if (strategy === 'ROLLING') {
        if (JSON.stringify(config.DeploymentCircuitBreaker) !== JSON.stringify({ Enable: true, Rollback: true })) {
          found.push(violation('a rolling service has no circuit breaker that rolls back', `${s} ${JSON.stringify(config.DeploymentCircuitBreaker)}`));
        }
        if (![undefined, 'ROLLING'].includes(config.Strategy) || (config.LifecycleHooks ?? []).length > 0) {
          found.push(violation('a rolling service has another strategy or a lifecycle hook', `${s} ${JSON.stringify(config.Strategy)} ${JSON.stringify(config.LifecycleHooks)}`));
        }
        if (entries.length !== 1 || entries[0].AdvancedConfiguration !== undefined) {
          found.push(violation('a rolling service is not in exactly one target group, without an alternate', `${s} ${JSON.stringify(d.canon(service.tid, entries))}`));
        }
        for (const port of fact.productionPorts) {
          for (const listener of listenerOn(port)) {
            if (rulesOn(listener).length > 0) {
              found.push(violation("a rolling service's production listener has a listener rule", `${s} ${port}`));
            }
          }
        }
      } else {
        const deployment = given!.deployment!;
        const testPort = testPortOf(recipe, s)!;
        if (config.Strategy !== strategy) {
          found.push(violation("a traffic-shifting service's strategy does not reach ECS", `${s} ${JSON.stringify(config.Strategy)}, expected ${strategy}`));
        }
        if (config.BakeTimeInMinutes !== (deployment.bakeMinutes ?? DEFAULT_BAKE_MINUTES)) {
          found.push(violation("a traffic-shifting service's bake time is not the given one or 5 minutes", `${s} ${JSON.stringify(config.BakeTimeInMinutes)}, expected ${deployment.bakeMinutes ?? DEFAULT_BAKE_MINUTES}`));
        }
        if (config.DeploymentCircuitBreaker !== undefined) {
          found.push(violation('a traffic-shifting service has the circuit breaker ECS documents for rolling deployments only', `${s} ${JSON.stringify(config.DeploymentCircuitBreaker)}`));
        }
        const shift = deployment.trafficShift;
        const linear = strategy === 'LINEAR' && shift ? dropUndefinedFields({ StepPercent: shift.stepTenths === undefined ? undefined : shift.stepTenths / 10, StepBakeTimeInMinutes: shift.stepBakeMinutes }) : undefined;
        const canary = strategy === 'CANARY' && shift ? dropUndefinedFields({ CanaryPercent: shift.stepTenths === undefined ? undefined : shift.stepTenths / 10, CanaryBakeTimeInMinutes: shift.stepBakeMinutes }) : undefined;
        if (!sameFields(config.LinearConfiguration, linear) || !sameFields(config.CanaryConfiguration, canary)) {
          found.push(violation("a traffic-shifting service's traffic shift does not reach ECS as given", `${s} ${JSON.stringify([config.LinearConfiguration, config.CanaryConfiguration])}, expected ${JSON.stringify([linear, canary])}`));
        }

        // One pair of target groups per production listener, each named with its rules in the ECS service.
        if (entries.length !== fact.productionPorts.length) {
          found.push(violation('a traffic-shifting service is not in one pair of target groups per production listener', `${s}: ${entries.length} entries`));
        }
        if (new Set(serviceGroups).size !== 2 * entries.length || serviceGroups.includes(undefined)) {
          found.push(violation("a traffic-shifting service's target groups are not distinct", `${s} ${JSON.stringify(serviceGroups)}`));
        }
        for (const e of entries) {
          const advanced = e.AdvancedConfiguration;
          if (e.ContainerName !== fact.container || e.ContainerPort !== fact.port || !advanced?.AlternateTargetGroupArn || !advanced.RoleArn) {
            found.push(violation("a traffic-shifting service's target group entry lacks its container, alternate target group or role", `${s} ${JSON.stringify(d.canon(service.tid, e))}`));
          }
        }
        // Whichever group serves, the load balancer checks the same: every group has the service's port and health check, the given one included.
        const groups = serviceGroups.map((id) => id === undefined ? undefined : d.resolve({ Ref: id }));
        for (const group of groups.filter((g) => g?.resource.Properties.Port !== fact.port)) {
          found.push(violation("a traffic-shifting service's target group is not on its container port", `${s} ${group?.id} ${group?.resource.Properties.Port}`));
        }
        const healthChecks = groups.filter((g): g is Located => g !== undefined).map((g) => [
          withPlaceholders(d.canon(g.tid, g.resource.Properties.HealthCheckPath)) ?? '/',
          withPlaceholders(d.canon(g.tid, g.resource.Properties.Matcher?.HttpCode)) ?? '200',
        ] as const);
        if (new Set(healthChecks.map((h) => JSON.stringify(h))).size > 1) {
          found.push(violation("a traffic-shifting service's target groups do not share one health check", `${s} ${JSON.stringify(healthChecks)}`));
        }
        const placeholder = (value: unknown, prop: string) => isParam(value) ? `<<${rootParameter(facts.params[prop]).Ref}>>` : value;
        const h = given?.healthCheck;
        for (const [index, value, prop] of [[0, h?.path, 'path'], [1, h?.healthyHttpCodes, 'healthyHttpCodes']] as const) {
          if (value !== undefined && healthChecks.some((c) => c[index] !== placeholder(value, `services.${s}.healthCheck.${prop}`))) {
            found.push(violation(`the given health check ${prop} does not reach every target group of a traffic-shifting service`, `${s} ${JSON.stringify(healthChecks)}`));
          }
        }
        const pairOf = (e: any) => [groupOf(e?.TargetGroupArn), groupOf(e?.AdvancedConfiguration?.AlternateTargetGroupArn)] as const;
        // Production listeners first: the test route is the first production route's (Tomcat's test listener checks the 443 route).
        const routed = [...fact.productionPorts.map((port) => ({ port, test: false })), { port: testPort, test: true }];
        const entryOn = new Map<number, any>();
        for (const { port, test } of routed) {
          const on = listenerOn(port);
          if (on.length !== 1) {
            found.push(violation(test ? 'a traffic-shifting service has no test listener on its test port' : 'a production listener of a traffic-shifting service is missing', `${s} ${port}: ${on.length} listeners`));
            continue;
          }
          if (test && on[0].resource.Properties.Protocol !== 'HTTPS') {
            found.push(violation('a test listener is not HTTPS', `${s} ${port} ${on[0].resource.Properties.Protocol}`));
          }
          const listenerRules = rulesOn(on[0]);
          if (listenerRules.length !== 1) {
            found.push(violation(test ? 'the test listener of a traffic-shifting service has not exactly one rule' : 'a production listener of a traffic-shifting service has not exactly one rule', `${s} ${port}: ${listenerRules.length} rules`));
            continue;
          }
          const rule = `${listenerRules[0].tid}#${listenerRules[0].id}`;
          const entry = test
            ? entryOn.get(fact.productionPorts[0])
            : entries.find((e) => groupOf(e.AdvancedConfiguration?.ProductionListenerRule) === rule);
          entryOn.set(port, entry);
          if (!entry || (test && groupOf(entry.AdvancedConfiguration?.TestListenerRule) !== rule)) {
            found.push(violation(test ? "the ECS service does not name its test listener's rule" : "the ECS service does not name a production listener's rule", `${s} ${port}`));
            continue;
          }
          const problem = routeRuleProblem(d, listenerRules[0], pairOf(entry));
          if (problem) {
            found.push(violation(test ? "the test listener's rule does not forward every path to the service's pair at 100/0" : "a production listener's rule does not forward every path to the service's pair at 100/0", `${s} ${port}: ${problem}`));
          }
        }
        for (const e of entries.filter((x) => x !== entryOn.get(fact.productionPorts[0]))) {
          if (e.AdvancedConfiguration?.TestListenerRule !== undefined) {
            found.push(violation('a production route other than the first has a test listener rule', `${s} ${JSON.stringify(d.canon(service.tid, e.AdvancedConfiguration.TestListenerRule))}`));
          }
        }

        // The check: after test traffic moves, a function in the VPC requests the health check path, then the given checks, on the test port.
        const hooks = config.LifecycleHooks ?? [];
        const check = deploymentCheckOf(d, service);
        const stages = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'];
        if (hooks.length !== 1 || JSON.stringify(hooks[0].LifecycleStages) !== JSON.stringify(stages) || !check) {
          found.push(violation('a traffic-shifting service has not one lifecycle hook before scale-up and after test traffic invoking a function',
            `${s} ${JSON.stringify(d.canon(service.tid, hooks))}`));
        } else {
          const vpc = check.fn.resource.Properties.VpcConfig;
          if (!(vpc?.SubnetIds?.length > 0) || check.securityGroups.length === 0) {
            found.push(violation('a deployment check does not run in the VPC with a security group', `${s} ${JSON.stringify(d.canon(check.fn.tid, vpc))}`));
          }
          // First the health check of the service's target groups (the load balancer's defaults: '/' answering 200).
          const healthCheck = healthChecks[0] ?? ['/', '200'];
          // The health check path must show a page served: its codes without 3xx.
          const want = [
            { path: healthCheck[0], codes: servingStatusCodes(healthCheck[1]) },
            ...(deployment.checks ?? []).map((c) => ({ path: c.path, codes: c.expectedStatusCodes ?? DEFAULT_CHECK_CODES })),
          ].map((c) => JSON.stringify([testPort, c.path, c.codes]));
          const text = withPlaceholders(d.canon(check.fn.tid, check.fn.resource.Properties.Environment?.Variables?.DEPLOYMENT_CHECKS));
          let got: string[] | undefined;
          try {
            got = (JSON.parse(text ?? '') as any[]).map((c) => JSON.stringify([c.port, c.path, c.expectedStatusCodes]));
          } catch {
            found.push(violation("a deployment check's DEPLOYMENT_CHECKS is not JSON", `${s} ${text}`));
          }
          if (got && JSON.stringify(got) !== JSON.stringify(want)) {
            found.push(violation("a deployment check's DEPLOYMENT_CHECKS are not the health check path and codes, then the given checks, on the test port", `${s} ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`));
          }
        }
      }

      // The deployment alarms, on by default, watch every target group the service is in.
      const alarmNames = ['target-5xx', 'unhealthy-hosts'].map((n) => `${recipe.applicationName ?? 'arculus-auth'}-${recipe.deploymentEnvironment}-${fact.container}-${n}`);
      const alarms = d.resources('AWS::CloudWatch::Alarm').filter((a) => alarmNames.includes(a.resource.Properties.AlarmName));
      if (given?.deploymentAlarms === false) {
        if (alarms.length > 0) found.push(violation('a service without deployment alarms has them', s));
        continue;
      }
      if (alarms.length !== alarmNames.length) {
        found.push(violation('a service does not have its two deployment alarms', `${s}: ${alarms.length}`));
      }
      const want = JSON.stringify([...new Set(serviceGroups)].sort());
      for (const alarm of alarms) {
        const watched = JSON.stringify([...new Set(alarmTargetGroups(d, alarm))].sort());
        if (watched !== want) {
          found.push(violation(strategy === 'ROLLING'
            ? "a rolling service's deployment alarm does not watch its target group"
            : "a traffic-shifting service's deployment alarm does not watch every target group of the service", `${s} ${alarm.resource.Properties.AlarmName}: ${watched}, expected ${want}`));
        }
      }
    }
    return found;
  },
};

function dropUndefinedFields(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The invariants every valid deployment holds, in the order they are reported. */
export const INVARIANTS: readonly Invariant[] = [
  physicalNames, noSecretMaterial, securityGroups, retention, loadBalancerSubnets, aliasRecord, addressFamilies, taskToTask, tokensCarried,
  deploymentStrategies,
];
