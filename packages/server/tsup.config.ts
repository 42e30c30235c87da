import { defineConfig } from 'tsup'

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/adapters/node.ts',
    'src/adapters/next.ts',
    'src/adapters/hono.ts',
    'src/cli/typegen-bin.ts',
  ],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['hono'],
})
