"""A Python CDK app using the built wheel, as a Python user writes it.

It runs the README's Python example as written, and builds the `custom`, `pair` and `pair-accounts`
scenarios of tools/consumers/reference.ts in Python. Each template must equal the TypeScript synth of the same props
(written by reference.ts to $ARCULUS_REFERENCE_DIR), and carries what the options asked for.
"""
import json
import os
import pathlib
import re
from collections import Counter

import pytest
from aws_cdk import App, Duration, Environment, Stack, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Match, Template

from arculus_fido_cdk import (
    AlarmThresholds,
    ArculusFidoDeployment,
    ArculusFidoDeploymentProps,
    ArculusFidoImagesStack,
    ArculusFidoRegionPair,
    ArculusFidoStack,
    DeploymentCheck,
    DeploymentEnvironment,
    DomainOptions,
    FidoDataLayer,
    FidoHostedZoneRole,
    FidoServiceOptions,
    ImageOptions,
    ImageReplicationRegistry,
    MongoDbAtlasRotationOptions,
    MongoDbConnection,
    MonitoringOptions,
    NatType,
    OfficeHours,
    PairRegionOptions,
    PredictiveScalingMode,
    ScheduledCapacity,
    SecondaryRegionOptions,
    SecretsOptions,
    ServiceDeploymentOptions,
    ServicesOptions,
    ServiceSizing,
    SizingOptions,
)

ROOT = pathlib.Path(__file__).resolve().parents[3]
REFERENCE = pathlib.Path(os.environ["ARCULUS_REFERENCE_DIR"])


def readme_example() -> str:
    """The README's Python example, exactly as a user copies it."""
    readme = (ROOT / "docs" / "languages.md").read_text()
    found = re.search(r"### Python\n\n```python\n(.*?)```", readme, re.S)
    assert found, "docs/languages.md has no Python example under '### Python'"
    return found.group(1)


def readme_stack() -> Stack:
    scope: dict = {}
    exec(compile(readme_example(), "docs/languages.md (Python example)", "exec"), scope)
    return scope["app"].node.find_child("ArculusFidoProd")


