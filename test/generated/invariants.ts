/**
 * What must hold on the synthesized templates (nested stacks included) of every valid deployment.
 * Each check returns its violations; a violation's `kind` names the broken rule without the
 * case's values, so that the long run can tell distinct defects apart.
 */
import type { Facts } from './build';
import { isParam, Num, PRESET_COUNTS, Service, SERVICE_FACTS, SERVICES, testPortOf, ValidRecipe } from './recipes';
import { Deployed, Located, rootParameter } from './templates';

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

/** The deployment check of an ECS service: the function its lifecycle hook invokes, and the function's security groups. */
function deploymentCheckOf(d: Deployed, service: Located | undefined): { fn: Located; securityGroups: string[] } | undefined {
  const hooks = service?.resource.Properties.DeploymentConfiguration?.LifecycleHooks ?? [];
  const fn = hooks.length === 1 ? d.resolve(d.canon(service!.tid, hooks[0].HookTargetArn)) : undefined;
  if (fn?.resource.Type !== 'AWS::Lambda::Function') {
    return undefined;
  }
  return { fn, securityGroups: (fn.resource.Properties.VpcConfig?.SecurityGroupIds ?? []).map((g: unknown) => d.key(fn.tid, g)) };
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
 * The load balancer admits its listener ports (443, 5001, 8080, 80 with the redirect, and the test
 * port of each traffic-shifting service) from the allowed clients, and each deployment check's
 * security group on its own service's test port; that group admits nothing and sends only to that
 * port of the load balancer and to HTTPS (the EC2 API). The tasks admit 5001 and 8080 from the
 * load balancer only (and 5001 from themselves).
 */
export const securityGroups: Invariant = {
  name: 'the security groups admit the allowed clients to the load balancer, each deployment check to its test port, and the load balancer to the tasks',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const { loadBalancer, tasks } = fidoSecurityGroups(d);
    if (!loadBalancer || !tasks) {
      return [violation('load balancer or tasks without a security group', `${loadBalancer} ${tasks}`)];
    }
    const rules = securityGroupRules(d);
    const testPorts = SERVICES.map((s) => testPortOf(recipe, s)).filter((p): p is number => p !== undefined);
    const ports = [443, 5001, 8080, ...(recipe.loadBalancer?.redirectHttp ? [80] : []), ...testPorts];
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
          found.push(violation(testPorts.includes(port)
            ? 'the load balancer does not admit a test port from an allowed client'
            : 'the load balancer does not admit a listener port from an allowed client', `${client} ${port}`));
        }
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
      if (!fromClient && !fromCheck) {
        found.push(violation('the load balancer admits something other than the allowed clients on its listener ports and the deployment checks on their test ports', describeRule(r)));
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
    for (const r of d.resources('AWS::KMS::Key')) judge(r, 'KMS key', prod ? 'Retain' : undefined, 'not retained in prod');
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

/** With a hosted zone, the alias record is the lowercased domain (or the domain token) plus '.'. */
export const aliasRecord: Invariant = {
  name: "the alias record's name is the lowercased domain plus '.'",
  check(d, recipe, facts) {
    const records = d.resources('AWS::Route53::RecordSet').filter((r) => r.resource.Properties.AliasTarget);
    if (recipe.domain.zoneName === undefined) {
      return records.length === 0 ? [] : [violation('an alias record without a hosted zone', '')];
    }
    if (records.length !== 1) {
      return [violation('not exactly one alias record with a hosted zone', `${records.length}`)];
    }
    const name = d.canon(records[0].tid, records[0].resource.Properties.Name);
    const want = concat(expectedDomain(recipe, facts), '.');
    if (JSON.stringify(name) !== JSON.stringify(want)) {
      return [violation(isParam(recipe.domain.name) ? 'the alias record of a domain token is not the token plus "."' : 'the alias record is not the lowercased domain plus "."',
        `${JSON.stringify(name)}, expected ${JSON.stringify(want)}`)];
    }
    return [];
  },
};

/** Tomcat reaches PyFIDO inside the VPC through Service Connect, on a security group rule of the tasks' own. */
export const taskToTask: Invariant = {
  name: 'Tomcat reaches PyFIDO task to task through Service Connect',
  check(d, recipe, facts) {
    const found: Violation[] = [];
    const { tasks } = fidoSecurityGroups(d);
    const rules = securityGroupRules(d).filter((r) => r.group === tasks);
    if (!rules.some((r) => r.direction === 'in' && r.peer === tasks && isTcpPort(r, 5001))) {
      found.push(violation('the tasks do not admit 5001 from themselves', ''));
    }
    // With allowAllOutbound the group sends anywhere, itself included (CDK drops narrower egress rules).
    const sendsAnywhere = rules.some((r) => r.direction === 'out' && r.peer === JSON.stringify('0.0.0.0/0') && r.protocol === '-1');
    if (!rules.some((r) => r.direction === 'out' && r.peer === tasks && isTcpPort(r, 5001)) && !(recipe.network?.allowAllOutbound && sendsAnywhere)) {
      found.push(violation('the tasks may not send to 5001 of themselves', ''));
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

/** The invariants every valid deployment holds, in the order they are reported. */
export const INVARIANTS: readonly Invariant[] = [
  physicalNames, noSecretMaterial, securityGroups, retention, loadBalancerSubnets, aliasRecord, taskToTask, tokensCarried,
];
