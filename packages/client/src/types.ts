import type { TableDefinition } from './schema/table-definition.js'

/** A project of the host product, owned by one of the host's users. */
export interface Project {
  /** UUID. */
  id: string
  /** The host's user id that owns the project: opaque text. */
  owner_id: string
  name: string
  description: string | null
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp. */
  updated_at: string
}

/** The database of a project: a Postgres schema with a role of its own. */
export interface ProjectDatabase {
  /** UUID. */
  id: string
  project_id: string
  /** Display name. Default is `'main'`. */
  name: string
  /** The Postgres schema that holds the database's tables. */
  schema_name: string
  /** The Postgres role every operation on the database runs as. */
  role_name: string
  /** ISO 8601 timestamp. */
  created_at: string
}

/**
 * What the caller may do with a table's rows, as the engine will enforce it: a read-only owner
 * (`bb.owner(id, { readOnly: true })`, `createLocalClient(engine, id, { readOnly: true })`, or a
 * server whose `getOwner` says so) may select only. UIs use it to show a table read-only before
 * any write is refused.
 */
export interface TablePermissions {
  select: boolean
  insert: boolean
  update: boolean
  delete: boolean
}

/** A table of a project database, with its definition (the source of truth). */
export interface TableInfo {
  /** UUID. */
  id: string
  database_id: string
  name: string
  definition: TableDefinition
  /**
   * What the calling identity may do with the table's rows. Default (absent, e.g. from an
   * older server) is that every operation is allowed; a refused write is still a `FORBIDDEN`.
   */
  permissions?: TablePermissions
  /** ISO 8601 timestamp. */
  created_at: string
  /** ISO 8601 timestamp. */
  updated_at: string
}

/** A column of an SQL result. */
export interface SQLColumn {
  name: string
  /** The Postgres type, as `format_type` writes it (`integer`, `text`, `timestamp with time zone`). */
  type: string
}

/** What one statement of `db.sql()` returned. */
export interface SQLStatementResult {
  /** The command tag's verb: `SELECT`, `INSERT`, `UPDATE`, `CREATE`... */
  command: string
  columns: SQLColumn[]
  /** Rows as arrays in column order (column names may repeat). JSON values: timestamps as ISO strings, bytea as `\x` hex. */
  rows: unknown[][]
  /** Rows returned or affected. */
  rowCount: number
  /** Whether `rows` stops at `maxRows` and more rows were available. */
  truncated: boolean
}

/** What `db.sql()` returns: one result per statement, in order. */
export interface SQLRunResult {
  statements: SQLStatementResult[]
  /** Wall time of the whole run, in milliseconds. */
  durationMs: number
}
