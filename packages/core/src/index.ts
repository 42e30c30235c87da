/**
 * The Basebox engine: a database per project on PostgreSQL or PGlite, tables from JSON
 * definitions, schema changes as plans. Drivers live in `@basebox/core/pg` and
 * `@basebox/core/pglite`.
 *
 * @module
 */
export * from '@basebox/client'
export * from './basebox.js'
export * from './owner-scope.js'
export * from './database/database-handle.js'
export * from './default-tables.js'
export * from './driver/driver.js'
export { BatchStatementError } from './driver/wire.js'
export * from './ddl/plan-step.js'
export * from './ddl/plan-changes.js'
export * from './ddl/database-model.js'
export * from './ddl/database-problems.js'
export * from './ddl/apply-step-to-model.js'
export * from './ddl/compile-step.js'
export * from './ddl/identifier.js'
export * from './errors/from-database-error.js'
export * from './errors/not-found.js'
export * from './catalog/catalog-names.js'
export { CATALOG_VERSION, CATALOG_MIGRATIONS, type CatalogMigration } from './catalog/migrations.js'
export {
  lockCatalogMigrations,
  migrateSchema,
  type MigrateSchemaOptions,
  type SchemaMigration,
} from './catalog/migrate-schema.js'
export * from './records/coerce-value.js'
export {
  MAX_INSERT_ROWS,
  INSERT_CHUNK_ROWS,
  type WriteOptions,
  type UpsertOptions,
} from './records/compile-write.js'
export { MAX_EXPANDED_ROWS } from './records/compile-select.js'
export * from './sql-runner/split-statements.js'
export { configureSQLParser, type SQLParserOptions } from './sql-runner/configure-sql-parser.js'
export {
  MAX_SQL_LENGTH,
  MAX_SQL_RESULT_BYTES,
  MAX_SQL_STATEMENTS,
  type SQLOptions,
} from './sql-runner/sql-runner.js'
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntry,
  type AuditPage,
} from './catalog/audit-log.js'
export * from './records/record-operations.js'
export {
  clientRoleOf,
  AUTH_UID_FUNCTION,
  USER_ID_SETTING,
  USER_ROLE_SETTING,
} from './ddl/compile-access.js'
export * from './transfer/index.js'
export * from './local-client/local-client.js'
export * from './local-client/local-auth.js'
export * from './local-client/local-data-client.js'
export * from './local-client/import-request.js'
export { MANAGEMENT_REQUEST_SCHEMAS } from './local-client/check-arguments.js'
