/**
 * Keeps examples/otel/ runnable: each example runs as its own process (against the build)
 * with its loopback receiver, and the records it prints are checked.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus';

const built = existsSync(join(repoRoot, 'dist', 'index.mjs'));
if (!built) console.warn('dist not built: examples test skipped (run `npm run build`, or `npm test`)');

async function runExample(file: string, args: string[] = [], env: Record<string, string> = {}) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [...args, join(repoRoot, 'examples', 'otel', file)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  // Say what the example printed when it is not what the test expects.
  if (stderr.trim()) console.warn(`${file} stderr:\n${stderr}`);
  const lines = stdout.trim().split('\n').filter(Boolean);
  const bad = lines.find((l) => !l.startsWith('{'));
  if (bad !== undefined) throw new Error(`${file} printed a non-record line: ${bad}\nstderr:\n${stderr}`);
  return lines.map((l) => JSON.parse(l) as { body?: { stringValue?: string }; attributes: { key: string; value: unknown }[] });
}

describe.skipIf(!built)('examples/otel', () => {
  it('sdk-setup.mjs delivers its 5 records', async () => {
    const out = await runExample('sdk-setup.mjs');
    expect(out.map((r) => r.body?.stringValue)).toEqual([0, 1, 2, 3, 4].map((i) => `Order ${4200 + i} shipped to warehouse ${i % 2 ? 'LYS' : 'CDG'} in ${10 + i * 3} ms`));
  });

  it('filtering-processor.mjs: the filter drops DEBUG, the enricher adds its attribute', async () => {
    const out = await runExample('filtering-processor.mjs');
    expect(out.map((r) => r.body?.stringValue)).toEqual(['user 42 signed in', 'payment 991 declined: insufficient funds']);
    for (const r of out) expect(r.attributes).toContainEqual({ key: 'deployment.environment.name', value: { stringValue: 'staging' } });
  });

  it('node-sdk.mjs delivers through NodeSDK({ logRecordProcessors })', async () => {
    const out = await runExample('node-sdk.mjs');
    expect(out.map((r) => r.body?.stringValue)).toEqual(['Cache warmed: 1200 keys in 350 ms']);
  });

  it('pino.mjs bridges pino records', async () => {
    const out = await runExample('pino.mjs');
    expect(out.map((r) => r.body?.stringValue)).toEqual(['order placed', 'slow upstream response', 'payment failed']);
  });
});
