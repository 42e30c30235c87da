import { defineConfig } from 'tsup'

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/pg.ts',
    'src/pglite.ts',
    'src/pglite-worker.ts',
    'src/testing/index.ts',
    'src/testing/vitest.ts',
  ],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['pg', '@electric-sql/pglite', 'vitest'],
})
