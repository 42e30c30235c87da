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
    ],
  },
})
