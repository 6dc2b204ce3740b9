#!/usr/bin/env node
// Regenerates the FlatBuffers code for native/*.fbs with the system flatc (Debian
// flatbuffers-compiler): TypeScript into src/native-fbs/ (read by src/encoder/native-tokenizer.ts)
// and Rust into native/src/generated/ (written by the addon). With --check, generates into a
// temp dir and fails if the committed files differ: generated code is committed and must never
// drift from the schema (same contract as scripts/gen-proto.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const check = process.argv.includes('--check');
const schemas = fs.readdirSync(path.join(root, 'native')).filter((f) => f.endsWith('.fbs')).sort().map((f) => path.join(root, 'native', f));
/** Each target: flatc language flag, committed output dir, file suffix it owns. */
const targets = [
  { lang: '--ts', dir: path.join(root, 'src/native-fbs'), ext: '.ts' },
  { lang: '--rust', dir: path.join(root, 'native/src/generated'), ext: '.rs' },
];

function list(d, ext) {
  return fs.existsSync(d) ? fs.readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith(ext)).sort() : [];
}

function generate(lang, outDir) {
  try {
    execFileSync('flatc', [lang, '-o', outDir, ...schemas], { stdio: 'inherit' });
  } catch {
    console.error('gen-flatbuffers: flatc failed (is flatbuffers-compiler installed? apt-get install flatbuffers-compiler)');
    process.exit(2);
  }
}

const diff = [];
let count = 0;
for (const t of targets) {
  const outDir = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'osl-fbs-')) : t.dir;
  if (!check) fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  generate(t.lang, outDir);
  if (check) {
    const a = list(outDir, t.ext);
    const b = list(t.dir, t.ext);
    count += a.length;
    if (a.join() !== b.join()) diff.push(`${path.relative(root, t.dir)}: file list differs: generated [${a}] committed [${b}]`);
    for (const f of a) {
      const x = fs.readFileSync(path.join(outDir, f), 'utf8');
      const y = fs.existsSync(path.join(t.dir, f)) ? fs.readFileSync(path.join(t.dir, f), 'utf8') : '';
      if (x !== y) diff.push(`${path.relative(root, path.join(t.dir, f))} differs from a fresh generation`);
    }
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
if (check) {
  if (diff.length) {
    console.error('gen-flatbuffers --check: generated FlatBuffers code is stale; run `npm run gen:fbs` and commit.\n' + diff.join('\n'));
    process.exit(1);
  }
  console.log(`gen-flatbuffers --check: src/native-fbs and native/src/generated match native/*.fbs (${count} files)`);
}
