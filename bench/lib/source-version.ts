/** Which source a result came from: others commit to src/ all day, so every result says so. */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './workloads';

/** The commit measured, marked `+dirty` when src/ has uncommitted changes. */
export function sourceVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'src') ? '+dirty' : '');
  } catch {
    return 'unknown';
  }
}
