/**
 * The README's demo, as CI runs it: the built CLI (`node dist/cli.cjs demo`) with the
 * bundled generator (so it runs without ../shared/corpus), which must exit 0 and report every
 * record received identical. Needs the build (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus';

const cli = join(repoRoot, 'dist', 'cli.cjs');
const built = existsSync(cli);
if (!built) console.warn('dist/cli.cjs not built: demo test skipped (run `npm run build`, or `npm test`)');

describe.skipIf(!built)('otel-stateful-logs demo', () => {
  it('runs both exporters, compares bytes, and finds every record identical', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'demo', '--no-corpus', '--records', '3000', '--json'], {
      cwd: repoRoot,
      timeout: 60_000,
    });
    const result = JSON.parse(stdout) as {
      records: number;
      mismatches: number;
      patterns: number;
      stateful: { bytesUp: number; received: number };
      otlp?: { bytesUp: number; received: number };
    };
    expect(result.records).toBe(3000);
    expect(result.mismatches).toBe(0);
    expect(result.stateful.received).toBe(3000);
    expect(result.otlp?.received).toBe(3000);
    expect(result.stateful.bytesUp).toBeGreaterThan(0);
    expect(result.patterns).toBeGreaterThan(0);
  });
});
