/**
 * Stream metadata that lets a receiver recognise a replay. The sender names itself
 * (a random id per transport) and says which delivery sequence number batch 1 of this
 * stream carries; batch k carries `first + k - 1`. A receiver that remembers the last
 * sequence number it handed to its sink for that sender acks a replayed batch without
 * handing its records over again. Snapshot batches (id 0) carry no sequence number.
 */
export const SENDER_ID_HEADER = 'x-otel-stateful-sender';
export const FIRST_SEQ_HEADER = 'x-otel-stateful-first-seq';
