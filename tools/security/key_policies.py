"""Fails on a KMS key policy statement that lets an AWS service use the key on behalf of anyone.

    python3 key_policies.py PATH...     (template files, or folders searched for *.template.json)

A service principal (`"Principal": {"Service": ...}`) acts for every customer of that service: a
statement that allows it a KMS key without saying for whose resources lets a resource of another
account make the service use this key (the confused deputy problem). In the library's templates
the key of the alarm topic, and in prod the one key that also encrypts the secrets, DocumentDB and
the logs, trust CloudWatch and CloudWatch Logs; so every statement of an AWS::KMS::Key's KeyPolicy
that allows a service principal must carry a condition on one of SOURCE_KEYS:

  - aws:SourceAccount or aws:SourceArn, which AWS services send on behalf of the resource they act
    for (CloudWatch alarms publishing to an encrypted SNS topic do);
  - kms:EncryptionContext:aws:logs:arn, which CloudWatch Logs documents for a log group's key
    instead (the log group's ARN, in the encryption context of every call).

A condition under the Null operator tests only whether the key is present, so it binds nothing and
does not count. Deny statements are left alone. Needs nothing beyond the standard library.

Prints one line per key, then each unbound statement; exits 1 on any, or when no key was found.
"""
import json
import os
import sys
from dataclasses import dataclass, field

from template_files import templates_of_arguments

SOURCE_KEYS = {"aws:sourceaccount", "aws:sourcearn", "kms:encryptioncontext:aws:logs:arn"}


def show(value):
    """A template value as one line: a literal as it is, an intrinsic as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)


def service_principals(statement):
    """The service principals a statement names (literals or intrinsics such as Fn::Join), or []."""
    principal = statement.get("Principal")
    if not isinstance(principal, dict) or "Service" not in principal:
        return []
    services = principal["Service"]
    return services if isinstance(services, list) else [services]


def binding_keys(statement):
    """The condition keys of a statement that bind a service to resources (SOURCE_KEYS), lowercase."""
    found = set()
    for operator, keys in (statement.get("Condition") or {}).items():
        if operator.lower().split(":")[-1].startswith("null") or not isinstance(keys, dict):
            continue
        found |= {key.lower() for key in keys} & SOURCE_KEYS
    return found


@dataclass
class Key:
    template: str
    logical_id: str
    statements: int = 0
    problems: list = field(default_factory=list)


def check_key(template, logical_id, resource):
    key = Key(template, logical_id)
    policy = (resource.get("Properties") or {}).get("KeyPolicy")
    if not isinstance(policy, dict):
        key.problems.append("has no key policy as an object (a key without one trusts the account's IAM policies only; write it out)")
        return key
    statements = policy.get("Statement") or []
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        key.statements += 1
        services = service_principals(statement)
        if statement.get("Effect") != "Allow" or not services or binding_keys(statement):
            continue
        sid = statement.get("Sid") or f"Statement[{index}]"
        key.problems.append(
            f"{sid} allows {', '.join(show(s) for s in services)} without a condition on "
            f"aws:SourceAccount, aws:SourceArn or kms:EncryptionContext:aws:logs:arn: "
            f"the service may use the key on behalf of any account's resources")
    return key


def check_template(path):
    with open(path) as f:
        template = json.load(f)
    return [check_key(path, logical_id, resource)
            for logical_id, resource in sorted((template.get("Resources") or {}).items())
            if resource.get("Type") == "AWS::KMS::Key"]


def main(argv):
    templates, code = templates_of_arguments(argv, __doc__, "key_policies.py", "key policies")
    if templates is None:
        return code
    keys = [k for t in templates for k in check_template(t)]
    for key in keys:
        mark = "ok  " if not key.problems else "FAIL"
        print(f"{mark} {key.logical_id} ({os.path.relpath(key.template)}): {key.statements} statements")
        for problem in key.problems:
            print(f"     {problem}")
    problems = sum(len(k.problems) for k in keys)
    print(f"key policies: {len(keys)} KMS keys, {problems} unbound service principal statements")
    if not keys:
        print("key policies: no AWS::KMS::Key found in " + ", ".join(argv), file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
