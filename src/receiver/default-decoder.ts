/** The decoder a receiver uses unless told otherwise. */
import type { BatchDecoder } from './batch-decoder';
import type { ReceiverLimits } from './limits';

export function createDefaultDecoder(_limits: ReceiverLimits): BatchDecoder {
  throw new Error('StatefulDecoder is not available yet: pass decoderFactory');
}
