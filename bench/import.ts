// What importing the built package costs: the wall time of a Node process that imports it (ESM and
// CJS), against a bare `node -e 0`, each the median of many spawned processes taken in turns.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatMs, markdownTable, median, nowMs, percentile, targetsTable, type BenchSection, type BenchTarget } from './lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package is built afresh from the current source into a folder of the benchmark's own, with
// the project's tsup configuration (declarations left out), so that dist/ is left alone.
const OUT = join(ROOT, 'bench', '.out', 'import-dist');
const ESM = pathToFileURL(join(OUT, 'index.js')).href;
const CJS = join(OUT, 'index.cjs');

const ROUNDS = 60;
const WARM_UP_ROUNDS = 3;
const TARGET_RATIO = 1.5;

// A request that passes validation, for the variant that also pays for the first validation.
const REQUEST = "{ name: 'n', schedule: { type: 'interval', intervalMs: 1000 }, payload: null }";

interface Variant {
  /** The row label. */
  name: string;
  /** The node arguments. */
  args: string[];
  /** Whether the ratio of this variant has a target. */
  target?: boolean;
}

const VARIANTS: Variant[] = [
  { name: '`node -e 0` (the baseline)', args: ['-e', '0'] },
  { name: 'import the ESM build (`dist/index.js`)', args: ['--input-type=module', '-e', `import ${JSON.stringify(ESM)};`], target: true },
  { name: 'require the CJS build (`dist/index.cjs`)', args: ['-e', `require(${JSON.stringify(CJS)});`], target: true },
  { name: '`node --input-type=module -e 0` (an ESM entry, importing nothing)', args: ['--input-type=module', '-e', '0'] },
  { name: "`import 'zod'` alone", args: ['--input-type=module', '-e', "import 'zod';"] },
  {
    name: 'import the ESM build, then validate one request (loads zod)',
    args: ['--input-type=module', '-e', `const m = await import(${JSON.stringify(ESM)}); m.validateJobRequest(${REQUEST}, { operation: 'x' });`],
  },
];

function build(): void {
  const tsup = join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsup, '--silent', '--no-dts', '--out-dir', OUT], { cwd: ROOT, stdio: 'inherit' });
  for (const file of [join(OUT, 'index.js'), CJS]) if (!existsSync(file)) throw new Error(`the build did not write ${file}`);
}

// One process, timed from spawn to exit. The working directory is the repository, so that `zod`
// resolves as it does for the package.
function runOnce(variant: Variant): number {
  const start = nowMs();
  const result = spawnSync(process.execPath, variant.args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = nowMs() - start;
  if (result.status !== 0) throw new Error(`${variant.name} failed: ${result.stderr.toString()}`);
  return ms;
}

/** Runs every variant once per round, the order turning each round, and returns each one's times. */
function measure(): number[][] {
  const times = VARIANTS.map(() => [] as number[]);
  for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const i = (k + Math.max(round, 0)) % VARIANTS.length;
      const ms = runOnce(VARIANTS[i]!);
      if (round >= 0) times[i]!.push(ms);
    }
  }
  return times;
}

/** Measures and reports the section. */
export async function run(): Promise<BenchSection> {
  console.log(`   building into ${OUT}`);
  build();
  console.log(`   ${ROUNDS} rounds of ${VARIANTS.length} processes`);
  const times = measure();
  const medians = times.map((t) => median(t));
  const base = medians[0]!;
  const ratio = (i: number) => medians[i]! / base;

  const targets: BenchTarget[] = VARIANTS.flatMap((v, i) =>
    v.target ? [{ name: `${v.name.replace(/ \(.*\)$/, '')}, time / \`node -e 0\``, value: `${ratio(i).toFixed(2)}×`, target: `≤ ${TARGET_RATIO.toFixed(2)}×`, met: ratio(i) <= TARGET_RATIO }] : [],
  );
  const details = markdownTable(
    ['Process', 'Median', 'p10', 'p90', '÷ `node -e 0`'],
    VARIANTS.map((v, i) => [v.name, formatMs(medians[i]!), formatMs(percentile(times[i]!, 10)), formatMs(percentile(times[i]!, 90)), `${ratio(i).toFixed(2)}×`]),
  );
  const markdown = [
    targetsTable(targets),
    '',
    details,
    '',
    'How it is measured:',
    '',
    `- The package is built from the current source with the project's tsup configuration (declarations left out) into \`bench/.out/import-dist/\`; the rows name the files as \`dist/\`.`,
    `- Each row is the wall time of one Node process, from spawn to exit, started with \`NODE_OPTIONS\` empty from the repository root. ${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up rounds; each round runs every row once, the order turning from round to round; the median of each row, divided by the median of \`node -e 0\`.`,
    "- zod is loaded when something is first validated and croner when a cron expression is first read, not on import: the last row shows where zod's cost went. Before that, every import loaded both, so it cost at least the `import 'zod'` row. An ESM entry costs more than `node -e 0` before it imports anything (the row `--input-type=module -e 0`), and that share is counted against the ESM build.",
    '- Other processes on the machine move these times; compare the rows of one run rather than runs.',
  ].join('\n');
  return { id: 'import', title: 'Importing the package', command: 'npm run bench -- import', markdown, targets };
}