def custom_stack() -> Stack:
    """tools/consumers/reference.ts `custom`, in Python: the `Platform` stack, whose domain's zone and
    FidoHostedZoneRole are in the `Dns` stack of another account."""
    app = App()
    dns = Stack(app, "Dns", env=Environment(account="333333333333", region="eu-west-1"))
    zone = route53.HostedZone.from_hosted_zone_attributes(dns, "Zone",
        hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com")
    zone_role = FidoHostedZoneRole(dns, "ZoneRole",
        hosted_zone=zone, domain_names=["passkeys.example.com"], trusted_accounts=["111111111111"])
    stack = Stack(app, "Platform", env=Environment(account="111111111111", region="eu-west-1"))
    deployment = ArculusFidoDeployment(stack, "Fido",
        deployment_environment=DeploymentEnvironment.STAGING,
        application_name="passkeys",
        domain=DomainOptions(
            domain_name="passkeys.example.com",
            certificate=acm.Certificate.from_certificate_arn(stack, "Certificate",
                "arn:aws:acm:eu-west-1:111111111111:certificate/11111111-1111-1111-1111-111111111111"),
            hosted_zone=zone,
            hosted_zone_role=zone_role.role,
        ),
        mongo_db=MongoDbConnection.document_db(
            instances=2,
            instance_type=ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
            backup_retention=Duration.days(14),
            rotation_interval=Duration.days(60),
        ),
        network={"nat_gateways": 2, "nat_type": NatType.INSTANCE, "nat_instance_type": ec2.InstanceType("t4g.micro"),
                 "allowed_ingress": [ec2.Peer.ipv4("203.0.113.0/24"), ec2.Peer.ipv6("2001:db8::/32")]},
        load_balancer={"ip_address_type": elbv2.IpAddressType.DUAL_STACK},
        waf={"enabled": True, "rate_limit": 2000},
        encryption={"customer_managed_key": True},
        images={"tag": "2.1.0"},
        sizing=SizingOptions(
            py_fido=ServiceSizing(cpu=1024, memory_limit_mib=2048, desired_count=2, max_capacity=8,
                                  cpu_architecture=ecs.CpuArchitecture.ARM64,
                                  target_memory_utilization_percent=75,
                                  schedules=[ScheduledCapacity(
                                      name="MorningPeak",
                                      schedule=appscaling.Schedule.cron(hour="7", minute="30", week_day="MON-FRI"),
                                      time_zone=TimeZone.EUROPE_BERLIN, min_capacity=4)],
                                  predictive_scaling=PredictiveScalingMode.FORECAST_ONLY),
            office_hours=OfficeHours(start="07:00", end="20:00", time_zone=TimeZone.EUROPE_BERLIN),
        ),
        logging={"retention": logs.RetentionDays.ONE_YEAR},
        secrets=SecretsOptions(application_secret_rotation_interval=Duration.days(14)),
        services=ServicesOptions(
            py_fido=FidoServiceOptions(
                deployment=ServiceDeploymentOptions(
                    strategy=ecs.DeploymentStrategy.BLUE_GREEN,
                    bake_time=Duration.minutes(10),
                    checks=[DeploymentCheck(path="/api/status", expected_status_codes="200,401")],
                ),
            ),
            tomcat=FidoServiceOptions(
                readonly_root_filesystem=True,
                writable_paths=["/tmp", "/usr/local/tomcat/work"],
                environment={"JAVA_OPTS": "-Xmx1536m"},
                enable_execute_command=True,
                deployment=ServiceDeploymentOptions(
                    strategy=ecs.DeploymentStrategy.LINEAR,
                    traffic_shift=ecs.TrafficShiftConfig(step_percent=20, step_bake_time=Duration.minutes(2)),
                ),
            ),
        ),
        monitoring=MonitoringOptions(
            emails=["oncall@example.com"],
            thresholds=AlarmThresholds(cpu_percent=65, latency_p99=Duration.seconds(1)),
        ),
    )
    deployment.connections.allow_to(ec2.Peer.ipv4("10.1.0.0/16"), ec2.Port.tcp(5432), "Reporting database")
    FidoDataLayer(stack, "AtlasData",
        deployment_environment=DeploymentEnvironment.STAGING,
        vpc=deployment.network.vpc,
        client_security_group=deployment.network.service_security_group,
        mongo_db=MongoDbConnection.from_endpoint(
            host="cluster0.abcde.mongodb.net",
            username="passkeys",
            atlas_rotation=MongoDbAtlasRotationOptions(
                project_id="0123456789abcdef01234567",
                api_secret=secretsmanager.Secret.from_secret_name_v2(stack, "AtlasApi", "passkeys/atlas-api"),
            ),
            rotation_interval=Duration.days(7),
        ),
    )
    return stack


def pair_stacks() -> dict:
    """tools/consumers/reference.ts `pair`, in Python: the pair itself, the primary's, the secondary's,
    the secondary's keys' (reached through `secondary_key`) and the images' stacks. Another account
    may read the application secret (`application_secret_reader_accounts`)."""
    app = App()

    def env(region: str) -> Environment:
        return Environment(account="111111111111", region=region)

    zone = route53.HostedZone.from_hosted_zone_attributes(app, "Zone",
        hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com")
    fido = ArculusFidoRegionPair(app, "Fido",
        deployment=ArculusFidoDeploymentProps(
            deployment_environment=DeploymentEnvironment.PROD,
            domain=DomainOptions(domain_name="auth.example.com", hosted_zone=zone),
            mongo_db=MongoDbConnection.document_db(),
            images=ImageOptions(tag="1.0.0"),
            # Another account's deployment reads the application secret, in either region.
            secrets=SecretsOptions(application_secret_reader_accounts=["222222222222"]),
        ),
        primary=PairRegionOptions(env=env("us-east-1")),
        secondary=SecondaryRegionOptions(
            env=env("us-west-2"),
            standby_tasks=0,
        ),
        health_check_interval=Duration.seconds(30),
        failure_threshold=2,
    )
    images = ArculusFidoImagesStack(app, "Images",
        env=env("us-east-1"),
        deployment_environment=DeploymentEnvironment.PROD,
        replication_regions=["us-west-2"],
        # Another account's registry gets the pushes too, and a build account may push here.
        replication_registries=[ImageReplicationRegistry(account="222222222222", region="eu-west-1")],
        replication_source_accounts=["333333333333"],
    )
    assert fido.secondary_key is not None, "the prod pair has no secondary_key: its key stack is missing"
    return {"pair": fido, "primary": fido.primary, "secondary": fido.secondary, "keys": Stack.of(fido.secondary_key),
            "images": images}


def pair_accounts_stacks() -> dict:
    """tools/consumers/reference.ts `pair-accounts`, in Python: the pair whose secondary is in another
    account, and its stacks: the primary's, the secondary's, the link's (`secondary_link`)
    and the replica's key's (reached through `secondary_key`)."""
    app = App()
    imports = Stack(app, "Imports", env=Environment(account="111111111111", region="us-east-1"))
    zone = route53.HostedZone.from_hosted_zone_attributes(app, "Zone",
        hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com")
    fido = ArculusFidoRegionPair(app, "Fido",
        deployment=ArculusFidoDeploymentProps(
            deployment_environment=DeploymentEnvironment.PROD,
            domain=DomainOptions(
                domain_name="auth.example.com",
                hosted_zone=zone,
                certificate=acm.Certificate.from_certificate_arn(imports, "Certificate",
                    "arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111"),
            ),
            mongo_db=MongoDbConnection.from_endpoint(host="east.abcde.mongodb.net", username="fido"),
            images=ImageOptions(tag="1.0.0"),
        ),
        primary=PairRegionOptions(env=Environment(account="111111111111", region="us-east-1")),
        secondary=SecondaryRegionOptions(
            env=Environment(account="222222222222", region="us-west-2"),
            mongo_db=MongoDbConnection.from_endpoint(host="west.abcde.mongodb.net", username="fido"),
        ),
    )
    assert fido.secondary_key is not None, "the prod pair has no secondary_key: its key stack is missing"
    return {"primary": fido.primary, "secondary": fido.secondary, "link": fido.secondary_link,
            "keys": Stack.of(fido.secondary_key)}


@pytest.fixture(scope="module")
def readme() -> Template:
    return Template.from_stack(readme_stack())


@pytest.fixture(scope="module")
def custom() -> Template:
    return Template.from_stack(custom_stack())


@pytest.fixture(scope="module")
def pair_construct() -> dict:
    return pair_stacks()


@pytest.fixture(scope="module")
def pair(pair_construct) -> dict:
    return {role: Template.from_stack(stack) for role, stack in pair_construct.items() if role != "pair"}


@pytest.fixture(scope="module")
def pair_primary(pair) -> Template:
    return pair["primary"]


@pytest.fixture(scope="module")
def pair_secondary(pair) -> Template:
    return pair["secondary"]


@pytest.fixture(scope="module")
def pair_keys(pair) -> Template:
    return pair["keys"]


@pytest.fixture(scope="module")
def pair_images(pair) -> Template:
    return pair["images"]


@pytest.fixture(scope="module")
def pair_accounts_construct() -> dict:
    return pair_accounts_stacks()


@pytest.fixture(scope="module")
def pair_accounts(pair_accounts_construct) -> dict:
    return {role: Template.from_stack(stack) for role, stack in pair_accounts_construct.items()}


@pytest.fixture(scope="module")
def pair_accounts_primary(pair_accounts) -> Template:
    return pair_accounts["primary"]


@pytest.fixture(scope="module")
def pair_accounts_secondary(pair_accounts) -> Template:
    return pair_accounts["secondary"]


@pytest.fixture(scope="module")
def pair_accounts_link(pair_accounts) -> Template:
    return pair_accounts["link"]


@pytest.fixture(scope="module")
def pair_accounts_keys(pair_accounts) -> Template:
    return pair_accounts["keys"]


def reference(name: str) -> dict:
    return json.loads((REFERENCE / f"{name}.json").read_text())


def resource_types(template: dict) -> Counter:
    return Counter(resource["Type"] for resource in template["Resources"].values())


def flat(value) -> str:
    """A string property of a template as text: an Fn::Join's parts joined, each reference written
    ${Ref} or ${Logical.Attr}."""
    if isinstance(value, str):
        return value
    separator, parts = value["Fn::Join"]

    def text(part) -> str:
        if isinstance(part, str):
            return part
        return "${%s}" % (".".join(part["Fn::GetAtt"]) if "Fn::GetAtt" in part else part.get("Ref", json.dumps(part)))

    return separator.join(text(part) for part in parts)


@pytest.mark.parametrize("name", ["readme", "custom", "pair-primary", "pair-secondary", "pair-keys", "pair-images",
                                  "pair-accounts-primary", "pair-accounts-secondary", "pair-accounts-link", "pair-accounts-keys"])
def test_same_resources_as_typescript(name, request):
    actual = request.getfixturevalue(name.replace("-", "_")).to_json()
    expected = reference(name)
    assert resource_types(actual) == resource_types(expected)
    # Resource by resource: a dropped or misread option changes a property, not only a count.
    for logical_id, resource in expected["Resources"].items():
        assert actual["Resources"].get(logical_id) == resource, logical_id
    assert actual.get("Outputs") == expected.get("Outputs")


def test_readme_example_deploys_the_guide(readme: Template):
    readme.resource_count_is("AWS::ECS::Service", 2)
    for port in (443, 5001, 8080):
        readme.has_resource_properties("AWS::ElasticLoadBalancingV2::Listener", {"Port": port, "Protocol": "HTTPS"})
    readme.has_resource_properties("AWS::Route53::RecordSet", {"Name": "auth.example.com.", "Type": "A"})
    readme.has_output("LoadBalancerDNS", {})
    readme.has_output("MongoDBSecretArn", {})


def test_custom_options_reach_the_template(custom: Template):
    custom.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ScheduledActions": Match.array_with([Match.object_like({"ScheduledActionName": "MorningPeak", "Timezone": "Europe/Berlin"})]),
    })
    custom.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {"PolicyType": "PredictiveScaling"})
    custom.has_resource_properties("AWS::ECS::TaskDefinition", {
        "Cpu": "1024", "Memory": "2048", "RuntimePlatform": {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
    })
    custom.has_resource_properties("AWS::ECS::TaskDefinition", {
        "ContainerDefinitions": [Match.object_like({"ReadonlyRootFilesystem": True})],
    })
    custom.has_resource_properties("AWS::WAFv2::WebACL", {
        "Rules": Match.array_with([Match.object_like({"Statement": {"RateBasedStatement": Match.object_like({"Limit": 2000})}})]),
    })
    # A dual-stack load balancer in a VPC with IPv6, admitting the IPv6 range given.
    custom.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {"IpAddressType": "dualstack"})
    custom.resource_count_is("AWS::EC2::VPCCidrBlock", 1)
    custom.has_resource_properties("AWS::EC2::SecurityGroup", {
        "SecurityGroupIngress": Match.array_with([Match.object_like({"CidrIpv6": "2001:db8::/32", "FromPort": 443})]),
    })
    # Two NAT instances of the type named, and no NAT gateway.
    custom.resource_count_is("AWS::EC2::NatGateway", 0)
    custom.resource_count_is("AWS::EC2::Instance", 2)
    custom.has_resource_properties("AWS::EC2::Instance", {"InstanceType": "t4g.micro"})
    custom.resource_count_is("AWS::DocDB::DBInstance", 2)
    custom.has_resource_properties("AWS::DocDB::DBInstance", {"DBInstanceClass": "db.t4g.medium"})
    custom.has_resource_properties("AWS::Logs::LogGroup", {"LogGroupName": "/ecs/passkeys/staging/pyfido", "RetentionInDays": 365})
    custom.has_resource_properties("AWS::EC2::SecurityGroup", {
        "SecurityGroupEgress": Match.array_with([Match.object_like({"CidrIp": "10.1.0.0/16", "FromPort": 5432, "ToPort": 5432})]),
    })
    custom.resource_count_is("AWS::KMS::Key", 1)
    custom.has_resource_properties("AWS::ECS::Service", {
        "DeploymentConfiguration": Match.object_like({"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 10}),
    })
    custom.has_resource_properties("AWS::ECS::Service", {
        "DeploymentConfiguration": Match.object_like({"Strategy": "LINEAR", "LinearConfiguration": {"StepPercent": 20, "StepBakeTimeInMinutes": 2}}),
    })
    custom.has_resource_properties("AWS::Lambda::Function", {
        "Environment": {"Variables": Match.object_like({"DEPLOYMENT_CHECKS": Match.string_like_regexp("/api/status")})},
    })
    custom.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.com"})
    custom.has_resource_properties("AWS::CloudWatch::Alarm", {"AlarmName": "passkeys-staging-tomcat-cpu", "Threshold": 65})
    custom.has_resource_properties("AWS::ECS::Service", {"EnableExecuteCommand": True})
    custom.resource_count_is("AWS::SSM::Document", 4)
    custom.has_resource_properties("AWS::Lambda::Function", {
        "Environment": {"Variables": Match.object_like({"ATLAS_PROJECT_ID": "0123456789abcdef01234567", "MONGODB_USERNAME": "passkeys"})},
    })
    custom.has_resource_properties("AWS::SecretsManager::RotationSchedule", {"RotationRules": {"ScheduleExpression": "rate(7 days)"}})


def test_custom_writes_its_records_in_the_zone_of_another_account(custom: Template):
    # domain.hostedZoneRole: no record set in this account's template; custom resources write the
    # dual-stack load balancer's alias A and AAAA records in the Dns stack's zone, as its role.
    custom.resource_count_is("AWS::Route53::RecordSet", 0)
    records = custom.find_resources("Custom::ZoneRecord")
    assert len(records) == 2
    calls = [flat(record["Properties"]["Create"]) for record in records.values()]
    for call in calls:
        assert '"changeResourceRecordSets"' in call, call
        assert '"passkeys.example.com."' in call, call
        # The role's ARN in the zone's account, under the name CDK generated for it.
        assert re.search(r'"assumedRoleArn":"arn:[^"]*:iam::333333333333:role/[\w+=,.@-]+"', call), call
    assert sorted(re.search(r'"Type":"(\w+)"', call).group(1) for call in calls) == ["A", "AAAA"]


def test_pair_fails_over_from_the_primary_to_a_pilot_light_secondary(pair_primary: Template, pair_secondary: Template):
    for template, role in ((pair_primary, "PRIMARY"), (pair_secondary, "SECONDARY")):
        template.resource_count_is("AWS::Route53::RecordSet", 1)
        template.has_resource_properties("AWS::Route53::RecordSet", {
            "Name": "auth.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Failover": role,
        })
        template.has_resource_properties("AWS::Route53::HealthCheck", {
            "HealthCheckConfig": Match.object_like({"Type": "HTTPS", "RequestInterval": 30, "FailureThreshold": 2}),
        })
    # Pilot light: the secondary's services stand by at no task, under the primary's maximum.
    targets = pair_secondary.find_resources("AWS::ApplicationAutoScaling::ScalableTarget")
    assert len(targets) == 2
    assert all(target["Properties"]["MinCapacity"] == 0 for target in targets.values())
    pair_primary.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 3})


