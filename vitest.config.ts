import { playwright } from '@vitest/browser-playwright'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * A project's root, absolute: vitest resolves a relative one against the working directory, so
 * `cd packages/<name> && pnpm test` (`vitest run --root ../..`) found no test files.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const conditions = ['@basebox/source', 'node']
const browserResolve = {
  conditions: ['@basebox/source', 'module', 'browser', 'development|production'],
}
/** Debian's Chromium, headless (TOOLCHAIN.md §6; .ci/run installs it). Never `playwright install`. */
const chromium = () => ({
  enabled: true,
  headless: true,
  screenshotFailures: false,
  instances: [{ browser: 'chromium' as const }],
  provider: playwright({
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  }),
})
const resolve = { conditions }
const ssr = { resolve: { conditions } }

export default defineConfig({
  resolve,
  ssr,
  test: {
    // PGlite instances weigh ~750 MB and the machine has 2 cores: keep workers bounded.
    maxWorkers: 2,
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/example-server',
          root: here('apps/server'),
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/server',
          root: here('packages/server'),
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        // Inline projects do not inherit the root's timeouts: without these, vitest's 5 s default.
        test: {
          name: '@basebox/client',
          root: here('packages/client'),
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Type tests of the public generics and of generated types (`*.test-d.ts`), checked by tsc.
          typecheck: {
            enabled: true,
            include: ['src/**/*.test-d.ts'],
            tsconfig: here('packages/client/tsconfig.json'),
          },
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/core',
          root: here('packages/core'),
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Browser tests (`*.browser.test.ts`) run in Debian's Chromium (TOOLCHAIN.md §6; .ci/run
        // installs it). Never `playwright install`: nothing is downloaded.
        resolve: browserResolve,
        // PGlite loads its .wasm and .data next to its module: keep vite from bundling it.
        optimizeDeps: { exclude: ['@electric-sql/pglite'] },
        worker: { format: 'es' },
        test: {
          name: '@basebox/core (chromium)',
          root: here('packages/core'),
          // Runs after the other projects, alone: its worker and OPFS tests starve when other
          // browsers (the React kit's, the stories') run PGlite at the same time on 2 cores.
          sequence: { groupOrder: 1 },
          include: ['src/**/*.browser.test.ts'],
          // One file at a time: two files' PGlite workers in the same origin and browser
          // contend (a full run under load once timed out the OPFS file at 60 s).
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: chromium(),
        },
      },
      {
        // Server-side rendering and imports without a DOM (Node).
        resolve,
        ssr,
        plugins: [react()],
        test: {
          name: '@basebox/react',
          root: here('packages/react'),
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: ['src/**/*.browser.test.{ts,tsx}'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Components in real Chromium, on a real engine over PGlite (and the remote client
        // against @basebox/server where a test says so).
        resolve: browserResolve,
        plugins: [react()],
        // Pre-bundled up front: a dependency found mid-run makes Vite re-optimize and reload the
        // page, which can leave two copies of React under a running test.
        optimizeDeps: {
          exclude: ['@electric-sql/pglite'],
          include: [
            'react',
            'react-dom',
            'react-dom/client',
            'react/jsx-runtime',
            'react/jsx-dev-runtime',
            '@tanstack/react-query',
            '@tanstack/react-table',
            '@tanstack/react-virtual',
            'radix-ui',
            'react-hook-form',
            '@hookform/resolvers/zod',
            'zod',
            'vitest-browser-react',
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
            'ai',
            'ai/test',
            '@basebox/ai > @ai-sdk/mistral',
          ],
        },
        worker: { format: 'es' },
        test: {
          name: '@basebox/react (chromium)',
          root: here('packages/react'),
          include: ['src/**/*.browser.test.{ts,tsx}'],
          // A real @basebox/server on Node for the remote-client tests; provides `baseboxServer`.
          globalSetup: ['./src/remote/server.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: chromium(),
        },
      },
      {
        // The playground end to end: the built static site (e2e/serve-build.global-setup.ts builds
        // and serves it) driven in Debian's Chromium by playwright, from Node.
        test: {
          name: '@basebox/playground (e2e)',
          root: here('apps/playground'),
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['./e2e/serve-build.global-setup.ts'],
          // Last, alone: its PGlite worker would contend with the other browser projects' on 2 cores.
          sequence: { groupOrder: 3 },
          // One file at a time: the local run's PGlite and the remote run's server (apps/server on
          // PostgreSQL, started with DATABASE_URL) would contend for the same 2 cores.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      // The Storybook's stories, each rendered with its `play` interaction test, in Chromium
      // (`@basebox/stories (chromium)`; its config lives with the stories).
      './stories/vitest.config.ts',
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/ai',
          root: here('packages/ai'),
          include: ['src/**/*.test.ts'],
          setupFiles: ['src/testing/no-network.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/auth',
          root: here('packages/auth'),
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
