"""The runbook check fails where it must: each test breaks one thing of a good document, or of a
good AwsCustomResource SDK call (sdk_calls.py, which runbooks.py runs).

    python -m unittest tools/security/test_runbooks.py      (with the pinned botocore; tools/security/scan runs it)

Runs under unittest (no package beyond botocore to install) and under pytest alike.
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runbooks  # noqa: E402  (the module under test, beside this file)
import sdk_calls  # noqa: E402  (the one runbooks.py runs for AwsCustomResource's SDK calls)
from template_files import check_as_file  # noqa: E402

CLUSTER = {"Ref": "Cluster"}
SERVICE = {"Fn::GetAtt": ["Service", "Name"]}


def good_template():
    """A Stop document as FidoRunbooks writes it, with its role and the role's policy."""
    content = {
        "schemaVersion": "0.3",
        "assumeRole": "{{AutomationAssumeRole}}",
        "parameters": {
            "AutomationAssumeRole": {"type": "String", "default": {"Fn::GetAtt": ["Role", "Arn"]}},
            "Service": {"type": "String", "allowedValues": ["all", "api"]},
        },
        "mainSteps": [
            {"name": "ChooseApi", "action": "aws:branch", "inputs": {
                "Choices": [{"Or": [{"Variable": "{{Service}}", "StringEquals": "all"}, {"Variable": "{{Service}}", "StringEquals": "api"}], "NextStep": "ZeroBoundsApi"}],
                "Default": "Report"}},
            {"name": "ZeroBoundsApi", "action": "aws:executeAwsApi", "inputs": {
                "Service": "application-autoscaling", "Api": "RegisterScalableTarget", "ServiceNamespace": "ecs",
                "ResourceId": {"Fn::Join": ["", ["service/", CLUSTER, "/", SERVICE]]},
                "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 0, "MaxCapacity": 0}},
            {"name": "StopApi", "action": "aws:executeAwsApi", "inputs": {
                "Service": "ecs", "Api": "UpdateService", "cluster": CLUSTER, "service": SERVICE, "desiredCount": 0},
             "outputs": [{"Name": "DeploymentId", "Selector": "$.service.deployments[0].id", "Type": "String"}]},
            {"name": "WaitStoppedApi", "action": "aws:waitForAwsResourceProperty", "inputs": {
                "Service": "ecs", "Api": "DescribeServices", "cluster": CLUSTER, "services": [SERVICE],
                "PropertySelector": "$.services[0].runningCount", "DesiredValues": ["0"]}, "timeoutSeconds": 900},
            {"name": "CheckApi", "action": "aws:assertAwsResourceProperty", "inputs": {
                "Service": "ecs", "Api": "DescribeServices", "cluster": CLUSTER, "services": [SERVICE],
                "PropertySelector": "$.services[0].deployments[0].id", "DesiredValues": ["{{StopApi.DeploymentId}}"]}},
            {"name": "Report", "action": "aws:executeAwsApi", "inputs": {
                "Service": "ecs", "Api": "DescribeServices", "cluster": CLUSTER, "services": [SERVICE]},
             "outputs": [{"Name": "Running", "Selector": "$.services[0].runningCount", "Type": "Integer"},
                         {"Name": "Reasons", "Selector": "$.services..events..message", "Type": "StringList"}]},
        ],
    }
    return {"Resources": {
        "Document": {"Type": "AWS::SSM::Document", "Properties": {"Name": "test-Stop", "DocumentType": "Automation", "Content": content}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Condition": {
                "StringEquals": {"aws:SourceAccount": "111111111111"},
                "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm:us-east-1:111111111111:automation-execution/*"]]}}}}]}}},
        "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "Role"}], "PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "ecs:UpdateService", "Resource": [{"Ref": "Service"}],
             "Condition": {"Null": {"ecs:task-definition": "true", "ecs:enable-execute-command": "true"}}},
            {"Effect": "Allow", "Action": "ecs:DescribeServices", "Resource": [{"Ref": "Service"}]},
            {"Effect": "Allow", "Action": "application-autoscaling:RegisterScalableTarget", "Resource": "*",
             "Condition": {"StringEquals": {"application-autoscaling:service-namespace": "ecs"}}}]}}},
    }}


