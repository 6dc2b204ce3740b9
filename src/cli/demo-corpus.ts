/**
 * Reads the shared developer corpus (`../shared/corpus/loghub-2k/`, next to the repo) as demo
 * records: every line of the 8 Loghub-2k systems becomes one record whose body is the whole
 * line, with the system as the logger scope, a severity taken from the line when it names
 * one, and synthetic millisecond timestamps (as the SDK stamps them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoRecord, DemoScope } from './demo-generator';

const SYSTEMS = ['HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'BGL', 'OpenSSH', 'Apache', 'HealthApp'] as const;

const LEVELS: [RegExp, number, string][] = [
  [/\b(FATAL|SEVERE)\b/, 21, 'FATAL'],
  [/\b(ERROR|error)\b/, 17, 'ERROR'],
  [/\b(WARN|WARNING|warn)\b/, 13, 'WARN'],
  [/\b(INFO|notice|info)\b/, 9, 'INFO'],
  [/\b(DEBUG|debug)\b/, 5, 'DEBUG'],
];

/** Finds the Loghub-2k folder from candidate repo roots; undefined when absent. */
export function findLoghubDir(roots: string[]): string | undefined {
  for (const root of roots) {
    const dir = join(root, '..', 'shared', 'corpus', 'loghub-2k');
    if (SYSTEMS.every((s) => existsSync(join(dir, s, `${s}_2k.log`)))) return dir;
  }
  return undefined;
}

export function loadLoghubRecords(dir: string): DemoRecord[] {
  const out: DemoRecord[] = [];
  let sec = 1_764_000_000;
  let nanos = 0;
  for (const system of SYSTEMS) {
    const scope: DemoScope = { name: `loghub.${system.toLowerCase()}`, version: '2k' };
    const text = readFileSync(join(dir, system, `${system}_2k.log`), 'utf8');
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      // Millisecond steps: what the SDK stamps (Date.now()) when the app gives no timestamp.
      nanos += ((line.length * 7919) % 5) * 1_000_000;
      sec += Math.floor(nanos / 1e9);
      nanos %= 1e9;
      const level = LEVELS.find(([re]) => re.test(line.slice(0, 120)));
      out.push({
        scope,
        hrTime: [sec, nanos],
        hrTimeObserved: [sec + Math.floor((nanos + 1_000_000) / 1e9), (nanos + 1_000_000) % 1e9],
        ...(level ? { severityNumber: level[1], severityText: level[2] } : {}),
        body: line,
        attributes: { 'log.file.name': `${system}_2k.log` },
      });
    }
  }
  return out;
}
