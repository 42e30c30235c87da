// The playground's Vite config: the workspace packages from source (no build needed before
// `vite` or `vite build`), PGlite left unbundled (it loads its .wasm and .data next to its
// module), and the worker as an ES module.
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the built site works from any static host and any sub-path.
  base: './',
  resolve: { conditions: ['@basebox/source', 'module', 'browser', 'development|production'] },
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173 },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // radix-ui's `"use client"` directives mean nothing in a client bundle (TOOLCHAIN.md §1),
      // and PGlite's Emscripten glue uses `eval` by design.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'EVAL') {
          return
        }
        warn(warning)
      },
    },
  },
})
