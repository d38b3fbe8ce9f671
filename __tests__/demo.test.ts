import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

describe('npm run demo', () => {
  it('runs the lifecycle over real gRPC, starts a service twice, and exits 0 by itself', async () => {
    // exec rejects if the demo does not exit by itself (it is killed at the timeout) or exits non-zero.
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { timeout: 60_000, env: { ...process.env, KAFKA_BROKERS: '' } });
    expect(stdout).toMatch(/reference server listening on 127\.0\.0\.1:\d+/);
    for (const step of ['created every-second (cron)', 'created in-two-seconds (one-shot)', 'created every-second (interval)', 'paused', 'resumed', 'cancelled']) {
      expect(stdout).toContain(step);
    }
    expect(stdout).toMatch(/in-two-seconds \(one-shot\) is completed/);
    const events = Number(/(\d+) completion events received/.exec(stdout)?.[1]);
    expect(events).toBeGreaterThanOrEqual(6);
    expect(stdout).toMatch(/every-second \(cron\): [3-9] run\(s\)/);
    expect(stdout).toContain('in-two-seconds (one-shot): 1 run(s)');

    // The service that starts twice: created, then every job unchanged (the same jobs), then a deploy.
    const first = /billing service, first start:\nKEY +ACTION +CHANGED +JOB\nbilling\/invoices +create +- +(\S+)\nbilling\/reconcile +create +- +(\S+)\nowner billing: 2 created, 0 updated, 0 unchanged, 0 deleted\n/.exec(stdout);
    expect(first, stdout).not.toBeNull();
    const second = /billing service, second start:\nKEY +ACTION +CHANGED +JOB\nbilling\/invoices +unchanged +- +(\S+)\nbilling\/reconcile +unchanged +- +(\S+)\nowner billing: 0 created, 0 updated, 2 unchanged, 0 deleted\n/.exec(stdout);
    expect(second, stdout).not.toBeNull();
    expect(second!.slice(1)).toEqual(first!.slice(1));
    expect(stdout).toMatch(/billing\/invoices +update +schedule +\S+\nbilling\/reconcile +delete +- +\S+\nowner billing: 0 created, 1 updated, 0 unchanged, 1 deleted\n/);
    expect(stdout).toContain('billing/invoices: revision 2, next run ');
  }, 70_000);

  it('demo:memory walks the lifecycle on a virtual clock', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/demo-memory.ts'], { timeout: 30_000 });
    expect(stdout).toContain('event: flaky attempt 1 failed (first attempt fails)');
    expect(stdout).toContain('event: flaky attempt 2 succeeded');
    expect(stdout).toContain('flaky: completed');
    expect(stdout).toContain('poll: paused; resuming it');
    expect(stdout).toContain('hourly: 24 execution(s), cancelled');
    expect(stdout).toMatch(/resume after cancel: resumeJob: job '.+' is cancelled/);
  });
});
