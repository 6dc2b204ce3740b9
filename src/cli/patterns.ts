/**
 * `otel-stateful-logs patterns [FILE|-] [--tokenizer native|js|auto]`: clusters every input line
 * (one log body per line) with the PatternStore and prints, per input line,
 * `<patternId>\t<template>` with each wildcard written `<*>`. The output format is a contract.
 *
 * - Lines: the input split on "\n"; bodies are kept exact otherwise (a "\r" stays in the body);
 *   a last line without a newline counts; the empty segment after a final "\n" does not.
 * - Two passes: all lines are clustered first, then each line prints its pattern's FINAL id and
 *   template, so a widened template shows in its widest form and ids are stable for the run.
 * - A line the store sends raw (empty, too long, ...) still prints: it gets an id of its own
 *   (after every pattern id; equal raw lines share one) and itself as the template.
 * - A pattern evicted during the run prints the last template it had; a pattern merged into
 *   another one prints as the one it was merged into.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PatternStore, type PatternStoreOptions } from '../encoder/pattern-store';
import { selectTokenizer, type TokenizerChoice } from '../encoder/tokenizer-select';

/** Wildcard marker in printed templates. */
export const WILDCARD = '<*>';

/** Result of clustering a list of lines: per line, its final id and template. */
export interface PatternsResult {
  ids: number[];
  templates: string[];
  /** Number of distinct ids. */
  groups: number;
}

/** Splits input text into bodies (see the module comment for the rules). */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Clusters `lines` and returns each line's final pattern id and template. Pure apart from the
 * store it creates; used by the command and by the grouping-accuracy test.
 */
export function clusterLines(lines: readonly string[], options: PatternStoreOptions = {}): PatternsResult {
  const mergedInto = new Map<number, number>();
  const store = new PatternStore({
    ...options,
    onMerge: (from, into) => {
      mergedInto.set(from, into);
      options.onMerge?.(from, into);
    },
  });
  const ids = new Array<number>(lines.length);
  const templateById = new Map<number, string>();
  const rawIndex: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = store.match(lines[i]!);
    if (m === undefined) {
      ids[i] = -1;
      rawIndex.push(i);
      continue;
    }
    ids[i] = m.patternId;
    if (m.defined) templateById.set(m.patternId, m.literals.join(WILDCARD));
    store.takeDeletes(); // evicted templates stay in templateById as last defined
  }
  // Ids merged into another pattern print as the pattern they ended in.
  for (let i = 0; i < ids.length; i++) {
    let id = ids[i]!;
    while (mergedInto.has(id)) id = mergedInto.get(id)!;
    ids[i] = id;
  }
  for (const from of mergedInto.keys()) templateById.delete(from);
  // Raw lines: ids after every pattern id, one per distinct text.
  let nextRawId = 1;
  for (const id of templateById.keys()) if (id >= nextRawId) nextRawId = id + 1;
  const rawIds = new Map<string, number>();
  for (const i of rawIndex) {
    const line = lines[i]!;
    let id = rawIds.get(line);
    if (id === undefined) {
      id = nextRawId++;
      rawIds.set(line, id);
      templateById.set(id, line);
    }
    ids[i] = id;
  }
  const templates = ids.map((id) => templateById.get(id)!);
  return { ids, templates, groups: templateById.size };
}

function readInput(file: string | undefined): string {
  if (file === undefined || file === '-') return readFileSync(0, 'utf8');
  return readFileSync(file, 'utf8');
}

/** Registers the `patterns` command on the CLI program. */
export function registerPatternsCommand(program: Command): void {
  program
    .command('patterns')
    .description('cluster each input line (one log body per line) and print "<patternId>\\t<template>" per line')
    .argument('[file]', 'input file, or - for stdin', '-')
    .option('--tokenizer <impl>', 'tokenizer: js, native or auto (native falls back to js with a warning)', 'auto')
    .action((file: string, opts: { tokenizer: string }) => {
      const choice = opts.tokenizer;
      if (choice !== 'js' && choice !== 'native' && choice !== 'auto') {
        throw new Error(`--tokenizer must be js, native or auto, not ${JSON.stringify(choice)}`);
      }
      const lines = splitLines(readInput(file));
      const selected = selectTokenizer({ tokenizer: choice as TokenizerChoice });
      if (choice === 'native' && selected.impl !== 'native') process.stderr.write(`${selected.reason}\n`);
      selected.prefetch(lines);
      const result = clusterLines(lines, { tokenizer: selected.impl === 'native' ? selected.tokenize : undefined });
      selected.clearPrefetch();
      const out: string[] = new Array(lines.length);
      for (let i = 0; i < lines.length; i++) out[i] = `${result.ids[i]}\t${result.templates[i]}`;
      if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
    });
}
