/** Runs test/faults/fixtures/receiver-child.ts in a child process (node --import tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(ROOT, 'test/faults/fixtures/receiver-child.ts');

export interface ChildReceiver {
  readonly port: number;
  readonly child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnReceiver(port: number, out: string, codec = 'simple'): Promise<ChildReceiver> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, '--port', String(port), '--out', out, '--codec', codec], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`receiver child did not start: ${stderr}`)); }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /LISTENING (\d+)/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        child,
        kill: async (signal = 'SIGKILL') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`receiver child exited (${code}): ${stderr}`)); });
  });
}
