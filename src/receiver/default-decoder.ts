/** The decoder a receiver uses unless told otherwise: the package's StatefulDecoder. */
import { StatefulDecoder } from '../encoder/stateful-decoder';
import type { BatchDecoder } from './batch-decoder';
import type { ReceiverLimits } from './limits';

export function createDefaultDecoder(limits: ReceiverLimits): BatchDecoder {
  return new StatefulDecoder({
    maxPatterns: limits.maxPatterns,
    maxDictEntries: limits.maxDictEntries,
    maxStateBytes: limits.maxStateBytes,
  });
}