def test_pair_replicates_its_secret_and_gives_the_secondary_runbooks_and_a_dashboard(
        pair_construct: dict, pair_primary: Template, pair_secondary: Template):
    fido = pair_construct["pair"]
    # The public properties, read from Python: the replica's key in a stack of the secondary's region,
    # the dashboard of both regions in the secondary's stack.
    assert Stack.of(fido.secondary_key).region == "us-west-2"
    assert fido.dashboard is not None
    assert Stack.of(fido.dashboard).stack_name == fido.secondary.stack_name == "Fido-secondary"
    pair_secondary.resource_properties_count_is("AWS::CloudWatch::Dashboard", {"DashboardName": "arculus-auth-prod-pair"}, 1)
    for runbook in ("FailoverRunbook", "SwitchoverRunbook", "FailbackRunbook"):
        pair_secondary.has_output(runbook, {})
    # The primary's application secret replicates to us-west-2 with the key of the keys' stack ...
    pair_primary.has_resource_properties("AWS::SecretsManager::Secret", {
        "GenerateSecretString": Match.object_like({"GenerateStringKey": "jwtSecret"}),
        "ReplicaRegions": [{"Region": "us-west-2", "KmsKeyId": {
            "Fn::GetAtt": [Match.string_like_regexp("^ExportsReader"), Match.string_like_regexp("SecretEncryptionKey")]}}],
    })
    # ... and both of the secondary's services read JWT_SECRET from that replica, in us-west-2.
    pair_secondary.resource_properties_count_is("AWS::ECS::TaskDefinition", {
        "ContainerDefinitions": [Match.object_like({"Secrets": Match.array_with([{"Name": "JWT_SECRET", "ValueFrom": {
            "Fn::Join": ["", Match.array_with([":secretsmanager:us-west-2:111111111111:secret:", ":jwtSecret::"])]}}])})],
    }, 2)


