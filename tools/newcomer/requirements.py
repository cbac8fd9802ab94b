"""The requirements of a `cdk init` Python app, against what PyPI serves today.

    python requirements.py <requirements.txt> <npm's newest aws-cdk-lib>

The CDK CLI is published on npm, and its Python template asks for the aws-cdk-lib of its own day
(`aws-cdk-lib>=2.277.0,<3.0.0`); PyPI may not serve that version yet, since npm publishes first and
mirrors lag. A Python user in that position takes the newest version PyPI has. This script does
the same, and says so: each requirement that no version on PyPI satisfies, because PyPI's newest is
older than the lower bound it asks for, is rewritten to that newest version (its upper bound kept).
A requirement that fails for any other reason (no such package, an upper bound below every version,
a version that exists but is excluded) is not a registry's lag: it exits 1 with the reason.

Runs with the app's virtualenv python, whose pip vendors `packaging` and answers `pip index`.
"""
import re
import subprocess
import sys

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.version import Version


def pypi_versions(name: str) -> list[Version]:
    """The versions PyPI serves of `name` (pip index versions, pre-releases left out)."""
    out = subprocess.run(
        [sys.executable, '-m', 'pip', 'index', 'versions', name, '--disable-pip-version-check'],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        sys.exit(f'newcomer: pip index versions {name} failed: {out.stderr.strip()}')
    # 'Available versions: 2.275.0, 2.274.0, ...' (the --json of newer pips is not in the pip venv installs)
    listed = re.search(r'^Available versions: (.*)$', out.stdout, re.MULTILINE)
    versions = [Version(v.strip()) for v in listed.group(1).split(',')] if listed else []
    return sorted(v for v in versions if not v.is_prerelease)


def lower_bounds(specifier: SpecifierSet) -> list[Version]:
    return [Version(s.version) for s in specifier if s.operator in ('>=', '>', '==', '~=')]


def adapt(line: str, npm_newest: str) -> str:
    requirement = Requirement(line)
    versions = pypi_versions(requirement.name)
    if not versions:
        sys.exit(f'newcomer: PyPI serves no version of {requirement.name}, which cdk init asks for ({line})')
    newest = versions[-1]
    if any(requirement.specifier.contains(v) for v in versions):
        return line
    bounds = lower_bounds(requirement.specifier)
    if not bounds or newest >= max(bounds):
        sys.exit(f'newcomer: no version of {requirement.name} on PyPI satisfies {line} (newest {newest}), '
                 'and PyPI is not behind it: this is not a registry lag')
    kept = [str(s) for s in requirement.specifier if s.operator in ('<', '<=', '!=')]
    taken = ','.join([f'>={newest}', *kept])
    if not SpecifierSet(taken).contains(newest):
        sys.exit(f'newcomer: {line}: PyPI\'s newest {requirement.name} is {newest}, which its other bounds exclude')
    npm = f' (npm has {npm_newest})' if requirement.name == 'aws-cdk-lib' else ''
    print(f'registries disagree: cdk init asks for {line}, but the newest {requirement.name} on PyPI is {newest}{npm}; '
          f'taking {newest}, the newest PyPI has, as a Python user would: {requirement.name}{taken}')
    return f'{requirement.name}{taken}'


def main() -> None:
    path, npm_newest = sys.argv[1], sys.argv[2]
    with open(path, encoding='utf-8') as f:
        lines = [line.strip() for line in f]
    adapted = [adapt(line, npm_newest) if line and not line.startswith(('#', '-')) else line for line in lines]
    if adapted != lines:
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(adapted) + '\n')


if __name__ == '__main__':
    main()
