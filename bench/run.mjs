// Entry of `npm run bench` (run with `node --import tsx` so the harness and the package
// sources load as TypeScript). Everything lives in ./lib/; see bench/RESULTS.md.
import { main } from './lib/bench-cli.ts';

try {
  await main(process.argv.slice(2));
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
// Servers and channels are closed; this only guards against a stray handle.
setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
