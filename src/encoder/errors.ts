/**
 * The one error the decoder throws. `kind` tells a receiver how to answer the sender:
 * `malformed` and `unknown-ref` are the sender's bug or corruption (INVALID_ARGUMENT),
 * `limit` means the stream asked for more state than this receiver allows
 * (RESOURCE_EXHAUSTED).
 */
export type DecodeErrorKind = 'malformed' | 'unknown-ref' | 'limit';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
