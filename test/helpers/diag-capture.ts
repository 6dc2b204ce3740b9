/** Captures `diag` output so tests can assert on warnings (one per bad env value, drop reports). */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export interface DiagCapture {
  warn: string[];
  error: string[];
  all: string[];
  restore(): void;
}

export function captureDiag(level: DiagLogLevel = DiagLogLevel.WARN): DiagCapture {
  const cap: DiagCapture = { warn: [], error: [], all: [], restore: () => diag.disable() };
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  const push = (kind: 'warn' | 'error' | undefined) => (...args: unknown[]) => {
    const t = text(args);
    cap.all.push(t);
    if (kind) cap[kind].push(t);
  };
  const logger: DiagLogger = {
    error: push('error'),
    warn: push('warn'),
    info: push(undefined),
    debug: push(undefined),
    verbose: push(undefined),
  };
  diag.disable();
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  return cap;
}
