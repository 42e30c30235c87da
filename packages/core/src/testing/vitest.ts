/**
 * The vitest half of the test helpers: the conformance suite every driver must pass
 * (`describeDriverConformance`, `describeDriverDestroyConformance`) and `expectCode`. It imports vitest (an optional peer), so it is
 * a subpath of its own; `@basebox/core/testing` stays free of any test runner.
 *
 * @module
 */
export * from './conformance-destroy.js'
export * from './driver-conformance.js'
export * from './expect-code.js'