def test_pair_lets_another_account_read_the_application_secret_in_both_regions(pair_primary: Template, pair_keys: Template):
    # secrets.applicationSecretReaderAccounts: the secret's resource policy, replicated with it,
    # lets the other account read it ...
    readers = [statement for policy in pair_primary.find_resources("AWS::SecretsManager::ResourcePolicy").values()
               for statement in policy["Properties"]["ResourcePolicy"]["Statement"] if statement.get("Sid") == "ReadByOtherAccounts"]
    assert len(readers) == 1, readers
    assert ":iam::222222222222:root" in flat(readers[0]["Principal"]["AWS"]), readers[0]
    assert readers[0]["Action"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]

    # ... and the key of each region, the primary's own and the keys' stack's, lets it decrypt
    # through Secrets Manager of that region only.
    def via_services(template: Template) -> list:
        return [statement["Condition"]["StringEquals"]["kms:ViaService"]
                for key in template.find_resources("AWS::KMS::Key").values()
                for statement in key["Properties"]["KeyPolicy"]["Statement"] if statement.get("Sid") == "ApplicationSecretReadByOtherAccounts"]

    assert via_services(pair_primary) == ["secretsmanager.us-east-1.amazonaws.com"]
    assert via_services(pair_keys) == ["secretsmanager.us-west-2.amazonaws.com"]


