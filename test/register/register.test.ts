/**
 * The zero-code entry, as users run it: a child `node --import otel-stateful-logs/register`
 * (ESM) or `--require` (CJS) process, configured only through env, logging through the
 * global logs API (@opentelemetry/api 1.10) and through @opentelemetry/api-logs (what
 * instrumentations such as instrumentation-pino use), exiting on its own. Needs the build
 * (dist/register.*): `npm test` builds first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { repoRoot } from '../helpers/corpus';

const run = promisify(execFile);
const built = existsSync(join(repoRoot, 'dist', 'register.mjs')) && existsSync(join(repoRoot, 'dist', 'register.cjs'));
if (!built) console.warn('dist/register.* not built: register tests skipped (run `npm run build`, or `npm test`)');


describe.skipIf(!built)('register entry (--import / --require)', () => {
  let receiver: RunningReceiver;
  const sink = new MemorySink();
  // The apps live in the repo so their imports resolve from this install, as an app's would.
  const dir = join(repoRoot, 'test', 'register', 'fixtures');

  beforeAll(async () => {
    receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
  });
  afterAll(() => receiver.close(100));

  const env = () => ({
    ...process.env,
    OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    OTEL_SERVICE_NAME: 'registered-app',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    OTEL_BLRP_SCHEDULE_DELAY: '50',
  });

  it('--import: builds the provider from env, sets it globally, flushes at exit', async () => {
    sink.clear();
    // cwd = repo root, so the peers resolve from this install, as they would from an app's.
    await run(process.execPath, ['--import', join(repoRoot, 'dist', 'register.mjs'), join(dir, 'app.mjs')], { cwd: repoRoot, env: env(), timeout: 30_000 });
    expect(sink.records.map((r) => [r.scope.name, r.body])).toEqual([
      ['app-esm', 'hello from the api'],
      ['bridge', 'hello from api-logs'],
    ]);
    const res = sink.records[0]!.resource.attributes;
    expect(res['service.name']).toBe('registered-app');
    expect(res['deployment.environment.name']).toBe('test');
    expect(res['telemetry.sdk.language']).toBe('nodejs');
    expect(sink.records[0]!.attributes).toEqual({ n: 1 });
  });

  it('an app that ends after its stream opened still exits on its own, records delivered', async () => {
    // The open stream holds the event loop until the transport closes it as idle (5 s), then
    // beforeExit runs the final flush. This guards against a process that never exits.
    sink.clear();
    const t0 = Date.now();
    await run(process.execPath, ['--import', join(repoRoot, 'dist', 'register.mjs'), join(dir, 'app-lingers.mjs')], { cwd: repoRoot, env: env(), timeout: 30_000 });
    expect(sink.records.map((r) => r.body)).toEqual(['before the wait', 'after the wait']);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('registerStatefulLogs() returns the registered provider across CJS/ESM entries (explicit shutdown before process.exit)', async () => {
    sink.clear();
    await run(process.execPath, ['--require', join(repoRoot, 'dist', 'register.cjs'), join(dir, 'app-explicit-shutdown.mjs')], { cwd: repoRoot, env: env(), timeout: 30_000 });
    expect(sink.records.map((r) => r.body)).toEqual(['flushed by an explicit shutdown']);
  });

  it('--require: same for a CommonJS app', async () => {
    sink.clear();
    await run(process.execPath, ['--require', join(repoRoot, 'dist', 'register.cjs'), join(dir, 'app.cjs')], { cwd: repoRoot, env: env(), timeout: 30_000 });
    expect(sink.records.map((r) => r.body)).toEqual(['cjs line 0', 'cjs line 1', 'cjs line 2']);
  });
});
