/**
 * The README is read where the package is: npm and Construct Hub render it from the published
 * tarball. Every relative link in it, and in the documents it links, must name a file the tarball
 * holds, and every #anchor a heading of its file.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

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
