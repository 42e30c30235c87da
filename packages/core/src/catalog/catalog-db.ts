import type { Project, ProjectDatabase, TableDefinition, TableInfo } from '@basebox/client'
import type { ColumnType, Generated } from 'kysely'

/** The catalog tables, as kysely sees them. @internal */
export interface CatalogDB {
  projects: {
    id: Generated<string>
    owner_id: string
    name: string
    description: string | null
    created_at: Generated<Date>
    updated_at: ColumnType<Date, Date | undefined, Date | string>
  }
  project_databases: {
    id: string
    project_id: string
    name: Generated<string>
    schema_name: string
    role_name: string
    created_at: Generated<Date>
    schema_version: Generated<string>
  }
  audit_log: {
    id: Generated<string>
    project_id: string
    database_id: string | null
    actor: string
    action: string
    details: ColumnType<Record<string, unknown>, string, never>
    created_at: Generated<Date>
  }
  project_tables: {
    id: Generated<string>
    database_id: string
    table_name: string
    schema_json: ColumnType<TableDefinition, string, string>
    position: number
    created_at: Generated<Date>
    updated_at: ColumnType<Date, Date | undefined, Date | string>
  }
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString()
}

/** @internal */
export function toProject(row: {
  id: string
  owner_id: string
  name: string
  description: string | null
  created_at: Date
  updated_at: Date
}): Project {
  return {
    id: row.id,
    owner_id: row.owner_id,
    name: row.name,
    description: row.description,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }
}

/** @internal */
export function toProjectDatabase(row: {
  id: string
  project_id: string
  name: string
  schema_name: string
  role_name: string
  created_at: Date
}): ProjectDatabase {
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    schema_name: row.schema_name,
    role_name: row.role_name,
    created_at: iso(row.created_at),
  }
}

/** @internal */
export function toTableInfo(row: {
  id: string
  database_id: string
  table_name: string
  schema_json: TableDefinition | string
  created_at: Date
  updated_at: Date
}): TableInfo {
  return {
    id: row.id,
    database_id: row.database_id,
    name: row.table_name,
    definition: typeof row.schema_json === 'string' ? JSON.parse(row.schema_json) : row.schema_json,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }
}
