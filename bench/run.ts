// Runs the benchmark sections and writes BENCHMARKS.md.
//
//   npm run bench                 every section whose module exists
//   npm run bench -- in-memory    only these sections; the others in BENCHMARKS.md stay as they are
//
// Each section lives in `bench/<id>.ts` and exports `run(): Promise<BenchSection>`. In
// BENCHMARKS.md a section sits between `<!-- bench:<id> -->` and `<!-- /bench:<id> -->`, so a
// partial run replaces exactly its own sections. The exit code is 1 when a target was missed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeMachine, targetsTable, type BenchModule, type BenchSection } from './lib.js';

/** Every section, in the order they appear in BENCHMARKS.md. */
const SECTIONS = ['in-memory', 'grpc', 'apply', 'kafka', 'kafka-compression', 'kafka-faults', 'decoding', 'import'] as const;
const HEADER = 'header';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(BENCH_DIR, '..', 'BENCHMARKS.md');

const open = (id: string) => `<!-- bench:${id} -->`;
const close = (id: string) => `<!-- /bench:${id} -->`;
const block = (id: string, body: string) => `${open(id)}\n${body.trim()}\n${close(id)}`;

function parseArgs(argv: string[]): string[] {
  const ids = argv.filter((a) => a !== '--');
  const unknown = ids.filter((id) => !(SECTIONS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    console.error(`unknown benchmark section${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  return ids;
}

function renderSection(section: BenchSection, date: string, machine: string): string {
  return block(
    section.id,
    [`## ${section.title}`, '', `Measured ${date} on ${machine} with \`${section.command}\`.`, '', section.markdown].join('\n'),
  );
}

function renderHeader(date: string, machine: string, command: string): string {
  return block(HEADER, [`- Last run: ${date}`, `- Command: \`${command}\``, `- Machine: ${machine}`].join('\n'));
}

const INTRO = [
  '# Benchmarks',
  '',
  'Numbers from `npm run bench` (see `bench/`). Each section says when, where and with which command it',
  'was measured; `npm run bench -- <section>` re-measures one section and leaves the others as they are.',
].join('\n');

/** Replaces the block with this id in `doc`, or inserts it before the next known block, or appends it. */
function upsert(doc: string, id: string, rendered: string, order: readonly string[]): string {
  const start = doc.indexOf(open(id));
  const end = doc.indexOf(close(id));
  if (start >= 0 && end > start) return doc.slice(0, start) + rendered + doc.slice(end + close(id).length);
  for (const later of order.slice(order.indexOf(id) + 1)) {
    const at = doc.indexOf(open(later));
    if (at >= 0) return `${doc.slice(0, at)}${rendered}\n\n${doc.slice(at)}`;
  }
  return `${doc.trimEnd()}\n\n${rendered}\n`;
}

async function main(): Promise<void> {
  const requested = parseArgs(process.argv.slice(2));
  const ids = requested.length > 0 ? requested : [...SECTIONS];
  const command = `npm run bench${requested.length > 0 ? ` -- ${requested.join(' ')}` : ''}`;
  const machine = describeMachine();
  console.log(`Machine: ${machine}\nCommand: ${command}\n`);

  const results: BenchSection[] = [];
  for (const id of ids) {
    const file = join(BENCH_DIR, `${id}.ts`);
    if (!existsSync(file)) {
      console.log(`-- ${id}: skipped, bench/${id}.ts does not exist yet\n`);
      continue;
    }
    console.log(`-- ${id}: running`);
    const module = (await import(pathToFileURL(file).href)) as BenchModule;
    const section = await module.run();
    if (section.id !== id) throw new Error(`bench/${id}.ts returned a section with id '${section.id}'`);
    console.log(`\n## ${section.title}\n\n${targetsTable(section.targets)}\n`);
    results.push(section);
  }
  if (results.length === 0) {
    console.log('Nothing was measured; BENCHMARKS.md is unchanged.');
    return;
  }

  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  let doc = requested.length > 0 && existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : `${INTRO}\n`;
  const order = [HEADER, ...SECTIONS];
  doc = upsert(doc, HEADER, renderHeader(date, machine, command), order);
  for (const section of results) doc = upsert(doc, section.id, renderSection(section, date, machine), order);
  writeFileSync(OUTPUT, `${doc.trimEnd()}\n`);
  console.log(`Wrote ${OUTPUT}`);

  const missed = results.flatMap((s) => s.targets.filter((t) => !t.met).map((t) => `${s.id}: ${t.name} = ${t.value} (target ${t.target})`));
  if (missed.length > 0) {
    console.log(`\nMissed target${missed.length > 1 ? 's' : ''}:\n  ${missed.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main();
