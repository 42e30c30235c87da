/**
 * Test helpers for Basebox and for hosts that test against it: harnesses over PGlite and
 * Postgres, fixtures, snapshots and catalog introspection. Nothing here imports a test runner, so
 * a host's own tests (any runner) can use it. The conformance suite every driver must pass, and
 * `expectCode`, are written for vitest and live in `@basebox/core/testing/vitest`.
 *
 * @module
 */
export * from './harness.js'
export * from './pglite-harness.js'
export * from './pg-harness.js'
export * from './introspect.js'
export * from './fixtures.js'
export * from './pglite-snapshot.js'
