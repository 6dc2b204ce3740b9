/**
 * An app that ends without calling shutdown must exit promptly — the open, idle stream must
 * not hold the event loop until the idle close (idleTimeoutMillis, 5 s by default) — and must
 * not exit while batches are unacknowledged. Real child processes (`node --import tsx`)
 * against a real receiver on loopback; the fixture prints `ended <ms>` when its own work is
 * done, and the test measures how long the process lives after that line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { repoRoot } from '../helpers/corpus';

const fixture = join(repoRoot, 'test', 'transport', 'fixtures', 'short-lived-app.ts');
/** Far below the 5 s idle close the process used to wait for, far above a normal exit. */
const PROMPT_EXIT_MS = 2000;

interface ChildRun {
  code: number | null;
  /** From the fixture's `ended` line to the process's exit. */
  lingerMillis: number;
  stderr: string;
}

function runApp(mode: string, endpoint: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
      cwd: repoRoot,
      env: { ...process.env, OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT: endpoint, OTEL_BLRP_SCHEDULE_DELAY: '50' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let endedAt: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (endedAt === undefined && /ended \d+/.test(stdout)) endedAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (endedAt === undefined) return reject(new Error(`${mode}: no 'ended' line (code ${code}): ${stderr}`));
      resolve({ code, lingerMillis: Date.now() - endedAt, stderr });
    });
  });
}

describe('process exit with an open stream', () => {
  let receiver: RunningReceiver;
  const sink = new MemorySink();
  beforeAll(async () => {
    receiver = await startReceiver({ listen: '127.0.0.1:0', sink });
  });
  afterAll(() => receiver.close(100));

  it('processor, forceFlush, no shutdown: exits promptly, records delivered', async () => {
    sink.clear();
    const r = await runApp('processor', `http://127.0.0.1:${receiver.port}`);
    expect(r.code, r.stderr).toBe(0);
    expect(sink.records.map((x) => x.body)).toEqual(Array.from({ length: 5 }, (_, i) => `processor line ${i} took ${i * 7} ms`));
    expect(r.lingerMillis).toBeLessThan(PROMPT_EXIT_MS);
  });

  it('register entry, no shutdown: flushed at beforeExit, exits promptly', async () => {
    sink.clear();
    const r = await runApp('register', `http://127.0.0.1:${receiver.port}`);
    expect(r.code, r.stderr).toBe(0);
    expect(sink.records.map((x) => x.body)).toEqual(Array.from({ length: 5 }, (_, i) => `register line ${i} took ${i * 7} ms`));
    expect(r.lingerMillis).toBeLessThan(PROMPT_EXIT_MS);
  });

  it('transport with batches accepted but not flushed: the process waits for their acks, then exits', async () => {
    sink.clear();
    const r = await runApp('unflushed', `127.0.0.1:${receiver.port}`);
    expect(r.code, r.stderr).toBe(0);
    const lines = sink.records.map((x) => String(x.body).split(' ').slice(0, 3).join(' '));
    expect(lines).toEqual(Array.from({ length: 401 }, (_, i) => `unflushed line ${i}`));
    expect(r.lingerMillis).toBeLessThan(PROMPT_EXIT_MS);
  });
});
