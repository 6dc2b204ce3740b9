/** An in-memory LogRecordExporter whose behaviour each test scripts (succeed, fail, hang, throw). */
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

export type FakeMode = 'succeed' | 'fail' | 'hang' | 'throw';

export class FakeExporter implements LogRecordExporter {
  mode: FakeMode = 'succeed';
  /** Bodies of each export call, in order. */
  readonly batches: unknown[][] = [];
  readonly records: ReadableLogRecord[] = [];
  forceFlushCalls = 0;
  shutdownCalls = 0;
  /** Callbacks of exports in 'hang' mode, to complete them later. */
  readonly hanging: ((r: ExportResult) => void)[] = [];

  export(logs: ReadableLogRecord[], cb: (r: ExportResult) => void): void {
    if (this.mode === 'throw') throw new Error('exporter exploded');
    this.batches.push(logs.map((l) => l.body));
    this.records.push(...logs);
    if (this.mode === 'succeed') setImmediate(() => cb({ code: 0 }));
    else if (this.mode === 'fail') setImmediate(() => cb({ code: 1, error: new Error('receiver said no') }));
    else this.hanging.push(cb);
  }
  forceFlush(): Promise<void> { this.forceFlushCalls++; return Promise.resolve(); }
  shutdown(): Promise<void> { this.shutdownCalls++; return Promise.resolve(); }
}
