/**
 * One log pattern (template): a fixed sequence of tokens, each either a literal (exact text) or a
 * wildcard slot (any text of one token). Created and widened by the clusterer
 * (./clusterer.ts); read by the pattern store (./pattern-store.ts).
 *
 * A body matches a pattern when it has the same number of tokens, every literal equals the
 * body's token text at that position, and wildcards take whatever token sits there. Hence for
 * every match `literals[0] + values[0] + … + values[n-1] + literals[n] === body`.
 */
import type { AnchorPlan } from './anchored-match';
import { TokenKind } from './token';

/** Estimated fixed cost of one pattern object in bytes (object headers, arrays, map entries). */
export const PATTERN_OVERHEAD_BYTES = 160;
/** Estimated cost per template token (kind byte, text pointer, flags). */
export const PATTERN_TOKEN_BYTES = 16;

export class Pattern {
  /** Id (> 0), assigned by the clusterer; widening keeps it. */
  readonly id: number;
  /** Token kind per position: the literal's kind, or the wildcard slot's kind (Word when mixed). */
  readonly kinds: Uint8Array;
  /** Literal text per position, or `undefined` for a wildcard slot. */
  readonly texts: Array<string | undefined>;
  /** Per position: 1 when the literal looks variable (structured kind or digits). Unused for wildcards. */
  readonly varLike: Uint8Array;
  /** Signature hash of the cluster this pattern belongs to. */
  readonly signature: number;

  /** Texts between wildcards, concatenated: `literals.length === wildcardCount + 1`. Replaced (never mutated) on change. */
  literals: string[] = [];
  /** Kind of each wildcard, in order. Replaced (never mutated) on change. */
  wildcardKinds: number[] = [];
  /** Token positions of the wildcards, in order. */
  wildcardPositions: number[] = [];
  /** Total UTF-16 length of the literals. */
  literalLength = 0;
  /** Estimated memory cost in bytes (see {@link PATTERN_OVERHEAD_BYTES}). */
  bytes = 0;

  /** Number of bodies matched (including the one that created it). */
  hits = 1;
  /** Clock time (ms) of creation. */
  readonly createdAtMs: number;
  /** Clock time (ms) of the last match. */
  lastAccessMs: number;
  /** Times the template changed after creation. */
  widenings = 0;
  /** Cached plan of the anchored fast path (./anchored-match.ts); stale once `literals` is replaced. */
  anchor: AnchorPlan | undefined = undefined;

  constructor(id: number, signature: number, kinds: Uint8Array, texts: Array<string | undefined>, varLike: Uint8Array, nowMs: number) {
    this.id = id;
    this.signature = signature;
    this.kinds = kinds;
    this.texts = texts;
    this.varLike = varLike;
    this.createdAtMs = nowMs;
    this.lastAccessMs = nowMs;
    this.rebuild();
  }

  /** Number of template tokens. */
  get length(): number {
    return this.texts.length;
  }

  /** Recomputes the derived fields after creation or widening. */
  rebuild(): void {
    const literals: string[] = [];
    const wildcardKinds: number[] = [];
    const wildcardPositions: number[] = [];
    let cur = '';
    let literalLength = 0;
    for (let i = 0; i < this.texts.length; i++) {
      const t = this.texts[i];
      if (t === undefined) {
        literals.push(cur);
        cur = '';
        wildcardKinds.push(this.kinds[i]!);
        wildcardPositions.push(i);
      } else {
        cur += t;
        literalLength += t.length;
      }
    }
    literals.push(cur);
    this.literals = literals;
    this.wildcardKinds = wildcardKinds;
    this.wildcardPositions = wildcardPositions;
    this.literalLength = literalLength;
    this.bytes = PATTERN_OVERHEAD_BYTES + PATTERN_TOKEN_BYTES * this.texts.length + 2 * literalLength;
  }

  /** The template with each wildcard written `wildcard` (default `<*>`). */
  template(wildcard = '<*>'): string {
    return this.literals.join(wildcard);
  }
}

/** Kinds whose differing texts never become a wildcard (names, not values). */
export function isNameKind(kind: number): boolean {
  return kind === K_KEY || kind === K_SEVERITY || kind === K_HTTPMETHOD;
}
const K_KEY: number = TokenKind.Key;
const K_SEVERITY: number = TokenKind.Severity;
const K_HTTPMETHOD: number = TokenKind.HttpMethod;
