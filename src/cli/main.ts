import { Command } from 'commander';
import { registerPatternsCommand } from './patterns';
import { registerDemoCommand } from './demo';
import { registerBenchCommand } from './bench';
import { registerReceiveCommand } from './receive';
import { registerSendCommand } from './send';

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
