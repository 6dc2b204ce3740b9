#!/usr/bin/env node
// Regenerates src/proto/ from proto/ with ts-proto (protoc from the system, plugin from
// node_modules). With --check, generates into a temp dir and fails if the committed
// files differ: the generated code is committed and must never drift from the schema.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const check = process.argv.includes('--check');
const outDir = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'osl-proto-')) : path.join(root, 'src/proto');
const plugin = path.join(root, 'node_modules/.bin/protoc-gen-ts_proto');
const protos = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.proto')) protos.push(path.relative(path.join(root, 'proto'), p));
  }
})(path.join(root, 'proto'));

const opts = [
  'esModuleInterop=true',
  'forceLong=number',
  'oneof=unions',
  'outputServices=grpc-js',
  'env=node',
  'useOptionals=messages',
  'outputJsonMethods=false',
  'outputPartialMethods=false',
  'unrecognizedEnum=false',
  'importSuffix=',
].join(',');
if (!check) fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
try {
  execFileSync('protoc', [`--plugin=protoc-gen-ts_proto=${plugin}`, `--ts_proto_out=${outDir}`, `--ts_proto_opt=${opts}`, '-I', path.join(root, 'proto'), ...protos], { stdio: 'inherit' });
} catch (e) {
  console.error('gen-proto: protoc failed (is protobuf-compiler installed? apt-get install protobuf-compiler)');
  process.exit(2);
}
if (check) {
  const committed = path.join(root, 'src/proto');
  const diff = [];
  const list = (d) => fs.existsSync(d) ? fs.readdirSync(d, { recursive: true }).filter((f) => f.endsWith('.ts')).sort() : [];
  const a = list(outDir), b = list(committed);
  if (a.join() !== b.join()) diff.push(`file list differs: generated [${a}] committed [${b}]`);
  for (const f of a) {
    const x = fs.readFileSync(path.join(outDir, f), 'utf8');
    const y = fs.existsSync(path.join(committed, f)) ? fs.readFileSync(path.join(committed, f), 'utf8') : '';
    if (x !== y) diff.push(`${f} differs from a fresh generation`);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  if (diff.length) { console.error('gen-proto --check: src/proto is stale; run `npm run gen:proto` and commit.\n' + diff.join('\n')); process.exit(1); }
  console.log(`gen-proto --check: src/proto matches proto/ (${a.length} files)`);
}
