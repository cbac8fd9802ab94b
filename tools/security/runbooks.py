"""Judges the SSM Automation documents of synthesized templates by botocore's models of the AWS APIs.

    python runbooks.py PATH...        (template files, or folders searched for *.template.json)

Run it with a Python that has the pinned botocore (tools/security/scan installs it). For every
AWS::SSM::Document of type Automation, and every aws:executeAwsApi, aws:waitForAwsResourceProperty
and aws:assertAwsResourceProperty step of it (an aws:executeScript step's script is judged alike
by runbook_scripts.py: its boto3 calls, their inputs and the output members it reads):

  - the Service (a boto3 client name: ecs, application-autoscaling, elbv2) and Api (an operation
    name) exist in botocore;
  - every required input member is given, every given input is a member of the operation's input
    shape (Service, Api, PropertySelector and DesiredValues aside), and each literal value has the
    member's type, enum value and range, down to nested structures and lists;
  - every output Selector and PropertySelector is a path of the operation's output shape whose
    value suits the output Type (a wait compares one value; a literal DesiredValue of an enum
    member is one of its values);
  - every {{variable}} names a parameter or an output of an earlier step, every branch and
    nextStep names a step, and a branch compares a parameter with its allowed values only;

and (runbook_roles.py) the policy of the role named by the AutomationAssumeRole default (the AWS::IAM::Policy
resources attached to it, and its inline policies) allows exactly the IAM actions the steps call,
no wildcard, nothing more and nothing less; every write action it allows (any verb but Describe,
List and Get) has a condition, since any automation of the account that may pass the role runs
with it; and its trust policy lets only ssm.amazonaws.com assume it, with aws:SourceAccount and
aws:SourceArn (the confused deputy). CloudFormation intrinsics in the content (Ref,
Fn::GetAtt, Fn::Join, ...) are values known at deploy time: they stand in for any value of the
member's type.

The same templates' AWS SDK calls of aws-cdk-lib's AwsCustomResource (Custom::ZoneRecord,
Custom::AWS) are judged alike by sdk_calls.py: service, action, parameters and output paths by
botocore's models, and the role they assume.

Prints one line per document with the steps checked, then every problem; then each custom resource
with a problem in its SDK calls, and their summary line; exits 1 on any problem, or when no
Automation document was found.
"""
import json
import os
import re
import sys
from dataclasses import dataclass, field

import botocore
import botocore.session
from botocore.exceptions import UnknownServiceError
from botocore.model import OperationNotFoundError

import sdk_calls
from runbook_roles import check_role
from runbook_scripts import check_script_step
from template_files import Unresolved, resolve, templates_of_arguments

SCRIPT_ACTION = "aws:executeScript"
API_ACTIONS = {"aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty"}
STEP_KEYS = {"Service", "Api"}
PROPERTY_KEYS = {"PropertySelector", "DesiredValues"}

# The IAM service prefix of each boto3 client the documents may call. botocore's signing name says
# the same for these three; a client missing here is a problem to decide, not a guess.
IAM_PREFIX = {"ecs": "ecs", "application-autoscaling": "application-autoscaling", "elbv2": "elasticloadbalancing", "route53": "route53", "docdb": "rds"}

VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
PATH_TOKEN = re.compile(r"\.\.([A-Za-z_][A-Za-z0-9_]*)|\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*|-?\d*:-?\d*)\]")


def variables_in(value):
    """Every {{variable}} named in a value."""
    if isinstance(value, str):
        return VARIABLE.findall(value)
    if isinstance(value, list):
        return [v for item in value for v in variables_in(item)]
    if isinstance(value, dict):
        return [v for item in value.values() for v in variables_in(item)]
    return []


def is_variable(value):
    return isinstance(value, str) and not isinstance(value, Unresolved) and VARIABLE.fullmatch(value.strip()) is not None


@dataclass
class Document:
    template: str
    logical_id: str
    name: str
    problems: list = field(default_factory=list)
    api_steps: int = 0
    script_steps: int = 0
    steps: int = 0
    actions: set = field(default_factory=set)

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")


