import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The TypeScript examples of README.md and docs/*.md compile against the library's source, as
// jsii-rosetta compiles the README's (strictly) after every compile: an example a user copies
// from the docs is never one that no longer builds.

const ROOT = path.join(__dirname, '..', '..');
const LIBRARY = 'arculus-fido-cdk';

/** Every ```ts block of a markdown file, with the line it starts on. */
export function examples(markdown: string): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const pattern = /^```ts\n([\s\S]*?)^```$/gm;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    found.push({ line: markdown.slice(0, match.index).split('\n').length + 1, code: match[1] });
  }
  return found;
}

function main(): void {
  const documents = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  // Inside the project, so that the examples resolve aws-cdk-lib from its node_modules.
  const dir = path.join(ROOT, '.cache', 'doc-examples');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const sources = new Map<string, string>();
  for (const document of documents) {
    for (const { line, code } of examples(fs.readFileSync(path.join(ROOT, document), 'utf8'))) {
      const file = path.join(dir, `${document.replace(/[/.]/g, '_')}_${line}.ts`);
      // Each example is a module of its own, importing the library as its users do, from its source.
      fs.writeFileSync(file, `${code.split(`'${LIBRARY}'`).join(`'${path.join(ROOT, 'src').split(path.sep).join('/')}'`)}\nexport {};\n`);
      sources.set(file, `${document}:${line}`);
    }
  }
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const options = { ...config!.options, noEmit: true, rootDir: undefined, noUnusedLocals: false, typeRoots: [path.join(ROOT, 'node_modules', '@types')] };
  const program = ts.createProgram([...sources.keys()], options);
  const problems = ts.getPreEmitDiagnostics(program).filter((d) => d.file && sources.has(d.file.fileName));
  for (const diagnostic of problems) {
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const [document, start] = sources.get(diagnostic.file!.fileName)!.split(':');
    console.error(`${document}:${Number(start) + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (sources.size === 0 || problems.length > 0) {
    console.error(sources.size === 0 ? 'no TypeScript example found' : `${problems.length} problem(s) in the docs' TypeScript examples`);
    process.exit(1);
  }
  console.log(`docs' TypeScript examples: ${sources.size} compile (${[...new Set([...sources.values()].map((s) => s.split(':')[0]))].join(', ')})`);
}

if (require.main === module) {
  main();
}
