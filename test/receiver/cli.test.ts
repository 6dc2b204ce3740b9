/**
 * The `receive` and `send` commands as users run them (child processes via tsx): lines
 * in, JSONL out, exit codes saying whether everything was acknowledged.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startReceive(args: string[]): Promise<{ address: string; stop: () => Promise<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'receive', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    return err;
  };
  cleanups.push(stop);
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) resolve({ address: m[1]!, stop });
    });
    child.once('exit', (code) => reject(new Error(`receive exited ${code}: ${err}`)));
  });
}

function runSend(args: string[], stdin?: string): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'send', ...args], { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, stderr })));
}

describe('CLI receive + send', () => {
  it('sends every line and the receiver writes one JSON object per record; exit 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osl-cli-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'out.jsonl');
    const input = path.join(dir, 'in.log');
    const lines = Array.from({ length: 3000 }, (_, i) => `GET /api/items/${i % 97} 200 ${i * 3}ms user=${i % 13} ✓`);
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const rx = await startReceive(['--listen', '127.0.0.1:0', '--out', out, '--token', 'tok']);

    const sent = await runSend([input, '--endpoint', rx.address, '--token', 'tok', '--insecure']);
    expect(sent.stderr).toMatch(/sent 3000 records: 3000 acknowledged, 0 dropped, 0 pending/);
    expect(sent.code).toBe(0);

    const wrong = await runSend(['-', '--endpoint', rx.address, '--token', 'nope'], 'one line\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/UNAUTHENTICATED/);

    await rx.stop();
    const got = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(got.map((g) => (g.body as { stringValue: string }).stringValue)).toEqual(lines);
    expect(Object.keys(got[0]!)).toEqual(expect.arrayContaining(['resource', 'scope', 'timeUnixNano', 'observedTimeUnixNano', 'attributes', 'body']));
    expect(got[0]!.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'otel-stateful-logs-send' } }], droppedAttributesCount: 0 });
  });

  it('send exits 1 when the receiver is not there', async () => {
    const r = await runSend(['-', '--endpoint', '127.0.0.1:1', '--timeout', '1500'], 'a\nb\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sent 2 records: 0 acknowledged, 2 dropped, 0 pending/);
  });
});
