/**
 * Locates the shared developer corpus (`../shared/corpus/` relative to the repo root) for tests
 * and benchmarks. The corpus is never copied into the repo; when it is absent, corpus tests must
 * skip with a clear message:
 *
 * ```ts
 * import { corpusAvailable, loghubAvailable, skipReason } from '../helpers/corpus';
 * if (!loghubAvailable) console.warn(skipReason);
 * describe.skipIf(!loghubAvailable)('...', () => { ... });
 * ```
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in `<root>/test/helpers/`). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `<root>/../shared` — the shared folder next to the repo. */
export const sharedDir: string = resolve(repoRoot, '..', 'shared');

/** `<root>/../shared/corpus`. */
export const corpusDir: string = join(sharedDir, 'corpus');

/** `<root>/../shared/tools` (GA/PA evaluator, column extractor). */
export const toolsDir: string = join(sharedDir, 'tools');

/** True when the corpus folder exists. */
export const corpusAvailable: boolean = existsSync(corpusDir);

/** The 8 Loghub-2k systems with ground truth. */
export const LOGHUB_SYSTEMS = [
  'HDFS',
  'Hadoop',
  'Spark',
  'Zookeeper',
  'BGL',
  'OpenSSH',
  'Apache',
  'HealthApp',
] as const;
export type LoghubSystem = (typeof LOGHUB_SYSTEMS)[number];

/** `<corpus>/loghub-2k`. */
export const loghubDir: string = join(corpusDir, 'loghub-2k');

/** Paths of one Loghub-2k system's files. */
export interface LoghubFiles {
  /** Raw log, one record per line (may have CRLF line ends). */
  log: string;
  /** Structured CSV as published (LineId, fields..., Content, EventId, EventTemplate). */
  structured: string;
  /** Structured CSV with the corrected ground truth (use this one for GA/PA). */
  structuredCorrected: string;
  /** Corrected template list. */
  templatesCorrected: string;
}

/** File paths for one Loghub-2k system (they may not exist: check `loghubAvailable`). */
export function loghubFiles(system: LoghubSystem): LoghubFiles {
  const d = join(loghubDir, system);
  return {
    log: join(d, `${system}_2k.log`),
    structured: join(d, `${system}_2k.log_structured.csv`),
    structuredCorrected: join(d, `${system}_2k.log_structured_corrected.csv`),
    templatesCorrected: join(d, `${system}_2k.log_templates_corrected.csv`),
  };
}

/** True when every Loghub-2k system's corrected structured CSV is present. */
export const loghubAvailable: boolean = LOGHUB_SYSTEMS.every((s) =>
  existsSync(loghubFiles(s).structuredCorrected),
);

/** `<corpus>/large/Apache.log.gz` (56,482 lines, gzip). */
export const largeApacheGz: string = join(corpusDir, 'large', 'Apache.log.gz');

/** True when the large Apache file is present. */
export const largeApacheAvailable: boolean = existsSync(largeApacheGz);

/** `<tools>/grouping_accuracy.mjs` (GA/PA definitions, `parseCsv`, `evaluate`). */
export const groupingAccuracyTool: string = join(toolsDir, 'grouping_accuracy.mjs');

/** Message to print when skipping corpus tests. */
export const skipReason = `corpus not found at ${corpusDir} (expected ../shared/corpus next to the repo root): corpus tests skipped`;
