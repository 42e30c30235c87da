/**
 * Test helpers for Basebox and for hosts that test against it: harnesses over PGlite and
 * Postgres, the conformance suite every driver must pass, and catalog introspection.
 *
 * @module
 */
export * from './harness.js'
export * from './pglite-harness.js'
export * from './pg-harness.js'
export * from './introspect.js'
export * from './fixtures.js'
export * from './driver-conformance.js'
export * from './pglite-snapshot.js'
export * from './expect-code.js'