def test_pair_makes_a_documentdb_global_cluster_that_the_secondary_joins(
        pair_construct: dict, pair_primary: Template, pair_secondary: Template):
    # Read from Python: the global cluster the secondary's data layer joined, and its regions.
    global_cluster = pair_construct["secondary"].deployment.data_layer.document_db_global_cluster
    assert global_cluster is not None
    assert [region.region for region in global_cluster.secondary_regions] == ["us-west-2"]
    identifier = global_cluster.global_cluster_identifier
    pair_primary.has_resource_properties("AWS::DocDB::GlobalCluster", {"GlobalClusterIdentifier": identifier, "DeletionProtection": True})
    pair_secondary.has_resource_properties("AWS::DocDB::DBCluster", {"GlobalClusterIdentifier": identifier, "StorageEncrypted": True})
    pair_secondary.resource_properties_count_is("AWS::DocDB::DBInstance", {"DBInstanceClass": "db.r6g.large"}, 3)


def test_pair_images_replicate_to_the_secondary_region(pair_images: Template):
    pair_images.resource_count_is("AWS::ECR::ReplicationConfiguration", 1)
    pair_images.has_resource_properties("AWS::ECR::ReplicationConfiguration", {
        "ReplicationConfiguration": {"Rules": [Match.object_like({
            "Destinations": [{"Region": "us-west-2", "RegistryId": "111111111111"}, {"Region": "eu-west-1", "RegistryId": "222222222222"}],
        })]},
    })
    pair_images.has_resource_properties("AWS::ECR::RegistryPolicy", {
        "PolicyText": {"Statement": [Match.object_like({"Action": "ecr:ReplicateImage", "Principal": {"AWS": {"Fn::Join": [
            "", ["arn:", {"Ref": "AWS::Partition"}, ":iam::333333333333:root"]]}}})]},
    })


