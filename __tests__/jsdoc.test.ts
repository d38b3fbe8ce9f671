import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every name a user can import has a doc comment: the public entry points, followed through
// their re-exports to the declarations.
// One program for both entry points: building it is most of the cost.
const ENTRIES = ['src/index.ts', 'src/testing.ts'];
let program: ts.Program | undefined;

function undocumentedExports(entry: string): string[] {
  program ??= ts.createProgram(ENTRIES, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noResolve: false,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry)!;
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented = symbol.getDocumentationComment(checker).length > 0 || (symbol.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
    if (!documented) missing.push(exported.getName());
  }
  return missing;
}

describe('public API', () => {
  for (const entry of ENTRIES) {
    it(`every export of ${entry} has JSDoc`, () => {
      expect(undocumentedExports(entry)).toEqual([]);
    });
  }
});
