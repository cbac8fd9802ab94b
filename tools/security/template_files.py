"""What the template checks beside this file (runbooks.py, sdk_calls.py, key_policies.py) and their
tests share: the templates a command line names, a template checked as the file it would be, and
the placeholders of the values a template knows only at deploy time.

Standard library only: each check runs it with its own Python (the runbook check with the pinned
botocore's), which finds it beside the script.
"""
import json
import os
import sys
import tempfile


def templates_in(paths):
    """The template files of `paths`: files as given, folders searched for *.template.json."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            for folder, _, files in os.walk(path):
                found += [os.path.join(folder, f) for f in files if f.endswith(".template.json")]
        else:
            found.append(path)
    return sorted(found)


def templates_of_arguments(argv, doc, script, label):
    """The templates the arguments name, and 0; or None and the exit code of a command line that
    names none (2, with the usage, without arguments; 1 for a path that does not exist)."""
    if not argv:
        print(doc.strip().splitlines()[0], file=sys.stderr)
        print(f"usage: {script} PATH...", file=sys.stderr)
        return None, 2
    missing = [p for p in argv if not os.path.exists(p)]
    if missing:
        print(f"{label}: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return None, 1
    return templates_in(argv), 0


def check_as_file(check_template, template):
    """What `check_template(path)` finds in `template` (a dict), written to a file for it."""
    with tempfile.NamedTemporaryFile("w", suffix=".template.json", delete=False) as f:
        json.dump(template, f)
    try:
        return check_template(f.name)
    finally:
        os.unlink(f.name)


class Unresolved(str):
    """A template value known only at deploy time (a Ref, Fn::GetAtt, Fn::Join of them, ...)."""


def resolve(value):
    """The content with every intrinsic function replaced by an Unresolved placeholder."""
    if isinstance(value, list):
        return [resolve(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return Unresolved(f"<{arg}>")
            if key == "Fn::GetAtt":
                parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
                return Unresolved(f"<{'.'.join(map(str, parts))}>")
            if key == "Fn::Join":
                delimiter, parts = arg
                parts = [resolve(p) for p in parts]
                joined = delimiter.join(str(p) for p in parts)
                return Unresolved(joined) if any(isinstance(p, Unresolved) or not isinstance(p, str) for p in parts) else joined
            if key.startswith("Fn::") or key == "Condition":
                return Unresolved(f"<{key}>")
        return {k: resolve(v) for k, v in value.items()}
    return value
