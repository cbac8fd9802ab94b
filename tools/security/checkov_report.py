"""Summarizes a checkov JSON report and fails on a failed check that SECURITY.md does not explain.

SECURITY.md lists each accepted check in a table row that starts with `| CKV_...`.
"""
import json
import re
import sys
from collections import Counter


def main(report_file: str, security_md: str) -> int:
    with open(report_file) as f:
        report = json.load(f)
    reports = report if isinstance(report, list) else [report]
    passed = 0
    failed = []
    for r in reports:
        summary = r.get("summary", {})
        passed += summary.get("passed", 0)
        for check in r.get("results", {}).get("failed_checks", []):
            failed.append((check["check_id"], check.get("check_name", ""), check.get("resource", "")))
    with open(security_md) as f:
        accepted = set(re.findall(r"^\|\s*(CKV2?_AWS_\d+)", f.read(), re.MULTILINE))

    by_check = Counter((cid, name) for cid, name, _ in failed)
    print(f"checkov: {passed} passed, {len(failed)} failed ({len(by_check)} distinct checks)")
    unexplained = []
    for (cid, name), count in sorted(by_check.items()):
        mark = "accepted in SECURITY.md" if cid in accepted else "NOT EXPLAINED"
        print(f"  {cid} x{count}: {name} [{mark}]")
        if cid not in accepted:
            unexplained.append(cid)
    if unexplained:
        print(f"checkov: {len(unexplained)} failed checks are not explained in SECURITY.md: {', '.join(unexplained)}")
        for cid, name, resource in failed:
            if cid in unexplained:
                print(f"  {cid} {resource}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
