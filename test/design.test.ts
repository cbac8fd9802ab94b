import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** Every module of src/ with the src/ modules it imports, type-only imports included. */
function importGraph(): Map<string, string[]> {
  const files = fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // TypeScript's own import scanner: it sees `import type` as well, which erases at runtime
    // (and which eslint's import/no-cycle skips) but still ties the two modules' designs together.
    const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.resolve(path.dirname(file), name))
      .map((resolved) => (fs.existsSync(`${resolved}.ts`) ? `${resolved}.ts` : path.join(resolved, 'index.ts')));
    graph.set(file, imports);
  }
  return graph;
}

/** The import circles of a graph, each as the list of modules on it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      found.push(trail.slice(at).map((f) => path.relative(SRC, f)));
      return;
    }
    if (done.has(file)) {
      return;
    }
    for (const next of graph.get(file) ?? []) {
      visit(next, [...trail, file]);
    }
    done.add(file);
  };
  for (const file of graph.keys()) {
    visit(file, []);
  }
  return found;
}

/** Every module of src/ but the generated ones. */
function sourceFiles(): string[] {
  return fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.includes('.generated.'))
    .map((f) => path.join(SRC, f));
}

/** The lines of `code` that hold code: not blank, and not only a comment. */
function codeLines(code: string): number {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, '')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return withoutComments.split('\n').filter((line) => line.trim() !== '').length;
}

describe('the library\'s design', () => {
  test('has no import circle, type-only imports included', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(circles(graph)).toEqual([]);
  });

  test('shows its architecture: src/ holds index.ts and one folder per area, each with its constructs and their options', () => {
    const top = fs.readdirSync(SRC, { withFileTypes: true });
    expect(top.filter((e) => e.isFile()).map((e) => e.name)).toEqual(['index.ts']);
    const areas = top.filter((e) => e.isDirectory() && !['private', 'app'].includes(e.name)).map((e) => e.name).sort();
    expect(areas).toEqual(['data', 'deployment', 'edge', 'images', 'network', 'operations', 'service']);
    for (const area of areas) {
      const files = fs.readdirSync(path.join(SRC, area));
      expect({ area, options: files.includes('options.ts') }).toEqual({ area, options: true });
      // Each area's constructs are exported, from index.ts, area by area.
      const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
      for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.lambda.ts'))) {
        expect(index).toContain(`export * from './${area}/${file.replace(/\.ts$/, '')}';`);
      }
    }
  });

  test('passes nothing between modules through symbol slots or any-typed properties', () => {
    // Each is a channel no type checks: one module writes a hidden property, another reads it.
    const found: string[] = [];
    for (const file of sourceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const pattern of ['Symbol(', 'Symbol.for(', 'as any)[', 'as any).']) {
        if (text.includes(pattern)) {
          found.push(`${path.relative(SRC, file).split(path.sep).join('/')}: ${pattern}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  test('has no function longer than 80 lines of code, as eslint\'s max-lines-per-function counts them', () => {
    const tooLong: string[] = [];
    for (const file of sourceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const lines = codeLines(text.slice(node.getStart(source), node.getEnd()));
          if (lines > 80) {
            const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
            tooLong.push(`${path.relative(SRC, file)}:${line + 1} (${lines} lines)`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(tooLong).toEqual([]);
  });

  test('counts lines of code as eslint does: blank lines and comments left out', () => {
    expect(codeLines('function f() {\n\n  // a comment\n  /* and\n     another */\n  return 1; // kept\n}')).toBe(3);
  });

  test('finds a circle when there is one (the check itself works)', () => {
    const graph = new Map([['/a.ts', ['/b.ts']], ['/b.ts', ['/c.ts']], ['/c.ts', ['/a.ts']]]);
    expect(circles(graph)).toEqual([['/a.ts', '/b.ts', '/c.ts'].map((f) => path.relative(SRC, f))]);
  });
});
