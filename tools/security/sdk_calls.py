"""Judges the AWS SDK calls of the custom resources that aws-cdk-lib's AwsCustomResource makes (the
library's Custom::ZoneRecord, a plain Custom::AWS) by botocore's models, as runbooks.py judges the
Automation documents' API steps; runbooks.py runs it on the same templates, with the same Checker.

A resource is such a custom resource when its Properties have a ServiceToken and at least one of
Create, Update and Delete is the JSON of an SDK call with a service and an action: a string, or an
Fn::Join of strings and intrinsics (a load balancer's DNSName, the partition), read with each
intrinsic a value known at deploy time that stands in for any value of the member's type. For each
of its calls:

  - the service is a name AwsCustomResource takes (an SDK v2 name such as Route53, or an SDK v3
    client such as route-53 or @aws-sdk/client-route-53), which SDK_SERVICES maps to botocore's;
  - the action (changeResourceRecordSets, ChangeResourceRecordSets or, as SDK v3 writes it,
    ChangeResourceRecordSetsCommand) is an operation of that service;
  - every required input member is given, every parameter is a member of the operation's input
    shape, and each literal value has the member's type, enum value and range (Checker.check_inputs
    and Checker.check_value, as for a runbook step);
  - outputPaths, outputPath and physicalResourceId.responsePath are paths of the operation's output;
  - ignoreErrorCodesMatching is a regular expression, and not one that matches every error;
  - assumedRoleArn is an IAM role ARN (its partition, account or name may be known at deploy time);
  - no key is one the handler does not read, and Create uses no PhysicalResourceIdReference.
"""
import json
import os
import re
from dataclasses import dataclass, field

import botocore

from template_files import Unresolved, resolve

CALLS = ("Create", "Update", "Delete")

# The service names of the calls, as AwsCustomResource's handler reads them (lowercase, without
# "@aws-sdk/client-"): SDK v2 names and the SDK v3 clients they stand for (aws-cdk-lib's
# custom-resources/lib/helpers-internal/sdk-v2-to-v3.json), each mapped to botocore's name. A name
# missing here is a problem to decide, not a guess.
SDK_SERVICES = {
    "route53": "route53", "route-53": "route53",
    "ecs": "ecs",
    "applicationautoscaling": "application-autoscaling", "application-auto-scaling": "application-autoscaling",
    "elbv2": "elbv2", "elastic-load-balancing-v2": "elbv2",
    "docdb": "docdb",
    "ssm": "ssm",
}
SDK_V3_PREFIX = "@aws-sdk/client-"

# The keys of a call the handler reads: aws-cdk-lib's AwsSdkCall, and its Logging's.
CALL_KEYS = {"service", "action", "parameters", "physicalResourceId", "outputPaths", "outputPath", "apiVersion", "region",
             "assumedRoleArn", "externalId", "ignoreErrorCodesMatching", "logApiResponseData"}

# What the handler replaces by the resource's physical ID (PhysicalResourceIdReference), which a
# Create does not have yet.
PHYSICAL_ID = "PHYSICAL:RESOURCEID:"

# An intrinsic of an Fn::Join, in the JSON text while it is read.
MARK = "\ue000{}\ue001"
MARKED = re.compile("\ue000(\\d+)\ue001")
_MARK = MARKED.pattern
# An IAM role ARN, any part of whose partition, account or name may be a value known at deploy time.
ROLE_ARN = re.compile(rf"{_MARK}|arn:(?:aws(?:-[a-z]+)*|{_MARK}):iam::(?:\d{{12}}|{_MARK}):role/(?:[\w+=,.@/-]|{_MARK})+")
# An error code no service answers with: a pattern that matches it matches every error.
NO_SUCH_ERROR = "\x00"


@dataclass
class SdkResource:
    template: str
    logical_id: str
    type: str
    problems: list = field(default_factory=list)
    calls: int = 0

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")


def json_state(text, state):
    """Whether the JSON text after `text` is inside a string and after a backslash, from the same
    (inside, escaped) before it."""
    inside, escaped = state
    for ch in text:
        if escaped:
            escaped = False
        elif inside and ch == "\\":
            escaped = True
        elif ch == '"':
            inside = not inside
    return inside, escaped


