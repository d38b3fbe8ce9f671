import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The module graph of src/ (generated code aside), with every kind of import: static, type-only,
// re-exports and dynamic import().
const ROOT = resolve('src');

function moduleGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('generated'));
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      const target = relative(ROOT, resolve(dirname(join(ROOT, file)), m[1] ?? m[2]!)).replace(/\.js$/, '.ts');
      if (!target.startsWith('generated')) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') found.push([...stack.slice(stack.indexOf(dep)), dep].join(' -> '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('module layout', () => {
  const graph = moduleGraph();

  it('reads the graph (every module and its imports)', () => {
    expect(graph.get('index.ts')).toContain('in-memory-client.ts');
    expect(graph.get('testing.ts')).toContain('server/reference-server.ts');
    expect(graph.get('grpc-client.ts')).toContain('grpc/transport.ts');
  });

  it('has no import cycles, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]]))).toEqual(['a.ts -> b.ts -> a.ts']);
  });

  it('client code imports nothing from the server side', () => {
    // Only the ./testing entry and the command line (whose `dev` starts a server) reach src/server/.
    const serverSide = (file: string): boolean => file.startsWith('server/');
    const mayUseServer = (file: string): boolean => serverSide(file) || file === 'testing.ts' || file === 'cli.ts' || file.startsWith('cli/') || file === 'bin.ts';
    const offenders = [...graph].flatMap(([file, deps]) => (mayUseServer(file) ? [] : deps.filter(serverSide).map((dep) => `${file} -> ${dep}`)));
    expect(offenders).toEqual([]);
  });
});
