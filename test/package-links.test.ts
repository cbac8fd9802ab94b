/**
 * The README is read where the package is: npm and Construct Hub render it from the published
 * tarball. Every relative link in it, and in the documents it links, must name a file the tarball
 * holds, and every #anchor a heading of its file. The README keeps to a size budget, the repository's
 * own documents (docs/, SECURITY.md, CONTRIBUTING.md) link only what the repository holds, and CI
 * runs the commands the README's Development section gives.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The most bytes README.md may take: npm and Construct Hub show it whole, beside API.md. */
const README_BUDGET_BYTES = 16_000;

/** Where the repository's files are on GitHub, as a document outside the package links them. */
const REPOSITORY_BLOB = 'https://github.com/arculus/arculus-fido-cdk/blob/main/';

/** The files `npm pack` puts in the tarball (as .npmignore leaves them), without packing. */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Set((JSON.parse(out)[0].files as Array<{ path: string }>).map((f) => f.path));
}

/** Markdown link targets outside code: inline `[text](target)` and reference `[id]: target`. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const reference = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  return [...inline, ...reference];
}

/** The anchors GitHub (and npm, and Construct Hub) give a document's headings. */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, text] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = text.replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

describe('links in the published package', () => {
  const files = packedFiles();
  const problems: string[] = [];
  const visited = new Set<string>();
  const visit = (file: string): void => {
    if (visited.has(file)) {
      return;
    }
    visited.add(file);
    const markdown = fs.readFileSync(path.join(ROOT, file), 'utf-8');
    for (const target of linkTargets(markdown)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        continue; // https:, mailto: and the like leave the package
      }
      const [pathPart, anchor] = target.split('#');
      const linked = pathPart ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart))) : file;
      if (!files.has(linked)) {
        problems.push(`${file}: ${target}: ${linked} is not in the npm tarball`);
        continue;
      }
      if (linked.endsWith('.md')) {
        if (anchor && !headingAnchors(fs.readFileSync(path.join(ROOT, linked), 'utf-8')).has(anchor)) {
          problems.push(`${file}: ${target}: ${linked} has no heading #${anchor}`);
        }
        visit(linked);
      }
    }
  };
  visit('README.md');

  test('the tarball holds the README and the documents it links', () => {
    expect(files.has('README.md')).toBe(true);
    expect([...visited].length).toBeGreaterThan(1);
  });

  test('every relative link of the README and of what it links names a packed file, and every anchor a heading', () => {
    expect(problems).toEqual([]);
  });
});

/** Every markdown document of the repository besides the README: docs/, SECURITY.md, CONTRIBUTING.md. */
function repositoryDocuments(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', 'SECURITY.md', 'CONTRIBUTING.md', ...docs];
}

describe('the README and the documents of the repository', () => {
  test(`README.md stays within its budget of ${README_BUDGET_BYTES} bytes`, () => {
    expect(fs.statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_BUDGET_BYTES);
  });

  test('every relative link of README.md, docs/, SECURITY.md and CONTRIBUTING.md names a file of the repository, and every anchor a heading', () => {
    const problems: string[] = [];
    for (const file of repositoryDocuments()) {
      for (const target of linkTargets(fs.readFileSync(path.join(ROOT, file), 'utf-8'))) {
        let linked: string;
        let anchor: string | undefined;
        if (target.startsWith(REPOSITORY_BLOB)) {
          [linked, anchor] = target.slice(REPOSITORY_BLOB.length).split('#');
          linked = decodeURI(linked);
        } else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          continue; // another site
        } else {
          const [pathPart, fragment] = target.split('#');
          linked = pathPart ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart))) : file;
          anchor = fragment;
        }
        if (!fs.existsSync(path.join(ROOT, linked))) {
          problems.push(`${file}: ${target}: ${linked} is not in the repository`);
        } else if (anchor && linked.endsWith('.md') && !headingAnchors(fs.readFileSync(path.join(ROOT, linked), 'utf-8')).has(anchor)) {
          problems.push(`${file}: ${target}: ${linked} has no heading #${anchor}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('CI runs every command of the README\'s Development section', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const section = /^## Development\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
    const block = /^```sh\n([\s\S]*?)^```/m.exec(section)?.[1] ?? '';
    const commands = block.split('\n').flatMap((line) => line.split('&&')).map((c) => c.trim()).filter((c) => c && !c.startsWith('#'));
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf-8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(commands.length).toBeGreaterThan(0);
    const missing = commands.filter((c) => !ci.some((l) => l === c || l.startsWith(`${c} `) || l.endsWith(` ${c}`)));
    expect(missing).toEqual([]);
  });
});