SCRIPT = """import boto3


def handler(events, context):
    ecs = boto3.client('ecs')
    elbv2 = boto3.client('elbv2')
    service = ecs.describe_services(cluster=events['Cluster'], services=[events['Service']])['services'][0]
    rules = [b['advancedConfiguration']['productionListenerRule'] for b in service.get('loadBalancers', [])]
    if not rules:
        return {'Rules': [], 'Verdict': 'rolling'}
    lines = []
    for rule in elbv2.describe_rules(RuleArns=rules)['Rules']:
        for group in rule['Actions'][0]['ForwardConfig']['TargetGroups']:
            health = elbv2.describe_target_health(TargetGroupArn=group['TargetGroupArn'])['TargetHealthDescriptions']
            lines.append(f"{group['Weight']} {len(health)}")
    return {'Rules': lines, 'Verdict': 'read'}
"""


def script_template():
    """A Diagnose document whose one step is a script, with its role and the role's policy."""
    t = good_template()
    content = t["Resources"]["Document"]["Properties"]["Content"]
    content["parameters"] = {"AutomationAssumeRole": content["parameters"]["AutomationAssumeRole"]}
    content["mainSteps"] = [{"name": "TrafficApi", "action": "aws:executeScript", "inputs": {
        "Runtime": "python3.11", "Handler": "handler", "Script": SCRIPT,
        "InputPayload": {"Cluster": CLUSTER, "Service": SERVICE}},
        "outputs": [{"Name": "Rules", "Selector": "$.Payload.Rules", "Type": "StringList"},
                    {"Name": "Verdict", "Selector": "$.Payload.Verdict", "Type": "String"}]}]
    t["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"] = [
        {"Effect": "Allow", "Action": "ecs:DescribeServices", "Resource": [{"Ref": "Service"}]},
        {"Effect": "Allow", "Action": ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetHealth"], "Resource": "*"}]
    return t


def script_inputs(template):
    return steps(template)[0]["inputs"]


def steps(template):
    return template["Resources"]["Document"]["Properties"]["Content"]["mainSteps"]


def step(template, name):
    return next(s for s in steps(template) if s["name"] == name)


def statements(template):
    return template["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"]


# The references of a zone record's calls: where a call's JSON has a name of these, the template has the reference.
REFERENCES = {
    "@DNS@": {"Fn::GetAtt": ["LoadBalancer", "DNSName"]},
    "@ZONE@": {"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]},
    "@CHECK@": {"Ref": "RegionHealthCheck"},
    "@PARTITION@": {"Ref": "AWS::Partition"},
    "@ROLE@": {"Fn::GetAtt": ["ZoneRole", "Arn"]},
}


def joined_json(call):
    """`call` as AwsCustomResource writes it: its JSON, an Fn::Join of it and the REFERENCES it names."""
    text = json.dumps(call, separators=(",", ":"))
    parts = [REFERENCES.get(p, p) for p in re.split("(" + "|".join(REFERENCES) + ")", text) if p]
    return parts[0] if len(parts) == 1 and isinstance(parts[0], str) else {"Fn::Join": ["", parts]}


def zone_record_call(action):
    """The call of a failover record that a deployment writes in a zone of another account (src/private/zone-records.ts)."""
    record = {"Name": "auth.example.com.", "Type": "A",
              "AliasTarget": {"DNSName": "dualstack.@DNS@", "HostedZoneId": "@ZONE@", "EvaluateTargetHealth": True},
              "Failover": "SECONDARY", "SetIdentifier": "arculus-auth-prod-secondary", "HealthCheckId": "@CHECK@"}
    call = {"service": "Route53", "action": "changeResourceRecordSets",
            "parameters": {"HostedZoneId": "Z0123456789ABCDEFGHIJ", "ChangeBatch": {"Changes": [{"Action": action, "ResourceRecordSet": record}]}},
            "assumedRoleArn": "arn:@PARTITION@:iam::333333333333:role/dnsdnszonerole422d9f5542310758d4b0",
            "physicalResourceId": {"id": "auth.example.com. A arculus-auth-prod-secondary"}}
    return call if action != "DELETE" else {**call, "ignoreErrorCodesMatching": "InvalidChangeBatch"}


def zone_record_template(change=None):
    """A Custom::ZoneRecord as AwsCustomResource writes it, its three calls each given to `change` first."""
    calls = {"Create": zone_record_call("UPSERT"), "Update": zone_record_call("UPSERT"), "Delete": zone_record_call("DELETE")}
    for call in calls.values():
        (change or (lambda c: None))(call)
    properties = {"ServiceToken": {"Fn::GetAtt": ["AWS679f53fac002430cb0da5b7982bd22872D164C4C", "Arn"]}, "InstallLatestAwsSdk": False}
    properties.update({name: joined_json(call) for name, call in calls.items()})
    return {"Resources": {"Record": {"Type": "Custom::ZoneRecord", "Properties": properties}}}


def changes(call):
    return call["parameters"]["ChangeBatch"]["Changes"]


class RunbookCheck(unittest.TestCase):
    checker = runbooks.Checker()

    def problems(self, template):
        documents = check_as_file(self.checker.check_template, template)
        self.assertEqual(len(documents), 1)
        return documents[0].problems

    def assertFails(self, template, expected):
        problems = self.problems(template)
        self.assertTrue(any(expected in p for p in problems), f"expected a problem with {expected!r}, got {problems}")

    def test_a_good_document_passes(self):
        self.assertEqual(self.problems(good_template()), [])

    def test_an_unknown_api_fails(self):
        t = good_template()
        step(t, "StopApi")["inputs"]["Api"] = "UpdateServices"
        self.assertFails(t, "'UpdateServices' is not an operation of ecs")

    def test_an_unknown_service_fails(self):
        t = good_template()
        step(t, "StopApi")["inputs"]["Service"] = "ecs2"
        self.assertFails(t, "Service 'ecs2' is not a boto3 client")

    def test_a_missing_required_input_fails(self):
        t = good_template()
        del step(t, "ZeroBoundsApi")["inputs"]["ScalableDimension"]
        self.assertFails(t, "requires 'ScalableDimension'")

    def test_a_misspelt_input_fails(self):
        t = good_template()
        inputs = step(t, "StopApi")["inputs"]
        inputs["desiredcount"] = inputs.pop("desiredCount")
        self.assertFails(t, "'desiredcount' is not an input of ecs UpdateService")

    def test_a_wrongly_typed_or_out_of_range_value_fails(self):
        t = good_template()
        step(t, "StopApi")["inputs"]["desiredCount"] = "0"
        step(t, "ZeroBoundsApi")["inputs"]["ScalableDimension"] = "ecs:service:Count"
        problems = self.problems(t)
        self.assertTrue(any("desiredCount: must be an integer" in p for p in problems), problems)
        self.assertTrue(any("must be one of" in p and "ecs:service:Count" in p for p in problems), problems)

    def test_a_misspelt_selector_fails(self):
        t = good_template()
        step(t, "WaitStoppedApi")["inputs"]["PropertySelector"] = "$.services[0].runingCount"
        step(t, "Report")["outputs"][0]["Selector"] = "$.service[0].runningCount"
        problems = self.problems(t)
        self.assertTrue(any("'runingCount' is not a member of Service" in p for p in problems), problems)
        self.assertTrue(any("'service' is not a member of DescribeServicesResponse" in p for p in problems), problems)

    def test_a_selector_of_the_wrong_type_fails(self):
        t = good_template()
        step(t, "Report")["outputs"][0]["Type"] = "String"
        step(t, "WaitStoppedApi")["inputs"]["PropertySelector"] = "$.services[0].deployments"
        problems = self.problems(t)
        self.assertTrue(any("output Running is String, but '$.services[0].runningCount' selects a value of type integer" in p for p in problems), problems)
        self.assertTrue(any("must select one value" in p for p in problems), problems)

    def test_a_desired_value_outside_the_enum_fails(self):
        t = good_template()
        wait = step(t, "WaitStoppedApi")["inputs"]
        wait["PropertySelector"], wait["DesiredValues"] = "$.services[0].deployments[0].rolloutState", ["COMPLETE"]
        self.assertFails(t, "'COMPLETE' is not a value of")

    def test_an_undefined_variable_or_step_fails(self):
        t = good_template()
        step(t, "CheckApi")["inputs"]["DesiredValues"] = ["{{StopApi.Deployment}}"]
        step(t, "ChooseApi")["inputs"]["Default"] = "Reprot"
        step(t, "ChooseApi")["inputs"]["Choices"][0]["Or"][1]["StringEquals"] = "apI"
        problems = self.problems(t)
        self.assertTrue(any("{{StopApi.Deployment}} is neither a parameter" in p for p in problems), problems)
        self.assertTrue(any("goes to 'Reprot', which is no step" in p for p in problems), problems)
        self.assertTrue(any("'apI', which is not one of its allowedValues" in p for p in problems), problems)

    def test_an_extra_iam_action_fails(self):
        t = good_template()
        statements(t)[1]["Action"] = ["ecs:DescribeServices", "ecs:DeleteService"]
        self.assertFails(t, "allows ecs:DeleteService, which no step calls")

    def test_a_missing_iam_action_fails(self):
        t = good_template()
        del statements(t)[1]
        self.assertFails(t, "does not allow ecs:DescribeServices, which a step calls")

    def test_a_wildcard_iam_action_fails(self):
        t = good_template()
        statements(t)[2]["Action"] = "application-autoscaling:*"
        self.assertFails(t, "allows the wildcard action application-autoscaling:*")

    def test_a_write_action_without_a_condition_fails_and_a_read_action_needs_none(self):
        t = good_template()
        del statements(t)[0]["Condition"]
        statements(t)[2]["Condition"] = {}
        problems = self.problems(t)
        for action in ("ecs:UpdateService", "application-autoscaling:RegisterScalableTarget"):
            self.assertTrue(any(f"allows the write action {action} without a condition" in p for p in problems), problems)
        self.assertFalse(any("ecs:DescribeServices without a condition" in p for p in problems), problems)

    def test_a_write_no_condition_can_hold_passes_on_its_named_resource_only(self):
        # Route 53 defines no condition key for UpdateHealthCheck: the statement names the one check.
        t = good_template()
        steps(t).insert(-1, {"name": "InvertPrimary", "action": "aws:executeAwsApi", "inputs": {
            "Service": "route53", "Api": "UpdateHealthCheck", "HealthCheckId": "abcdef01-2345-6789-abcd-ef0123456789", "Inverted": True}})
        check = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":route53:::healthcheck/abcdef01-2345-6789-abcd-ef0123456789"]]}
        statements(t).append({"Effect": "Allow", "Action": "route53:UpdateHealthCheck", "Resource": check})
        self.assertEqual(self.problems(t), [])
        statements(t)[-1]["Resource"] = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":route53:::healthcheck/*"]]}
        self.assertFails(t, "allows the write action route53:UpdateHealthCheck without a condition")

    def test_a_global_cluster_move_passes_on_its_named_clusters_only(self):
        # DocumentDB's FailoverGlobalCluster (IAM prefix rds): no condition but the resources' tags.
        t = good_template()
        steps(t).insert(-1, {"name": "PromoteDatabase", "action": "aws:executeAwsApi", "inputs": {
            "Service": "docdb", "Api": "FailoverGlobalCluster", "GlobalClusterIdentifier": "fido-global",
            "TargetDbClusterIdentifier": "arn:aws:rds:us-west-2:111111111111:cluster:fido-west", "AllowDataLoss": True}})
        named = ["arn:aws:rds::111111111111:global-cluster:fido-global", "arn:aws:rds:us-west-2:111111111111:cluster:fido-west"]
        statements(t).append({"Effect": "Allow", "Action": "rds:FailoverGlobalCluster", "Resource": named})
        self.assertEqual(self.problems(t), [])
        statements(t)[-1]["Resource"] = [named[0], "arn:aws:rds:us-west-2:111111111111:cluster:*"]
        self.assertFails(t, "allows the write action rds:FailoverGlobalCluster without a condition")

    def test_a_write_action_beside_a_read_action_without_a_condition_fails(self):
        # A statement granting a read and a write at once: the write still needs its condition.
        t = good_template()
        statements(t)[1]["Action"] = ["ecs:DescribeServices", "ecs:UpdateService"]
        self.assertFails(t, "allows the write action ecs:UpdateService without a condition")

    def test_a_write_action_of_an_inline_policy_without_a_condition_fails(self):
        t = good_template()
        role = t["Resources"]["Role"]["Properties"]
        role["Policies"] = [{"PolicyName": "Inline", "PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "ecs:UpdateService", "Resource": "*"}]}}]
        self.assertFails(t, "allows the write action ecs:UpdateService without a condition")

    def test_a_trust_policy_without_the_source_conditions_fails(self):
        for missing in ("StringEquals", "ArnLike"):
            t = good_template()
            del t["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"][missing]
            key = "aws:SourceAccount" if missing == "StringEquals" else "aws:SourceArn"
            self.assertFails(t, f"lets ssm.amazonaws.com assume it without {key}")

    def test_a_trust_policy_for_another_principal_fails(self):
        t = good_template()
        t["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"].append(
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}})
        self.assertFails(t, "may also be assumed by")

    def test_a_role_outside_the_template_fails(self):
        t = good_template()
        t["Resources"]["Document"]["Properties"]["Content"]["parameters"]["AutomationAssumeRole"]["default"] = "arn:aws:iam::111111111111:role/x"
        self.assertFails(t, "its default must be the Arn of a role of this template")

    def test_a_good_script_passes_and_its_calls_are_the_role_s_actions(self):
        self.assertEqual(self.problems(script_template()), [])
        documents = check_as_file(self.checker.check_template, script_template())
        self.assertEqual(documents[0].actions, {"ecs:DescribeServices", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetHealth"})
        self.assertEqual(documents[0].script_steps, 1)

    def test_a_script_calling_an_unknown_operation_or_input_fails(self):
        t = script_template()
        inputs = script_inputs(t)
        inputs["Script"] = inputs["Script"].replace("describe_rules(RuleArns=", "describe_rule(RuleArn=")
        inputs["Script"] = inputs["Script"].replace("describe_target_health(TargetGroupArn=", "describe_target_health(TargetGroup=")
        problems = self.problems(t)
        self.assertTrue(any("describe_rule is not an operation of the elbv2 client" in p for p in problems), problems)
        self.assertTrue(any("elbv2 DescribeTargetHealth requires 'TargetGroupArn'" in p for p in problems), problems)
        self.assertTrue(any("'TargetGroup' is not an input of elbv2 DescribeTargetHealth" in p for p in problems), problems)
        # The role allows DescribeRules, which the script no longer calls.
        self.assertTrue(any("allows elasticloadbalancing:DescribeRules, which no step calls" in p for p in problems), problems)

    def test_a_script_call_the_role_does_not_allow_fails(self):
        t = script_template()
        statements(t)[1]["Action"] = ["elasticloadbalancing:DescribeTargetHealth"]
        self.assertFails(t, "does not allow elasticloadbalancing:DescribeRules, which a step calls")

    def test_a_script_reading_a_member_no_output_has_fails(self):
        t = script_template()
        script_inputs(t)["Script"] = script_inputs(t)["Script"].replace("group['Weight']", "group['Weights']")
        self.assertFails(t, "the script reads 'Weights', which no output of its calls")

    def test_a_literal_of_the_wrong_type_fails(self):
        t = script_template()
        script_inputs(t)["Script"] = script_inputs(t)["Script"].replace("RuleArns=rules", "RuleArns='arn'")
        self.assertFails(t, "RuleArns: must be a list")

    def test_a_payload_key_not_given_or_never_read_fails(self):
        t = script_template()
        payload = script_inputs(t)["InputPayload"]
        payload["Services"] = payload.pop("Service")
        problems = self.problems(t)
        self.assertTrue(any("reads events['Service'], which InputPayload does not give" in p for p in problems), problems)
        self.assertTrue(any("InputPayload gives 'Services', which the script never reads" in p for p in problems), problems)

    def test_an_output_the_handler_does_not_return_on_every_path_fails(self):
        t = script_template()
        script_inputs(t)["Script"] = script_inputs(t)["Script"].replace("return {'Rules': [], 'Verdict': 'rolling'}", "return {'Rules': []}")
        steps(t)[0]["outputs"].append({"Name": "Bad", "Selector": "$.Rules", "Type": "String"})
        problems = self.problems(t)
        self.assertTrue(any("'Verdict' is not a key of every dict handler returns" in p for p in problems), problems)
        self.assertTrue(any("a script's Selector is $.Payload.<key>, got '$.Rules'" in p for p in problems), problems)

    def test_a_script_the_check_cannot_judge_fails(self):
        for change, expected in (
            (("boto3.client('elbv2')", "boto3.resource('elbv2')"), "boto3.resource other than"),
            (("boto3.client('ecs')", "boto3.client('ecs2')"), "'ecs2' is not a boto3 client"),
            (("RuleArns=rules", "**{'RuleArns': rules}"), "takes keyword arguments only"),
            (("def handler(events, context):", "def handler(events):"), "must take (events, context)"),
            (("import boto3", "import boto3 +"), "Script is no Python"),
        ):
            t = script_template()
            script_inputs(t)["Script"] = script_inputs(t)["Script"].replace(*change)
            self.assertFails(t, expected)
        t = script_template()
        script_inputs(t)["Runtime"] = "python3.8"
        script_inputs(t)["Handler"] = "main"
        problems = self.problems(t)
        self.assertTrue(any("Runtime must be one SSM runs (python3.11), got 'python3.8'" in p for p in problems), problems)
        self.assertTrue(any("Handler 'main' is no top-level function of the script" in p for p in problems), problems)

    def test_the_command_exits_1_on_a_broken_document_and_0_on_a_good_one(self):
        broken = good_template()
        step(broken, "StopApi")["inputs"]["Api"] = "StopService"
        with tempfile.TemporaryDirectory() as folder:
            for name, template in (("good", good_template()), ("broken", broken)):
                os.makedirs(os.path.join(folder, name))
                with open(os.path.join(folder, name, "Stack.template.json"), "w") as f:
                    json.dump(template, f)
            script = runbooks.__file__
            good = subprocess.run([sys.executable, script, os.path.join(folder, "good")], capture_output=True, text=True)
            bad = subprocess.run([sys.executable, script, folder], capture_output=True, text=True)
            empty = subprocess.run([sys.executable, script, tempfile.gettempdir() + "/does-not-exist.template.json"], capture_output=True, text=True)
        self.assertEqual(good.returncode, 0, good.stdout + good.stderr)
        self.assertIn("ok   test-Stop", good.stdout)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn("FAIL test-Stop", bad.stdout)
        self.assertIn("'StopService' is not an operation of ecs", bad.stdout)
        self.assertNotEqual(empty.returncode, 0)


class SdkCallCheck(unittest.TestCase):
    checker = runbooks.Checker()

    def problems(self, template):
        resources = check_as_file(lambda path: sdk_calls.check_template(self.checker, path), template)
        self.assertEqual(len(resources), 1)
        return resources[0].problems

    def assertFails(self, template, expected):
        problems = self.problems(template)
        self.assertTrue(any(expected in p for p in problems), f"expected a problem with {expected!r}, got {problems}")

    def test_a_zone_record_with_references_passes(self):
        t = zone_record_template()
        self.assertIn("Fn::Join", t["Resources"]["Record"]["Properties"]["Create"])
        self.assertEqual(self.problems(t), [])
        resources = check_as_file(lambda path: sdk_calls.check_template(self.checker, path), t)
        self.assertEqual(resources[0].calls, 3)

    def test_the_service_and_action_names_aws_custom_resource_takes_pass(self):
        for service, action in (("route53", "ChangeResourceRecordSets"), ("@aws-sdk/client-route-53", "ChangeResourceRecordSetsCommand"),
                                ("route-53", "changeResourceRecordSets")):
            t = zone_record_template(lambda c: c.update(service=service, action=action))
            self.assertEqual(self.problems(t), [], (service, action))

    def test_a_plain_custom_aws_resource_and_its_response_paths_are_judged_too(self):
        def custom_aws(response_path):
            call = {"service": "Route53", "action": "getHostedZone", "parameters": {"Id": "Z0123456789ABCDEFGHIJ"},
                    "physicalResourceId": {"responsePath": response_path}, "outputPaths": ["DelegationSet.NameServers.0"]}
            properties = {"ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}, "Create": json.dumps(call)}
            return {"Resources": {"Zone": {"Type": "Custom::AWS", "Properties": properties}}}
        self.assertEqual(self.problems(custom_aws("HostedZone.Id")), [])
        self.assertFails(custom_aws("HostedZone.ID"), "'ID' is not a member of HostedZone")

    def test_an_unknown_service_fails(self):
        self.assertFails(zone_record_template(lambda c: c.update(service="Route54")),
                         "service 'Route54' is no name SDK_SERVICES maps to a botocore service")

    def test_an_unknown_action_fails(self):
        self.assertFails(zone_record_template(lambda c: c.update(action="changeResourceRecordSet")),
                         "action 'changeResourceRecordSet' is not an operation of route53")

    def test_a_missing_required_member_fails(self):
        self.assertFails(zone_record_template(lambda c: c["parameters"].pop("ChangeBatch")),
                         "route53 ChangeResourceRecordSets requires 'ChangeBatch'")
        self.assertFails(zone_record_template(lambda c: changes(c)[0]["ResourceRecordSet"]["AliasTarget"].pop("EvaluateTargetHealth")),
                         "misses the required member 'EvaluateTargetHealth' of AliasTarget")

    def test_an_unknown_member_fails(self):
        self.assertFails(zone_record_template(lambda c: c["parameters"].update(HostedZone=c["parameters"].pop("HostedZoneId"))),
                         "'HostedZone' is not an input of route53 ChangeResourceRecordSets")
        self.assertFails(zone_record_template(lambda c: changes(c)[0]["ResourceRecordSet"].update(HealthCheck="x")),
                         "'HealthCheck' is not a member of ResourceRecordSet")

    def test_a_value_outside_the_enum_or_of_the_wrong_type_fails(self):
        self.assertFails(zone_record_template(lambda c: changes(c)[0].update(Action="REMOVE")),
                         "ChangeBatch.Changes[0].Action: must be one of CREATE, DELETE, UPSERT, got 'REMOVE'")
        self.assertFails(zone_record_template(lambda c: changes(c)[0]["ResourceRecordSet"]["AliasTarget"].update(EvaluateTargetHealth="true")),
                         "EvaluateTargetHealth: must be a boolean")

    def test_a_reference_stands_for_any_value_even_outside_a_string(self):
        value = {"Fn::Join": ["", ['{"service":"Route53","action":"listHostedZones","parameters":{"MaxItems":', {"Ref": "Count"}, '}}']]}
        call, intrinsics = sdk_calls.read_call(value)
        self.assertIsInstance(sdk_calls.placeholders(call, intrinsics)["parameters"]["MaxItems"], runbooks.Unresolved)

    def test_a_bad_error_pattern_or_role_or_key_fails(self):
        def change(pattern, role):
            def apply(call):
                call.update(ignoreErrorCodesMatching=pattern, assumedRoleArn=role, logApiResponse=False)
            return apply
        problems = self.problems(zone_record_template(change("InvalidChangeBatch(", "arn:@PARTITION@:iam::333333333333:user/zone")))
        self.assertTrue(any("ignoreErrorCodesMatching 'InvalidChangeBatch(' is no regular expression" in p for p in problems), problems)
        self.assertTrue(any("assumedRoleArn must be an IAM role ARN" in p and "<AWS::Partition>" in p for p in problems), problems)
        self.assertTrue(any("'logApiResponse' is no key of an SDK call" in p for p in problems), problems)
        problems = self.problems(zone_record_template(change(".*", "@ROLE@")))
        self.assertTrue(any("ignoreErrorCodesMatching '.*' matches every error code" in p for p in problems), problems)
        self.assertFalse(any("assumedRoleArn must be" in p for p in problems), problems)

    def test_a_property_that_is_no_sdk_call_fails(self):
        t = zone_record_template()
        t["Resources"]["Record"]["Properties"]["Update"] = '{"service": "Route53"'
        self.assertFails(t, "Update: is not the JSON of an SDK call")

    def test_the_command_exits_1_on_a_broken_call(self):
        broken = zone_record_template(lambda c: changes(c)[0].update(Action="REMOVE"))
        broken["Resources"].update(good_template()["Resources"])
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "Stack.template.json")
            with open(path, "w") as f:
                json.dump(broken, f)
            bad = subprocess.run([sys.executable, runbooks.__file__, path], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn("runbooks: 1 Automation documents, 5 API steps, 0 scripts, 0 problems", bad.stdout)
        self.assertIn("FAIL Record Custom::ZoneRecord", bad.stdout)
        self.assertIn("sdk calls: 1 custom resources, 3 calls, 3 problems", bad.stdout)


if __name__ == "__main__":
    unittest.main()
