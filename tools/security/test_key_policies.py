"""The key policy check fails where it must: each test breaks one thing of a good key.

    python3 -m unittest tools/security/test_key_policies.py      (tools/security/scan runs it)

Runs under unittest (no package to install) and under pytest alike.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import key_policies  # noqa: E402  (the module under test, beside this file)
from template_files import check_as_file  # noqa: E402

ALARMS = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":cloudwatch:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":alarm:*"]]}
LOG_GROUPS = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":log-group:*"]]}


def good_template():
    """The prod key as the deployment writes it: the account's admin, CloudWatch Logs and the alarms."""
    statements = [
        {"Sid": "Admin", "Effect": "Allow", "Action": "kms:*", "Resource": "*",
         "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}}},
        {"Sid": "CloudWatchLogsOfThisAccount", "Effect": "Allow", "Action": ["kms:Encrypt*", "kms:Decrypt*"], "Resource": "*",
         "Principal": {"Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}},
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": LOG_GROUPS}}},
        {"Sid": "AllowCloudWatchAlarmsToPublish", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}, "ArnLike": {"aws:SourceArn": ALARMS}}},
    ]
    return {"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": statements}}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}},
    }}


def statement(template, sid):
    return next(s for s in template["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == sid)


class KeyPolicyCheck(unittest.TestCase):
    def problems(self, template):
        keys = check_as_file(key_policies.check_template, template)
        self.assertEqual(len(keys), 1)
        return keys[0].problems

    def assertFails(self, template, expected):
        problems = self.problems(template)
        self.assertTrue(any(expected in p for p in problems), f"expected a problem with {expected!r}, got {problems}")

    def test_a_good_key_passes(self):
        self.assertEqual(self.problems(good_template()), [])

    def test_a_service_principal_without_a_condition_fails(self):
        t = good_template()
        del statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"]
        self.assertFails(t, "AllowCloudWatchAlarmsToPublish allows cloudwatch.amazonaws.com without a condition on aws:SourceAccount")

    def test_either_source_key_alone_binds(self):
        for kept in ("StringEquals", "ArnLike"):
            t = good_template()
            conditions = statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"]
            statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"] = {kept: conditions[kept]}
            self.assertEqual(self.problems(t), [], kept)

    def test_a_condition_on_another_key_fails(self):
        t = good_template()
        statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"] = {"StringEquals": {"kms:ViaService": "sns.us-east-1.amazonaws.com"}}
        self.assertFails(t, "AllowCloudWatchAlarmsToPublish allows cloudwatch.amazonaws.com without a condition")

    def test_a_null_condition_binds_nothing(self):
        t = good_template()
        statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"] = {"Null": {"aws:SourceArn": "false"}}
        self.assertFails(t, "AllowCloudWatchAlarmsToPublish allows cloudwatch.amazonaws.com without a condition")

    def test_an_intrinsic_principal_in_a_list_without_its_condition_fails(self):
        t = good_template()
        logs = statement(t, "CloudWatchLogsOfThisAccount")
        logs["Principal"]["Service"] = [logs["Principal"]["Service"], "delivery.logs.amazonaws.com"]
        del logs["Condition"]
        self.assertFails(t, 'CloudWatchLogsOfThisAccount allows {"Fn::Join":["",["logs.",{"Ref":"AWS::Region"},".amazonaws.com"]]}, delivery.logs.amazonaws.com without')

    def test_condition_keys_and_operators_are_matched_without_case(self):
        t = good_template()
        statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"] = {"stringequals": {"AWS:SOURCEACCOUNT": "111111111111"}}
        self.assertEqual(self.problems(t), [])

    def test_deny_statements_and_account_principals_are_left_alone(self):
        t = good_template()
        statement(t, "AllowCloudWatchAlarmsToPublish").update(Effect="Deny")
        del statement(t, "AllowCloudWatchAlarmsToPublish")["Condition"]
        self.assertEqual(self.problems(t), [])

    def test_the_command_exits_1_on_an_unbound_statement_and_0_on_a_good_key(self):
        broken = good_template()
        del statement(broken, "AllowCloudWatchAlarmsToPublish")["Condition"]
        without_key = copy.deepcopy(good_template())
        del without_key["Resources"]["Key"]
        with tempfile.TemporaryDirectory() as folder:
            for name, template in (("good", good_template()), ("broken", broken), ("none", without_key)):
                os.makedirs(os.path.join(folder, name))
                with open(os.path.join(folder, name, "Stack.template.json"), "w") as f:
                    json.dump(template, f)
            script = key_policies.__file__
            good = subprocess.run([sys.executable, script, os.path.join(folder, "good")], capture_output=True, text=True)
            bad = subprocess.run([sys.executable, script, folder], capture_output=True, text=True)
            none = subprocess.run([sys.executable, script, os.path.join(folder, "none")], capture_output=True, text=True)
        self.assertEqual(good.returncode, 0, good.stdout + good.stderr)
        self.assertIn("ok   Key", good.stdout)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn("FAIL Key", bad.stdout)
        self.assertIn("AllowCloudWatchAlarmsToPublish allows cloudwatch.amazonaws.com", bad.stdout)
        self.assertEqual(none.returncode, 1, none.stdout)
        self.assertIn("no AWS::KMS::Key found", none.stderr)


if __name__ == "__main__":
    unittest.main()
