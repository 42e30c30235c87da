/**
 * Export and import of project databases: JSON (definitions and rows), SQL scripts (for `psql`
 * and for Basebox), and CSV per table, all through a `DatabaseHandle`: each import is one
 * transaction, each export one snapshot.
 *
 * @module
 */
export * from './csv.js'
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  parseDatabaseExport,
  type DatabaseExport,
  type ExportedTable,
  type TransferProgress,
} from './export-format.js'
export { EXPORT_PAGE_ROWS } from './read-rows.js'
export { exportJSON, type ExportOptions } from './export-json.js'
export { exportSQL, SQL_EXPORT_HEADER, SQL_INSERT_ROWS } from './export-sql.js'
export { exportCSV, type CSVExportOptions } from './export-csv.js'
export * from './export-database.js'
export { parseSQLExport } from './import-sql.js'
export type { DatabaseImportOptions, DatabaseImportResult, ImportedTable } from './import-tables.js'
export { inferTableDefinition, inferColumnType, type InferredTable } from './infer-table.js'
export {
  importCSV,
  MAX_REJECTED_ROWS,
  type CSVImportOptions,
  type CSVImportResult,
  type RejectedRow,
} from './import-csv.js'
export * from './import-database.js'
