export * from './auth-users.js'
