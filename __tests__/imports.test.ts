import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages that only the gRPC and Kafka transports need. */
const HEAVY = ['@grpc/grpc-js', 'kafkajs', 'proto-loader', 'protobufjs'];

// What the README shows, end to end: make a client, create a job, let it run; and preview a cron
// schedule, which loads croner.
const USE_THE_CLIENT = `
  nextRuns(Schedule.cron('0 9 * * *'), new Date(0), 1);
  const client = new InMemorySchedulerClient();
  const job = await client.createJob({ name: 'report', schedule: Schedule.interval(60_000), payload: null });
  await client.advanceTime(180_000);
  executions = (await client.getExecutions(job.id)).length;
  await client.close();
`;

// A resolve hook (it runs in the loader thread) appends every resolved URL to a file.
const RECORDING_HOOKS = `
  import { appendFileSync } from 'node:fs';
  let file;
  export function initialize(data) { file = data.file; }
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    appendFileSync(file, result.url + '\\n');
    return result;
  }
`;

// Modules loaded with require() (the package loads zod that way, on first use) are listed in
// require.cache, which the ESM script reads too.
const esmScript = (use: string) => `
  import { createRequire, register } from 'node:module';
  import { readFileSync, writeFileSync } from 'node:fs';
  const log = process.env.RESOLVE_LOG;
  writeFileSync(log, '');
  register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(RECORDING_HOOKS)}), { data: { file: log } });
  const { InMemorySchedulerClient, Schedule, nextRuns } = await import('@k1s0/scheduler-client');
  let executions = 0;
  ${use}
  const required = Object.keys(createRequire(import.meta.url).cache);
  const modules = [...readFileSync(log, 'utf8').split('\\n').filter(Boolean), ...required];
  console.log(JSON.stringify({ executions, modules }));
`;

const cjsScript = (use: string) => `
  const { InMemorySchedulerClient, Schedule, nextRuns } = require('@k1s0/scheduler-client');
  (async () => {
    let executions = 0;
    ${use}
    console.log(JSON.stringify({ executions, modules: Object.keys(require.cache) }));
  })().catch((error) => { console.error(error); process.exit(1); });
`;

const ESM_SCRIPT = esmScript(USE_THE_CLIENT);
const CJS_SCRIPT = cjsScript(USE_THE_CLIENT);

interface Loaded {
  executions: number;
  modules: string[];
}

describe('importing the in-memory client', () => {
  // Run from the repository root, where the package's own name resolves through its exports map to
  // dist/, which the global setup builds from the current source before any test file runs.
  let logDir: string;

  function runIn(inputType: 'module' | 'commonjs', script: string, logName: string = inputType): Loaded {
    const out = execFileSync(process.execPath, [`--input-type=${inputType}`, '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '', RESOLVE_LOG: join(logDir, `${logName}.log`) },
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as Loaded;
  }

  beforeAll(() => {
    for (const file of ['index.js', 'index.cjs']) {
      if (!existsSync(join(ROOT, 'dist', file))) throw new Error(`dist/${file} is missing; the global setup builds it (run the tests through vitest)`);
    }
    logDir = realpathSync(mkdtempSync(join(tmpdir(), 'k1s0-imports-')));
  });

  afterAll(() => {
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  describe('from the ESM build (import)', () => {
    let loaded: Loaded;
    beforeAll(() => {
      loaded = runIn('module', ESM_SCRIPT);
    }, 60_000);

    it('resolves the package name to its ESM build and runs the client', () => {
      expect(loaded.modules).toContain(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
      expect(loaded.executions).toBe(3);
    });

    it('records third-party modules, so the check below can see them (zod, croner)', () => {
      expect(loaded.modules.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
      expect(loaded.modules.some((url) => url.includes('/node_modules/croner/'))).toBe(true);
    });

    it('loads neither grpc-js, kafkajs, proto-loader nor protobufjs', () => {
      const heavy = loaded.modules.filter((url) => HEAVY.some((name) => url.includes(name)));
      expect(heavy).toEqual([]);
    });
  });

  // zod is most of what an import would cost, so it is loaded when something is first validated,
  // and croner when the first cron expression is compiled.
  describe('without using it', () => {
    const isDependency = (module: string) => module.includes('/node_modules/');

    it('the ESM build loads no dependency', () => {
      const loaded = runIn('module', esmScript(''), 'module-unused');
      expect(loaded.modules).toContain(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
      expect(loaded.modules.filter(isDependency)).toEqual([]);
    }, 60_000);

    it('the CJS build loads no dependency', () => {
      const loaded = runIn('commonjs', cjsScript(''), 'commonjs-unused');
      expect(loaded.modules).toContain(join(ROOT, 'dist', 'index.cjs'));
      expect(loaded.modules.filter(isDependency)).toEqual([]);
    }, 60_000);
  });

  describe('from the CJS build (require)', () => {
    let loaded: Loaded;
    beforeAll(() => {
      loaded = runIn('commonjs', CJS_SCRIPT);
    }, 60_000);

    it('resolves the package name to its CJS build and runs the client', () => {
      expect(loaded.modules).toContain(join(ROOT, 'dist', 'index.cjs'));
      expect(loaded.executions).toBe(3);
    });

    it('records third-party modules, so the check below can see them (zod, croner)', () => {
      expect(loaded.modules.some((path) => path.includes('/node_modules/zod/'))).toBe(true);
      expect(loaded.modules.some((path) => path.includes('/node_modules/croner/'))).toBe(true);
    });

    it('loads neither grpc-js, kafkajs, proto-loader nor protobufjs', () => {
      const heavy = loaded.modules.filter((path) => HEAVY.some((name) => path.includes(name)));
      expect(heavy).toEqual([]);
    });
  });
});
