import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clusterLines, registerPatternsCommand, splitLines } from '../../src/cli/patterns';

describe('patterns: line splitting', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a']],
    ['a\nb', ['a', 'b']],
    ['a\r\nb\r\n', ['a\r', 'b\r']], // bodies are exact apart from the \n terminator
    ['\n', ['']],
    ['a\n\nb\n', ['a', '', 'b']],
  ])('%j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });
});

describe('patterns: clusterLines', () => {
  it('prints final (widest) templates for every line, ids stable for the run', () => {
    const r = clusterLines(['task 1 done', 'task 2 done', 'other thing']);
    expect(r.ids).toEqual([1, 1, 2]);
    expect(r.templates).toEqual(['task <*> done', 'task <*> done', 'other thing']);
    expect(r.groups).toBe(2);
  });

  it('lines of patterns merged later print the id they ended in', () => {
    const r = clusterLines(['Invalid user admin from 1.2.3.4', 'Invalid user oracle from 1.2.3.5', 'Invalid user test from 1.2.3.6']);
    expect(new Set(r.ids).size).toBe(1);
    expect(r.templates[1]).toBe('Invalid user <*> from <*>');
  });

  it('raw lines get ids of their own after every pattern id; equal raw lines share one', () => {
    const r = clusterLines(['a 1', '', 'a 2', '', 'b'], {});
    expect(r.ids[0]).toBe(r.ids[2]);
    expect(r.ids[1]).toBe(r.ids[3]);
    expect(r.ids[1]).toBeGreaterThan(Math.max(r.ids[0]!, r.ids[4]!));
    expect(r.templates[1]).toBe('');
  });

  it('evicted patterns keep their last template and their id is not reused', () => {
    const lines = Array.from({ length: 30 }, (_, k) => `w${String.fromCharCode(97 + (k % 26))}x${k >= 26 ? 'y' : ''} happened`);
    const r = clusterLines(lines, { maxPatterns: 5, gracePeriodMs: 0 });
    expect(new Set(r.ids).size).toBe(30);
    r.templates.forEach((t, k) => expect(t).toBe(lines[k]));
  });
});

describe('patterns: command', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('prints "<id>\\t<template>" per input line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'patterns-'));
    const file = join(dir, 'in.log');
    writeFileSync(file, 'Got task 1\nGot task 22\nhello world');
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const program = new Command().exitOverride();
    registerPatternsCommand(program);
    await program.parseAsync(['node', 'cli', 'patterns', file, '--tokenizer', 'js']);
    expect(out).toBe('1\tGot task <*>\n1\tGot task <*>\n2\thello world\n');
  });

  it('rejects an unknown --tokenizer value', async () => {
    const program = new Command().exitOverride();
    registerPatternsCommand(program);
    await expect(program.parseAsync(['node', 'cli', 'patterns', '-', '--tokenizer', 'rust'])).rejects.toThrow(/--tokenizer/);
  });
});