class Checker:
    def __init__(self):
        self.session = botocore.session.get_session()
        self.models = {}

    def model(self, service):
        if service not in self.models:
            try:
                self.models[service] = self.session.get_service_model(service)
            except UnknownServiceError:
                self.models[service] = None
        return self.models[service]

    # -- values against shapes -------------------------------------------------------------------

    def check_inputs(self, doc, where, call, operation, given, check_member, at=""):
        """The inputs `given` to `operation` (named `call` in messages, e.g. "ecs UpdateService"): each
        required member is there and each input is a member of its input shape; `check_member(name,
        shape, value)` then judges each one that is. `at` starts each message (a script's line)."""
        shape = operation.input_shape
        members = shape.members if shape else {}
        for name in (shape.required_members if shape else []):
            if name not in given:
                doc.problem(where, f"{at}{call} requires {name!r}")
        for name, value in given.items():
            if name not in members:
                doc.problem(where, f"{at}{name!r} is not an input of {call} (inputs: {', '.join(members) or 'none'})")
            else:
                check_member(name, members[name], value)

    def check_value(self, doc, where, shape, value):
        """A literal value against a botocore shape; placeholders and variables fit any type."""
        if isinstance(value, Unresolved) or is_variable(value):
            return
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                doc.problem(where, f"must be a structure ({shape.name}), got {json.dumps(value)}")
                return
            for member in shape.required_members:
                if member not in value:
                    doc.problem(where, f"misses the required member {member!r} of {shape.name}")
            for name, item in value.items():
                if name not in shape.members:
                    doc.problem(where, f"{name!r} is not a member of {shape.name} (members: {', '.join(shape.members)})")
                else:
                    self.check_value(doc, f"{where}.{name}", shape.members[name], item)
        elif kind == "list":
            if not isinstance(value, list):
                doc.problem(where, f"must be a list, got {json.dumps(value)}")
                return
            for i, item in enumerate(value):
                self.check_value(doc, f"{where}[{i}]", shape.member, item)
        elif kind == "map":
            if not isinstance(value, dict):
                doc.problem(where, f"must be a map, got {json.dumps(value)}")
                return
            for key, item in value.items():
                self.check_value(doc, f"{where}.{key}", shape.value, item)
        elif kind == "string":
            if not isinstance(value, str):
                doc.problem(where, f"must be a string, got {json.dumps(value)}")
            elif shape.enum and value not in shape.enum:
                doc.problem(where, f"must be one of {', '.join(shape.enum)}, got {value!r}")
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                doc.problem(where, f"must be an integer, got {json.dumps(value)}")
            else:
                low, high = shape.metadata.get("min"), shape.metadata.get("max")
                if (low is not None and value < low) or (high is not None and value > high):
                    doc.problem(where, f"must be from {low} to {high}, got {value}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                doc.problem(where, f"must be a boolean, got {json.dumps(value)}")
        elif kind in ("double", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                doc.problem(where, f"must be a number, got {json.dumps(value)}")

    # -- selectors against output shapes ---------------------------------------------------------

    def select(self, doc, where, shape, selector):
        """The shapes a JSONPath selects from `shape`, and whether it selects many values."""
        if not isinstance(selector, str) or not selector.startswith("$"):
            doc.problem(where, f"must be a JSONPath starting with '$', got {selector!r}")
            return [], False
        rest, shapes, many = selector[1:], [shape], False
        while rest:
            match = PATH_TOKEN.match(rest)
            if not match:
                doc.problem(where, f"cannot read {rest!r} of {selector!r}")
                return [], many
            descend, member, index = match.groups()
            rest = rest[match.end():]
            if member is not None:
                found = [s.members[member] for s in shapes if s.type_name == "structure" and member in s.members]
                if not found:
                    doc.problem(where, f"{selector!r}: {member!r} is not a member of {', '.join(sorted({s.name for s in shapes}))}")
                    return [], many
                shapes = found
            elif descend is not None:
                found = [s.members[descend] for s in self.descendants(shapes) if descend in s.members]
                if not found:
                    doc.problem(where, f"{selector!r}: no member {descend!r} anywhere under {', '.join(sorted({s.name for s in shapes}))}")
                    return [], True
                shapes, many = found, True
            else:
                lists = [s.member for s in shapes if s.type_name == "list"]
                if not lists:
                    doc.problem(where, f"{selector!r}: [{index}] indexes {', '.join(sorted({s.name for s in shapes}))}, which is not a list")
                    return [], many
                shapes = lists
                many = many or not index.isdigit()
        return shapes, many

    @staticmethod
    def descendants(shapes):
        """Every structure shape reachable from `shapes`, themselves included."""
        seen, todo, found = set(), list(shapes), []
        while todo:
            shape = todo.pop()
            key = (shape.name, shape.type_name)
            if key in seen:
                continue
            seen.add(key)
            if shape.type_name == "structure":
                found.append(shape)
                todo.extend(shape.members.values())
            elif shape.type_name == "list":
                todo.append(shape.member)
            elif shape.type_name == "map":
                todo.append(shape.value)
        return found

    def check_output(self, doc, where, output_shape, output):
        name, selector, kind = output.get("Name"), output.get("Selector"), output.get("Type")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_]+", name):
            doc.problem(where, f"output name must be letters, digits and '_', got {name!r}")
        shapes, many = self.select(doc, f"{where} {name}", output_shape, selector)
        if not shapes:
            return
        scalar = {"String": ("string", "timestamp"), "Integer": ("integer", "long"), "Boolean": ("boolean",)}
        if kind in scalar:
            fits = not many and all(s.type_name in scalar[kind] for s in shapes)
        elif kind == "StringList":
            fits = all((s.type_name == "string" and many) or (s.type_name == "list" and s.member.type_name == "string" and not many) for s in shapes)
        elif kind == "MapList":
            fits = all((s.type_name == "structure" and many) or (s.type_name == "list" and s.member.type_name == "structure") for s in shapes)
        elif kind == "StringMap":
            fits = not many and all(s.type_name in ("structure", "map") for s in shapes)
        else:
            doc.problem(where, f"output {name} has no type SSM knows: {kind!r}")
            return
        if not fits:
            got = ", ".join(sorted({s.type_name for s in shapes}))
            doc.problem(where, f"output {name} is {kind}, but {selector!r} selects {'values' if many else 'a value'} of type {got}")

    def check_property(self, doc, where, output_shape, inputs):
        selector, desired = inputs.get("PropertySelector"), inputs.get("DesiredValues")
        if selector is None or desired is None:
            doc.problem(where, "needs PropertySelector and DesiredValues")
            return
        shapes, many = self.select(doc, f"{where} PropertySelector", output_shape, selector)
        if not isinstance(desired, list) or not desired or not all(isinstance(v, str) for v in desired):
            doc.problem(where, f"DesiredValues must be a list of strings, got {json.dumps(desired)}")
            return
        if not shapes:
            return
        if many or any(s.type_name not in ("string", "integer", "long", "boolean") for s in shapes):
            doc.problem(where, f"PropertySelector {selector!r} must select one value, not {'several' if many else shapes[0].type_name}")
            return
        for value in desired:
            if isinstance(value, Unresolved) or is_variable(value):
                continue
            for shape in shapes:
                if shape.type_name == "string" and shape.enum and value not in shape.enum:
                    doc.problem(where, f"DesiredValues: {value!r} is not a value of {selector!r} ({', '.join(shape.enum)})")
                if shape.type_name in ("integer", "long") and not re.fullmatch(r"-?\d+", value):
                    doc.problem(where, f"DesiredValues: {value!r} is not an integer, which {selector!r} is")
                if shape.type_name == "boolean" and value not in ("true", "false", "True", "False"):
                    doc.problem(where, f"DesiredValues: {value!r} is not a boolean, which {selector!r} is")

    # -- steps -----------------------------------------------------------------------------------

    def check_api_step(self, doc, step, where):
        inputs = step.get("inputs") or {}
        service, api = inputs.get("Service"), inputs.get("Api")
        model = self.model(service) if isinstance(service, str) else None
        if model is None:
            doc.problem(where, f"Service {service!r} is not a boto3 client botocore {botocore.__version__} knows")
            return
        try:
            operation = model.operation_model(api)
        except OperationNotFoundError:
            doc.problem(where, f"Api {api!r} is not an operation of {service} in botocore {botocore.__version__}")
            return
        prefix = IAM_PREFIX.get(service)
        if prefix is None:
            doc.problem(where, f"no IAM prefix is known for the boto3 client {service!r}: add it to IAM_PREFIX")
        else:
            doc.actions.add(f"{prefix}:{api}")
        given = {k: v for k, v in inputs.items() if k not in STEP_KEYS and not (step["action"] != "aws:executeAwsApi" and k in PROPERTY_KEYS)}
        self.check_inputs(doc, where, f"{service} {api}", operation, given,
                          lambda name, shape, value: self.check_value(doc, f"{where} {name}", shape, value))
        output_shape = operation.output_shape
        if step["action"] == "aws:executeAwsApi":
            for output in step.get("outputs") or []:
                if output_shape is None:
                    doc.problem(where, f"{service} {api} returns nothing to select output {output.get('Name')!r} from")
                else:
                    self.check_output(doc, where, output_shape, output)
        elif output_shape is None:
            doc.problem(where, f"{service} {api} returns nothing to wait on")
        else:
            self.check_property(doc, where, output_shape, inputs)

    def check_flow(self, doc, steps, parameters):
        """Variables, branches and next steps."""
        names = [s.get("name") for s in steps]
        for name in {n for n in names if names.count(n) > 1}:
            doc.problem(f"step {name}", "names more than one step")
        known = set(parameters)
        for step in steps:
            where = f"step {step.get('name')}"
            for variable in variables_in(step.get("inputs")):
                if variable not in known and not variable.startswith(("automation:", "global:")):
                    doc.problem(where, f"{{{{{variable}}}}} is neither a parameter nor an output of an earlier step")
            targets = [step.get("nextStep")] if step.get("nextStep") else []
            if step.get("action") == "aws:branch":
                inputs = step.get("inputs") or {}
                choices = inputs.get("Choices") or []
                targets += [c.get("NextStep") for c in choices] + ([inputs["Default"]] if "Default" in inputs else [])
                self.check_choices(doc, where, choices, parameters)
            for target in targets:
                if target not in names:
                    doc.problem(where, f"goes to {target!r}, which is no step")
            known |= {f"{step.get('name')}.{o.get('Name')}" for o in step.get("outputs") or []}

    def check_choices(self, doc, where, choices, parameters):
        def visit(choice):
            for operator in ("And", "Or"):
                for sub in choice.get(operator) or []:
                    visit(sub)
            if "Not" in choice:
                visit(choice["Not"])
            variable = choice.get("Variable")
            if isinstance(variable, str) and is_variable(variable):
                name = VARIABLE.fullmatch(variable.strip()).group(1)
                allowed = (parameters.get(name) or {}).get("allowedValues")
                if allowed and "StringEquals" in choice and choice["StringEquals"] not in allowed:
                    doc.problem(where, f"compares {name} with {choice['StringEquals']!r}, which is not one of its allowedValues {allowed}")
        for choice in choices:
            visit(choice)

    # -- documents -------------------------------------------------------------------------------

    def check_document(self, template, resources, logical_id, resource):
        properties = resource.get("Properties", {})
        name = resolve(properties.get("Name", logical_id))
        doc = Document(template, logical_id, str(name))
        raw = properties.get("Content")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                doc.problem("Content", "is a string that is not JSON (a YAML document cannot be judged here)")
                return doc
        if not isinstance(raw, dict):
            doc.problem("Content", f"must be the document as an object, got {type(raw).__name__}")
            return doc
        content = resolve(raw)
        if content.get("schemaVersion") != "0.3":
            doc.problem("schemaVersion", f"an Automation document has schema 0.3, got {content.get('schemaVersion')!r}")
        steps = content.get("mainSteps") or []
        if not steps:
            doc.problem("mainSteps", "has no step")
        parameters = content.get("parameters") or {}
        doc.steps = len(steps)
        for step in steps:
            if step.get("action") in API_ACTIONS:
                doc.api_steps += 1
                self.check_api_step(doc, step, f"step {step.get('name')}")
            elif step.get("action") == SCRIPT_ACTION:
                doc.script_steps += 1
                check_script_step(self, doc, step, f"step {step.get('name')}", IAM_PREFIX)
        self.check_flow(doc, steps, parameters)
        known_outputs = {f"{s.get('name')}.{o.get('Name')}" for s in steps for o in s.get("outputs") or []}
        for output in content.get("outputs") or []:
            if output not in known_outputs:
                doc.problem("outputs", f"{output!r} is no step output")
        assume = content.get("assumeRole")
        if not isinstance(assume, str) or VARIABLE.fullmatch(assume.strip() or "") is None or VARIABLE.fullmatch(assume.strip()).group(1) != "AutomationAssumeRole":
            doc.problem("assumeRole", f"must be '{{{{AutomationAssumeRole}}}}', got {assume!r}")
        doc.role = check_role(doc, resources, raw.get("parameters") or {})
        return doc

    def check_template(self, path):
        with open(path) as f:
            template = json.load(f)
        resources = template.get("Resources", {})
        return [self.check_document(path, resources, logical_id, resource)
                for logical_id, resource in sorted(resources.items())
                if resource.get("Type") == "AWS::SSM::Document" and resource.get("Properties", {}).get("DocumentType") == "Automation"]


def main(argv):
    templates, code = templates_of_arguments(argv, __doc__, "runbooks.py", "runbooks")
    if templates is None:
        return code
    checker = Checker()
    documents = [d for t in templates for d in checker.check_template(t)]
    for doc in documents:
        mark = "ok  " if not doc.problems else "FAIL"
        print(f"{mark} {doc.name} ({os.path.relpath(doc.template)}): {doc.api_steps} API steps and {doc.script_steps} scripts of {doc.steps} checked, "
              f"{len(doc.actions)} IAM actions, role {getattr(doc, 'role', None)}")
        for problem in doc.problems:
            print(f"     {problem}")
    problems = sum(len(d.problems) for d in documents)
    steps = sum(d.api_steps for d in documents)
    scripts = sum(d.script_steps for d in documents)
    print(f"runbooks: {len(documents)} Automation documents, {steps} API steps, {scripts} scripts, {problems} problems (botocore {botocore.__version__})")
    sdk_problems = sdk_calls.report(checker, templates)
    if not documents:
        print("runbooks: no Automation document found in " + ", ".join(argv), file=sys.stderr)
        return 1
    return 1 if problems or sdk_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
