import { defineConfig } from 'vitest/config'

const conditions = ['@basebox/source', 'node']
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
        test: { name: '@basebox/example-server', root: 'apps/server', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        resolve,
        ssr,
        test: { name: '@basebox/server', root: 'packages/server', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        resolve,
        ssr,
        test: { name: '@basebox/client', root: 'packages/client', include: ['src/**/*.test.ts'] },
      },
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/core',
          root: 'packages/core',
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: '@basebox/ai',
          root: 'packages/ai',
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
          root: 'packages/auth',
          include: ['src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
