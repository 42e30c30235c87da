// The stories' interaction tests: every story rendered (and its `play` run) in Debian's headless
// Chromium by @storybook/addon-vitest, on the same engine over PGlite the Storybook uses. The root
// vitest.config.ts lists this file as the project `@basebox/stories (chromium)`.
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

process.env.STORYBOOK_DISABLE_TELEMETRY = '1'

export default defineConfig({
  plugins: [
    storybookTest({
      configDir: fileURLToPath(new URL('./.storybook', import.meta.url)),
      // Stories tagged `known-bug` render in Storybook but are reported as skipped here.
      tags: { skip: ['known-bug'] },
    }),
  ],
  test: {
    name: '@basebox/stories (chromium)',
    // Last, alone (see the core chromium project in the root vitest.config.ts).
    sequence: { groupOrder: 2 },
    root: fileURLToPath(new URL('.', import.meta.url)),
    // One stories file at a time: they share the page's engine directory (see src/engine.ts).
    fileParallelism: false,
    // The first story of a run starts PGlite and seeds (100,000 rows included): seconds on an idle
    // machine, over a minute on a loaded one.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      instances: [{ browser: 'chromium' }],
      // Debian's Chromium (TOOLCHAIN.md §6; .ci/run installs it). Never `playwright install`.
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
    },
  },
})
