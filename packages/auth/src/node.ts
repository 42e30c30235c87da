/**
 * Node-only parts of `@basebox/auth`: a password hasher on worker threads, so that hashing
 * never blocks the event loop of a server.
 *
 * @module
 */
export * from './password/worker-password-hasher.js'
