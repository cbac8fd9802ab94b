"""The aws:executeScript steps of the runbooks, judged by botocore's models as runbooks.py judges
their API steps (runbooks.py calls it for every such step).

A script is Python that SSM runs with the document's role: the check reads it (ast, nothing runs)
and holds it to what it can judge, refusing what it cannot:

  - the Runtime is one SSM runs, the Handler a top-level function of the script taking
    (events, context), and every key the handler reads of `events` is one InputPayload gives, and
    every key InputPayload gives is read;
  - every boto3 client is `name = boto3.client('<client>')` with a client botocore knows; every
    call on it is an operation of that client, with keyword arguments that are members of its
    input (every required one given, literal values of the member's type), and its IAM action is
    one the role must allow;
  - every literal key the script reads (`x['Key']`, `x.get('Key')`) of something other than
    `events` is a member of an output of the operations it calls;
  - every output Selector is `$.Payload.<Key>`, a key of every dict the handler returns.
"""
import ast
import re

from botocore import xform_name

# The Python runtimes SSM runs scripts with (3.6 to 3.8 no longer run since 2025-02-18).
RUNTIMES = ("python3.11",)
SCRIPT_KEYS = {"Runtime", "Handler", "Script", "InputPayload"}
PAYLOAD_SELECTOR = re.compile(r"\$\.Payload\.([A-Za-z_][A-Za-z0-9_]*)")


def dotted(node):
    """`a.b.c` of a name or attribute node, or None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def literal_keys(tree):
    """Every (object node, key) the script reads with a literal string: x['Key'] and x.get('Key')."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            yield node.value, node.slice.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.func.value, node.args[0].value


def own_nodes(function):
    """The nodes of a function's body, without those of the functions it defines."""
    todo = list(function.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def check_script_step(checker, doc, step, where, iam_prefix):
    """The script of an aws:executeScript step; its IAM actions go to doc.actions."""
    inputs = step.get("inputs") or {}
    for name in sorted(set(inputs) - SCRIPT_KEYS):
        doc.problem(where, f"{name!r} is not an input of aws:executeScript (inputs: {', '.join(sorted(SCRIPT_KEYS))})")
    if inputs.get("Runtime") not in RUNTIMES:
        doc.problem(where, f"Runtime must be one SSM runs ({', '.join(RUNTIMES)}), got {inputs.get('Runtime')!r}")
    script, payload = inputs.get("Script"), inputs.get("InputPayload", {})
    if not isinstance(script, str):
        doc.problem(where, "Script must be the script's text (an attached script cannot be judged here)")
        return
    try:
        tree = ast.parse(script)
    except SyntaxError as error:
        doc.problem(where, f"Script is no Python: {error.msg} at line {error.lineno}")
        return
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    handler = functions.get(inputs.get("Handler"))
    if handler is None:
        doc.problem(where, f"Handler {inputs.get('Handler')!r} is no top-level function of the script (functions: {', '.join(functions) or 'none'})")
        return
    if len(handler.args.args) != 2:
        doc.problem(where, f"the handler {handler.name} must take (events, context), takes {len(handler.args.args)} arguments")
        return
    events = handler.args.args[0].arg
    if not isinstance(payload, dict):
        doc.problem(where, f"InputPayload must be a map, got {payload!r}")
        payload = {}

    clients = judge_clients(doc, where, tree, checker)
    operations = judge_calls(doc, where, tree, clients, checker, iam_prefix)

    read = {key for node, key in literal_keys(tree) if isinstance(node, ast.Name) and node.id == events}
    for key in sorted(read - set(payload)):
        doc.problem(where, f"the script reads {events}[{key!r}], which InputPayload does not give (gives: {', '.join(sorted(payload)) or 'nothing'})")
    for key in sorted(set(payload) - read):
        doc.problem(where, f"InputPayload gives {key!r}, which the script never reads")

    outputs = [op.output_shape for op in operations if op.output_shape is not None]
    members = {name for shape in checker.descendants(outputs) for name in shape.members}
    called = ", ".join(sorted({f"{op.service_model.service_name} {op.name}" for op in operations})) or "none"
    for node, key in literal_keys(tree):
        if not (isinstance(node, ast.Name) and node.id == events) and key not in members:
            doc.problem(where, f"the script reads {key!r}, which no output of its calls ({called}) has")

    returned = [node.value for node in own_nodes(handler) if isinstance(node, ast.Return)]
    if not returned or not all(isinstance(value, ast.Dict) for value in returned):
        doc.problem(where, f"every return of {handler.name} must be a dict literal, whose keys the outputs select")
        return
    keys = set.intersection(*({k.value for k in value.keys if isinstance(k, ast.Constant)} for value in returned))
    for output in step.get("outputs") or []:
        match = PAYLOAD_SELECTOR.fullmatch(str(output.get("Selector")))
        if not match:
            doc.problem(where, f"output {output.get('Name')}: a script's Selector is $.Payload.<key>, got {output.get('Selector')!r}")
        elif match.group(1) not in keys:
            doc.problem(where, f"output {output.get('Name')}: {match.group(1)!r} is not a key of every dict {handler.name} returns ({', '.join(sorted(keys)) or 'none'})")


def judge_clients(doc, where, tree, checker):
    """The boto3 clients, by variable: `name = boto3.client('<client>')`; any other use of boto3 is a problem."""
    clients, judged = {}, set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and dotted(node.value.func) == "boto3.client"):
            judged.add(id(node.value.func))
            args = node.value.args
            if len(args) != 1 or node.value.keywords or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
                doc.problem(where, f"line {node.lineno}: boto3.client takes the client's name alone, as a literal")
                continue
            if checker.model(args[0].value) is None:
                doc.problem(where, f"line {node.lineno}: {args[0].value!r} is not a boto3 client botocore knows")
                continue
            clients[node.targets[0].id] = args[0].value
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and dotted(node.value) == "boto3" and id(node) not in judged:
            doc.problem(where, f"line {node.lineno}: boto3.{node.attr} other than `name = boto3.client('<client>')` cannot be judged")
    return clients


def judge_calls(doc, where, tree, clients, checker, iam_prefix):
    """Every call on a client: its operation and arguments. The operation models called."""
    operations = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in clients):
            continue
        service = clients[node.func.value.id]
        model = checker.model(service)
        names = {xform_name(name): name for name in model.operation_names}
        api = names.get(node.func.attr)
        if api is None:
            doc.problem(where, f"line {node.lineno}: {node.func.attr} is not an operation of the {service} client")
            continue
        operation = model.operation_model(api)
        operations.append(operation)
        doc.actions.add(f"{iam_prefix[service]}:{api}" if service in iam_prefix else f"{service}:{api}")
        if service not in iam_prefix:
            doc.problem(where, f"no IAM prefix is known for the boto3 client {service!r}: add it to IAM_PREFIX")
        if node.args or any(k.arg is None for k in node.keywords):
            doc.problem(where, f"line {node.lineno}: {service} {api} takes keyword arguments only, each named")
            continue
        checker.check_inputs(doc, where, f"{service} {api}", operation, {k.arg: k.value for k in node.keywords},
                             lambda name, shape, value, line=node.lineno: check_literal(checker, doc, f"{where} line {line} {name}", shape, value),
                             at=f"line {node.lineno}: ")
    return operations


def check_literal(checker, doc, where, shape, node):
    """A keyword's value against its member's shape, when it is a literal; one computed at run time
    has the script's own type."""
    try:
        literal = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return
    checker.check_value(doc, where, shape, literal)
