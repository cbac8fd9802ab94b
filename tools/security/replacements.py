"""Fails if updating a stack from one template to another would replace a resource.

CloudFormation replaces a resource when its type changes, when it leaves the template, or when a
property the resource's registry schema lists as `createOnlyProperties` changes. cfn-lint ships
those schemas (per region); this reads them from the cfn-lint it runs beside, so the judgment is
the registry's, not this project's. A type without a schema (custom resources, SAM's
applications) is judged strictly: any change to its properties counts.

    python3 replacements.py <cfn-lint python> <before.template.json> <after.template.json> [...pairs]
"""
import json
import subprocess
import sys


def schemas_dir(cfn_lint_python: str) -> str:
    code = "import cfnlint.data.schemas, os; print(os.path.dirname(cfnlint.data.schemas.__file__))"
    return subprocess.check_output([cfn_lint_python, "-c", code], text=True).strip()


def create_only(schemas: str, region: str = "us-east-1") -> dict:
    with open(f"{schemas}/providers/{region}.json") as f:
        providers = json.load(f)
    cache: dict = {}

    def of(resource_type: str) -> list:
        if resource_type not in cache:
            name = providers.get(resource_type)
            if name is None:
                cache[resource_type] = None
            else:
                with open(f"{schemas}/resources/{name}.json") as f:
                    schema = json.load(f)
                cache[resource_type] = [p.split("/")[2] for p in schema.get("createOnlyProperties", [])]
        return cache[resource_type]

    return of


def replacements(before: dict, after: dict, create_only_of) -> list:
    found = []
    for logical_id, resource in before["Resources"].items():
        other = after["Resources"].get(logical_id)
        if other is None:
            found.append(f"{logical_id} ({resource['Type']}) leaves the template")
            continue
        if other["Type"] != resource["Type"]:
            found.append(f"{logical_id} changes type {resource['Type']} -> {other['Type']}")
            continue
        props = create_only_of(resource["Type"])
        if props is None:
            # Custom resources and transforms have no registry schema: judged strictly, any change counts.
            if other.get("Properties") != resource.get("Properties"):
                found.append(f"{logical_id} ({resource['Type']}, no registry schema): its properties change")
            continue
        for prop in props:
            was = resource.get("Properties", {}).get(prop)
            now = other.get("Properties", {}).get(prop)
            if was != now:
                found.append(f"{logical_id} ({resource['Type']}): create-only {prop} changes {json.dumps(was)} -> {json.dumps(now)}")
    return found


def main(argv: list) -> int:
    python, pairs = argv[0], argv[1:]
    create_only_of = create_only(schemas_dir(python))
    failed = False
    for before_file, after_file in zip(pairs[0::2], pairs[1::2]):
        with open(before_file) as f:
            before = json.load(f)
        with open(after_file) as f:
            after = json.load(f)
        found = replacements(before, after, create_only_of)
        label = f"{before_file} -> {after_file}"
        # The way back deletes what the second template added, and replaces nothing the first has
        # (create-only properties compare the same both ways).
        added = sorted(set(after["Resources"]) - set(before["Resources"]))
        print(f"replacements: {label} adds {len(added)} resources, which the way back deletes")
        if found:
            failed = True
            print(f"replacements: {label} would replace {len(found)} resources:")
            for line in found:
                print(f"  {line}")
        else:
            print(f"replacements: {label}: none of {len(before['Resources'])} resources replaced")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