def test_pair_accounts_places_its_stacks_in_both_accounts(pair_accounts_construct: dict):
    # The link (secondary_link) is the secondary's account's; the replica's
    # key stays in the primary's account, in the secondary's region.
    where = {role: (stack.stack_name, stack.account, stack.region) for role, stack in pair_accounts_construct.items()}
    assert where == {
        "primary": ("Fido-primary", "111111111111", "us-east-1"),
        "secondary": ("Fido-secondary", "222222222222", "us-west-2"),
        "link": ("Fido-secondary-link", "222222222222", "us-west-2"),
        "keys": ("Fido-secondary-keys", "111111111111", "us-west-2"),
    }


def test_pair_accounts_keeps_both_failover_records_in_the_secondary_account(
        pair_accounts_primary: Template, pair_accounts_secondary: Template):
    # The primary's account writes nothing in the zone: the secondary's account checks both regions
    # and holds both failover records, so that its runbooks act on checks of their own account.
    pair_accounts_primary.resource_count_is("AWS::Route53::RecordSet", 0)
    pair_accounts_primary.resource_count_is("AWS::Route53::HealthCheck", 0)
    pair_accounts_secondary.resource_count_is("AWS::Route53::RecordSet", 2)
    for role in ("PRIMARY", "SECONDARY"):
        pair_accounts_secondary.has_resource_properties("AWS::Route53::RecordSet", {
            "Name": "auth.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Failover": role,
        })


def test_pair_accounts_link_lets_the_primary_account_hand_values_and_events_over(pair_accounts_link: Template):
    primary_account = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]}
    # The role the primary's stack assumes to put its values in the secondary's parameters ...
    pair_accounts_link.has_resource_properties("AWS::IAM::Role", {
        "AssumeRolePolicyDocument": {"Statement": [Match.object_like({"Action": "sts:AssumeRole", "Principal": {"AWS": primary_account}})]},
    })
    # ... and the default bus's policy letting it forward the application secret's changes.
    pair_accounts_link.has_resource_properties("AWS::Events::EventBusPolicy", {
        "EventBusName": "default",
        "Statement": Match.object_like({"Action": "events:PutEvents", "Principal": {"AWS": primary_account}}),
    })
