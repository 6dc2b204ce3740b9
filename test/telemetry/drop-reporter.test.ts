import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DropReporter } from '../../src/telemetry/drop-reporter';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';

describe('DropReporter', () => {
  let cap: DiagCapture;
  beforeEach(() => { cap = captureDiag(); });
  afterEach(() => cap.restore());

  it('reports the first drop at once, then sums later ones into one report per interval', async () => {
    const r = new DropReporter('test', 50);
    r.drop(1, 'queue_full');
    expect(cap.warn).toEqual(['test dropped 1 log record: 1 queue full (raise maxQueueSize / OTEL_BLRP_MAX_QUEUE_SIZE, or the receiver is too slow)']);
    for (let i = 0; i < 100; i++) r.drop(1, 'queue_full');
    r.drop(7, 'export_failed', 'UNAVAILABLE');
    expect(cap.warn).toHaveLength(1);
    await sleep(120);
    expect(cap.warn).toHaveLength(2);
    expect(cap.warn[1]).toMatch(/dropped 107 log records: 100 queue full .*; 7 export failed: UNAVAILABLE/);
    expect(r.totalDropped).toBe(108);
  });

  it('report() flushes the pending summary immediately (used at shutdown) and ignores zero counts', () => {
    const r = new DropReporter('test', 60_000);
    r.drop(0, 'timeout');
    expect(cap.warn).toEqual([]);
    r.drop(2, 'timeout');
    r.drop(3, 'shutdown');
    r.report();
    expect(cap.warn).toHaveLength(2);
    expect(cap.warn[1]).toMatch(/dropped 3 log records: 3 emitted after shutdown/);
    r.report();
    expect(cap.warn).toHaveLength(2);
  });
});
