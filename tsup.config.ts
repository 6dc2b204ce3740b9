import { defineConfig } from 'tsup';

// Dual ESM/CJS build with declarations, like the OpenTelemetry JS packages. The CLI is
// CJS only (it is a bin). Native addon loading stays a runtime require.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', register: 'src/register.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // import.meta.url is used to find the native addon; CJS needs the shim.
    shims: true,
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    shims: true,
    outExtension: () => ({ js: '.cjs' }),
  },
]);
