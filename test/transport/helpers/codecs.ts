/**
 * Codec choice for loopback tests: 'stateful' is the package's real encoder/decoder
 * (end-to-end), 'simple' the small test codec (transport behaviour in isolation).
 */
import { PatternStore } from '../../../src/encoder/pattern-store';
import { StatefulDecoder } from '../../../src/encoder/stateful-decoder';
import { StatefulEncoder } from '../../../src/encoder/stateful-encoder';
import type { LogRecordData } from '../../../src/encoder/log-record';
import type { BatchDecoderFactory } from '../../../src/receiver/batch-decoder';
import type { TransportBatch } from '../../../src/transport/inflight-window';
import { SimpleDecoder, SimpleEncoder } from './simple-codec';

export type CodecKind = 'simple' | 'stateful';

export interface TestEncoder {
  encode(records: LogRecordData[]): TransportBatch;
}

export function makeEncoder(kind: CodecKind): TestEncoder {
  return kind === 'simple' ? new SimpleEncoder() : new StatefulEncoder({ patternStore: new PatternStore() });
}

export function makeDecoderFactory(kind: CodecKind): BatchDecoderFactory {
  return kind === 'simple'
    ? (l) => new SimpleDecoder(l.maxPatterns)
    : (l) => new StatefulDecoder({ maxPatterns: l.maxPatterns, maxDictEntries: l.maxDictEntries, maxStateBytes: l.maxStateBytes });
}
