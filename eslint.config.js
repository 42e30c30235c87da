// ESLint flat config for the whole workspace. It enforces the dependency direction of
// STYLE.md B2 (`no-restricted-imports`) and forbids focused tests; everything else is
// typescript-eslint's recommended (non-type-checked) set.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

const SOURCE = ['**/*.{ts,tsx,mts,cts}']
// `*.test.worker.ts`: Web Worker entry points that browser tests start (not published either).
const TESTS = ['**/*.test.{ts,tsx}', '**/*.test-d.ts', '**/*.test.worker.ts']

/** Restrictions that hold in every package's `src/` (B2.5). */
const crossPackagePatterns = [
  {
    regex: '^(\\.\\./)+(.*/)?(src|packages)(/|$)',
    message:
      "Don't reach into another package's src/ with a relative path; import it by name through its `exports` (STYLE B2.5).",
  },
  {
    regex: '^@basebox/[^/]+/(src|dist)(/|$)',
    message:
      'Import @basebox packages through their `exports`, not their src/ or dist/ (STYLE B2.5).',
  },
]

/** Builds one `no-restricted-imports` setting; a later config object replaces it, never merges. */
const restrictImports = ({ paths = [], patterns = [] } = {}) => [
  'error',
  { paths, patterns: [...crossPackagePatterns, ...patterns] },
]

const clientOnlyZod = (extra = []) => ({
  regex: `^(?!\\.|zod(/|$)${extra.map((name) => `|${name}(/|$)`).join('')})`,
  message:
    '@basebox/client sits at the bottom: it imports only zod and its own files (STYLE B2.1).',
})

const noReact = {
  regex: '^(react|react-dom)(/|$)',
  message: '@basebox/core never imports React (STYLE B2.2); UI lives in @basebox/react.',
}
const noHttp = {
  regex: '^(node:)?(http|https|http2)$',
  message: '@basebox/core knows no HTTP beyond the global Request/Response (STYLE B2.2).',
}
const driverValues = {
  regex: '^(pg|@electric-sql/pglite)(/|$)',
  allowTypeImports: true,
  message:
    '@basebox/core never imports pg or PGlite values: drivers take a caller-built pool or instance typed by a local subset interface (STYLE B2.2). Use `import type`.',
}
const coreUpward = (allowed) => ({
  regex: `^@basebox/(?!(${allowed.join('|')})(/|$))`,
  message: '@basebox/core depends only on @basebox/client (DESIGN.md, dependency direction).',
})

const reactForbidden = {
  regex: '^(@basebox/(core|auth|server|ai)|kysely|pg|@electric-sql/pglite)(/|$)',
  message:
    '@basebox/react talks only to the BaseboxClient interface (@basebox/client); never core, kysely, pg or PGlite (STYLE B2.3). The local client is passed in by the host.',
}

const noReactAnywhere = {
  regex: '^(react|react-dom)(/|$)',
  message: 'Only @basebox/react imports React (STYLE B2.3).',
}
const noDriverValues = {
  regex: '^(pg|@electric-sql/pglite)(/|$)|^@basebox/core/(pg|pglite|pglite-worker)$',
  allowTypeImports: true,
  message:
    "Drivers are the host's to build: published code takes an engine (`Basebox`) and never builds a pg pool or a PGlite instance (STYLE B2.2). Tests and dev tools may.",
}
// auth -> core (and client, kysely for its own tables); never the packages above it.
const authUpward = {
  regex: '^@basebox/(server|ai|react)(/|$)',
  message:
    '@basebox/auth depends on @basebox/core and @basebox/client only; server, ai and react sit above it (DESIGN.md, dependency direction).',
}
// ai -> client, and core's pure planning (planChanges, databaseProblems, applyStepToModel): it
// never runs SQL, so no kysely and no drivers; never auth, server or react.
const aiUpward = {
  regex: '^(@basebox/(auth|server|react)|kysely)(/|$)',
  message:
    '@basebox/ai proposes and never runs SQL: it uses @basebox/client and the pure planning of @basebox/core, never kysely, auth, server or react (DESIGN.md; STYLE B2.4).',
}
const serverUpward = {
  regex: '^@basebox/react(/|$)',
  message: '@basebox/server never imports the React kit (DESIGN.md, dependency direction).',
}

const focusedTest = (object) => ({
  object,
  property: 'only',
  message: 'Focused tests skip the rest of the suite; remove `.only` before committing.',
})

export default defineConfig(
  { ignores: ['**/dist/**', '**/.turbo/**', '**/coverage/**', '**/storybook-static/**'] },
  { files: SOURCE, extends: [js.configs.recommended, tseslint.configs.recommended] },
  {
    files: SOURCE,
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        ...['it', 'test', 'describe', 'suite', 'bench'].map(focusedTest),
      ],
    },
  },

  // B2: dependency direction. Later objects replace earlier settings of the same rule.
  { files: ['packages/*/src/**'], rules: { 'no-restricted-imports': restrictImports() } },
  {
    files: ['packages/client/src/**'],
    rules: { 'no-restricted-imports': restrictImports({ patterns: [clientOnlyZod()] }) },
  },
  {
    files: TESTS.map((glob) => `packages/client/src/${glob}`),
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [clientOnlyZod(['vitest', 'fast-check'])],
      }),
    },
  },
  {
    files: ['packages/core/src/**'],
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [noReact, noHttp, driverValues, coreUpward(['client'])],
      }),
    },
  },
  {
    // Tests are not published (`files` excludes them), so they may build real pg pools and
    // PGlite instances to drive the conformance suite.
    files: TESTS.map((glob) => `packages/core/src/${glob}`),
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [noReact, noHttp, coreUpward(['client', 'core'])],
      }),
    },
  },
  {
    files: ['packages/auth/src/**'],
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [noReactAnywhere, noHttp, noDriverValues, authUpward],
      }),
    },
  },
  {
    files: ['packages/ai/src/**'],
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [noReactAnywhere, noHttp, noDriverValues, aiUpward],
      }),
    },
  },
  {
    files: ['packages/server/src/**'],
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [noReactAnywhere, noDriverValues, serverUpward],
      }),
    },
  },
  {
    // Tests, test support and dev tools (not published: see each package's `files`) run real
    // engines on pg or PGlite, and the server's tests start HTTP servers.
    files: [
      ...['auth', 'ai', 'server'].flatMap((name) =>
        TESTS.map((glob) => `packages/${name}/src/${glob}`),
      ),
      'packages/{auth,ai,server}/src/testing/**',
      'packages/server/src/testing.ts',
      'packages/ai/src/eval/**',
    ],
    rules: { 'no-restricted-imports': restrictImports({ patterns: [noReactAnywhere] }) },
  },
  {
    files: ['packages/react/src/**'],
    rules: { 'no-restricted-imports': restrictImports({ patterns: [reactForbidden] }) },
  },
  {
    // Tests and their support files run a real engine on PGlite to render against.
    files: [
      ...TESTS.map((glob) => `packages/react/src/${glob}`),
      'packages/react/src/test-support/**',
    ],
    rules: { 'no-restricted-imports': restrictImports() },
  },
)
