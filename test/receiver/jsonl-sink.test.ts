/**
 * The JSONL file sink appends; a file left with a torn last line (a receiver killed in the
 * middle of a write) gets a newline first, so the next record is whole on its own line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { logRecordToJson } from '../../src/receiver/record-json';
import { JsonlSink } from '../../src/receiver/sinks/jsonl-sink';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osl-jsonl-'));
  dirs.push(dir);
  const file = path.join(dir, 'out.jsonl');
  if (content !== '') fs.writeFileSync(file, content);
  return file;
}

const record: LogRecordData = {
  hrTime: [1_700_000_000, 5],
  hrTimeObserved: [1_700_000_000, 6],
  body: 'hello',
  attributes: { k: 'v' },
  droppedAttributesCount: 0,
  resource: { attributes: { 'service.name': 's' } },
  scope: { name: 'test' },
};
const line = JSON.stringify(logRecordToJson(record));

async function appendOne(file: string): Promise<string> {
  const sink = new JsonlSink(file);
  await sink.write([record]);
  await sink.close();
  return fs.readFileSync(file, 'utf8');
}

describe('JsonlSink on a file', () => {
  it('after a torn last line, starts the next record on a new line', async () => {
    const file = tmpFile('{"a":1}\n{"body":{"stri');
    expect(await appendOne(file)).toBe(`{"a":1}\n{"body":{"stri\n${line}\n`);
  });

  it('appends right after a complete last line, and to a new or empty file', async () => {
    expect(await appendOne(tmpFile('{"a":1}\n'))).toBe(`{"a":1}\n${line}\n`);
    expect(await appendOne(tmpFile(''))).toBe(`${line}\n`);
    const empty = tmpFile('');
    fs.writeFileSync(empty, '');
    expect(await appendOne(empty)).toBe(`${line}\n`);
  });
});
