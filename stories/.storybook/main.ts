import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest'],
  core: { disableTelemetry: true },
  viteFinal: (vite) => ({
    ...vite,
    // The workspace packages are used from source (no build needed).
    resolve: {
      ...vite.resolve,
      conditions: ['@basebox/source', 'module', 'browser', 'development|production'],
    },
    // PGlite loads its .wasm and .data next to its module: keep Vite from pre-bundling it.
    // The React kit's dependencies are pre-bundled up front: one found while a test runs makes
    // Vite re-optimize and reload the page under the test.
    optimizeDeps: {
      ...vite.optimizeDeps,
      exclude: [...(vite.optimizeDeps?.exclude ?? []), '@electric-sql/pglite'],
      include: [
        ...(vite.optimizeDeps?.include ?? []),
        ...[
          '@tanstack/react-query',
          '@tanstack/react-table',
          '@tanstack/react-virtual',
          'radix-ui',
          'react-hook-form',
          '@hookform/resolvers/zod',
          'zod',
          '@xyflow/react',
          '@dagrejs/dagre',
          'html-to-image',
          '@codemirror/autocomplete',
          '@codemirror/commands',
          '@codemirror/lang-sql',
          '@codemirror/language',
          '@codemirror/lint',
          '@codemirror/state',
          '@codemirror/view',
          '@lezer/highlight',
          'ai/test',
        ].map((name) => `@basebox/react > ${name}`),
      ],
    },
    worker: { ...vite.worker, format: 'es' },
    build: {
      ...vite.build,
      rollupOptions: {
        ...vite.build?.rollupOptions,
        // radix-ui's `"use client"` directives mean nothing in a client bundle (TOOLCHAIN.md §1).
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
          const own = vite.build?.rollupOptions?.onwarn
          if (own) own(warning, warn)
          else warn(warning)
        },
      },
    },
  }),
}

export default config
