/**
 * Which build of the package the application children load. By default the published form:
 * `dist/index.cjs` (tsup's bundle), copied for the length of the run into
 * `.bench-snapshot/<pid>/dist/` inside the repository (so `node_modules` and `native/` still
 * resolve), which a concurrent `npm run build` (tsup empties `dist/`) cannot pull away.
 * `--from-source` loads `src/index.ts` through tsx instead: esbuild turns every cross-module
 * import there into a getter call, and that form ran the encoder 15-25 % slower than the
 * bundle users install (bench/experiments/encoder-alone.ts, 21:59 UTC) — fine for profiles
 * (file names per module), not for the comparison.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './workloads';

const DIST_ENTRY = join(REPO_ROOT, 'dist', 'index.cjs');

/** Copies dist/ aside and returns the copy's entry; removes the copy when the process exits. */
export function snapshotBuild(): string {
  if (!existsSync(DIST_ENTRY)) {
    throw new Error(`${DIST_ENTRY} not found: run \`npm run build\` first (or pass --from-source)`);
  }
  const dir = join(REPO_ROOT, '.bench-snapshot', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'dist', 'index.cjs');
}