def call_text(value):
    """A Create, Update or Delete property as JSON text and the intrinsics in it: each one of an
    Fn::Join a marker, inside the string it stands in, or a JSON string of its own where it stands
    for a whole value. (None, []) for anything else."""
    if isinstance(value, str):
        return value, []
    arg = value.get("Fn::Join") if isinstance(value, dict) and len(value) == 1 else None
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list)):
        return None, []
    delimiter, parts = arg
    text, intrinsics, state = "", [], (False, False)
    for i, part in enumerate(parts):
        if i:
            text, state = text + delimiter, json_state(delimiter, state)
        if isinstance(part, str):
            text, state = text + part, json_state(part, state)
        else:
            mark = MARK.format(len(intrinsics))
            intrinsics.append(part)
            text += mark if state[0] else json.dumps(mark)
    return text, intrinsics


def read_call(value):
    """The SDK call of a Create, Update or Delete property, its intrinsics still markers, and the
    intrinsics; (None, []) if it is no JSON object."""
    text, intrinsics = call_text(value)
    if text is None:
        return None, []
    try:
        call = json.loads(text)
    except ValueError:
        return None, []
    return (call, intrinsics) if isinstance(call, dict) else (None, [])


def placeholders(value, intrinsics):
    """The call with every string that holds an intrinsic (or the physical ID) an Unresolved
    placeholder, each intrinsic written as resolve() writes it."""
    if isinstance(value, list):
        return [placeholders(v, intrinsics) for v in value]
    if isinstance(value, dict):
        return {k: placeholders(v, intrinsics) for k, v in value.items()}
    if isinstance(value, str) and (MARKED.search(value) or value == PHYSICAL_ID):
        return Unresolved(MARKED.sub(lambda m: str(resolve(intrinsics[int(m.group(1))])), value))
    return value


def is_sdk_call(value):
    call, _ = read_call(value)
    return call is not None and "service" in call and "action" in call


def botocore_service(service):
    """botocore's name of the service a call names, or None."""
    name = service.lower()
    return SDK_SERVICES.get(name[len(SDK_V3_PREFIX):] if name.startswith(SDK_V3_PREFIX) else name)


def operation_name(model, action):
    """The operation an action names (camelCase, PascalCase, or PascalCase with SDK v3's Command),
    or None."""
    names = [action[:1].upper() + action[1:]]
    if action.endswith("Command"):
        names.append(names[0][:-len("Command")])
    return next((n for n in names if n in model.operation_names), None)


def response_path(path):
    """A path of the flattened response, as the handler writes it (ChangeInfo.Id, Items.0.Name), as
    a JSONPath of Checker.select."""
    return "$" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in path.split("."))


