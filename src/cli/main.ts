import { Command } from 'commander';
import { registerPatternsCommand } from './patterns';
import { registerDemoCommand } from './demo';
import { registerBenchCommand } from './bench';
import { registerReceiveCommand } from './receive';
import { registerSendCommand } from './send';

// `… | head` closes stdout early: that is the reader's choice, not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command();
program.name('otel-stateful-logs').description('Stateful gRPC log encoding for OpenTelemetry JS');
registerPatternsCommand(program);
registerDemoCommand(program);
registerBenchCommand(program);
registerReceiveCommand(program);
registerSendCommand(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