def check_call(checker, res, where, call, intrinsics):
    """One SDK call (its intrinsics still markers) of a custom resource."""
    for key in sorted(set(call) - CALL_KEYS):
        res.problem(where, f"{key!r} is no key of an SDK call that AwsCustomResource reads (keys: {', '.join(sorted(CALL_KEYS))})")
    if where == "Create" and PHYSICAL_ID in json.dumps(call):
        res.problem(where, "uses the physical resource ID (PhysicalResourceIdReference), which a resource has only once it is created")
    pattern = call.get("ignoreErrorCodesMatching")
    if pattern is not None:
        try:
            if not isinstance(pattern, str) or MARKED.search(pattern):
                res.problem(where, f"ignoreErrorCodesMatching must be a literal regular expression, got {json.dumps(pattern)}")
            elif re.search(pattern, NO_SUCH_ERROR):
                res.problem(where, f"ignoreErrorCodesMatching {pattern!r} matches every error code: the call could fail unnoticed")
        except re.error as e:
            res.problem(where, f"ignoreErrorCodesMatching {pattern!r} is no regular expression: {e}")
    role = call.get("assumedRoleArn")
    if role is not None and not (isinstance(role, str) and ROLE_ARN.fullmatch(role)):
        shown = placeholders(role, intrinsics)
        res.problem(where, f"assumedRoleArn must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>), got {shown!r}")
    if "logApiResponseData" in call and not isinstance(call["logApiResponseData"], bool):
        res.problem(where, f"logApiResponseData must be a boolean, got {json.dumps(call['logApiResponseData'])}")
    service, action = call.get("service"), call.get("action")
    if not isinstance(service, str) or not isinstance(action, str) or MARKED.search(service + action):
        res.problem(where, f"service and action must be literal strings, got {json.dumps(service)} and {json.dumps(action)}")
        return
    name = botocore_service(service)
    if name is None:
        res.problem(where, f"service {service!r} is no name SDK_SERVICES maps to a botocore service: add it there")
        return
    model = checker.model(name)
    if model is None:
        res.problem(where, f"service {service!r} ({name}) is not a service botocore {botocore.__version__} knows")
        return
    operation = operation_name(model, action)
    if operation is None:
        res.problem(where, f"action {action!r} is not an operation of {name} in botocore {botocore.__version__}")
        return
    # One of the model's operation_names: its model exists.
    operation_model = model.operation_model(operation)
    parameters = placeholders(call.get("parameters", {}), intrinsics)
    if not isinstance(parameters, dict):
        res.problem(where, f"parameters must be an object, got {json.dumps(parameters)}")
    else:
        checker.check_inputs(res, where, f"{name} {operation}", operation_model, parameters,
                             lambda member, shape, value: checker.check_value(res, f"{where} {member}", shape, value))
    physical = call.get("physicalResourceId")
    paths = []
    if physical is not None:
        if not isinstance(physical, dict) or len(set(physical) & {"id", "responsePath"}) != 1 or set(physical) - {"id", "responsePath"}:
            res.problem(where, f"physicalResourceId must be {{\"id\": ...}} or {{\"responsePath\": ...}}, got {json.dumps(physical)}")
        elif "responsePath" in physical:
            paths.append(("physicalResourceId.responsePath", physical["responsePath"]))
    outputs = call.get("outputPaths", [])
    if not isinstance(outputs, list):
        res.problem(where, f"outputPaths must be a list, got {json.dumps(outputs)}")
        outputs = []
    paths += [("outputPaths", p) for p in outputs] + ([("outputPath", call["outputPath"])] if "outputPath" in call else [])
    for key, path in paths:
        if not isinstance(path, str) or MARKED.search(path):
            res.problem(where, f"{key} must be a literal path of the response, got {json.dumps(path)}")
        elif operation_model.output_shape is None:
            res.problem(where, f"{key} {path!r}: {name} {operation} returns nothing")
        else:
            checker.select(res, f"{where} {key}", operation_model.output_shape, response_path(path))


def check_resource(checker, template, logical_id, resource):
    """The custom resource's SDK calls, or None if it is no custom resource of AwsCustomResource."""
    properties = resource.get("Properties") or {}
    if not isinstance(properties, dict) or "ServiceToken" not in properties or not any(is_sdk_call(properties.get(c)) for c in CALLS):
        return None
    res = SdkResource(template, logical_id, resource.get("Type", ""))
    for name in CALLS:
        if name not in properties:
            continue
        call, intrinsics = read_call(properties[name])
        if call is None or "service" not in call or "action" not in call:
            res.problem(name, "is not the JSON of an SDK call with a service and an action (a string, or an Fn::Join of strings and references)")
            continue
        res.calls += 1
        check_call(checker, res, name, call, intrinsics)
    return res


def check_template(checker, path):
    with open(path) as f:
        template = json.load(f)
    found = []
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        checked = check_resource(checker, path, logical_id, resource)
        if checked is not None:
            found.append(checked)
    return found


def report(checker, templates):
    """Prints each custom resource with a problem and its problems, then the summary line; returns
    the number of problems."""
    resources = [r for t in templates for r in check_template(checker, t)]
    for res in resources:
        if res.problems:
            print(f"FAIL {res.logical_id} {res.type} ({os.path.relpath(res.template)}): {res.calls} SDK calls checked")
            for problem in res.problems:
                print(f"     {problem}")
    problems = sum(len(r.problems) for r in resources)
    calls = sum(r.calls for r in resources)
    print(f"sdk calls: {len(resources)} custom resources, {calls} calls, {problems} problems (botocore {botocore.__version__})")
    return problems
