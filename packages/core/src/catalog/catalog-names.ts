import { BaseboxError } from '@basebox/client'

/** The longest catalog schema name, so that derived role names stay under 63 bytes. */
export const MAX_CATALOG_SCHEMA_BYTES = 20

/** The Postgres setting that carries the owner id into the catalog's row-level security policies. */
export const OWNER_SETTING = 'basebox.owner_id'

/** The names Basebox derives from the catalog schema name. */
export interface CatalogNames {
  /** The catalog schema, e.g. `basebox`. */
  readonly schema: string
  /** The role catalog queries run as; row-level security applies to it. */
  readonly appRole: string
}

/** Checks a catalog schema name and derives the other names from it. */
export function catalogNames(schema: string): CatalogNames {
  if (
    !/^[a-z][a-z0-9_]*$/.test(schema) ||
    schema.length > MAX_CATALOG_SCHEMA_BYTES ||
    schema.startsWith('pg_')
  ) {
    throw new BaseboxError(
      'INVALID_IDENTIFIER',
      `invalid catalog schema ${JSON.stringify(schema)}: use at most ${MAX_CATALOG_SCHEMA_BYTES} lowercase letters, digits and underscores`,
    )
  }
  return { schema, appRole: `${schema}_app` }
}

/** The schema and role names of a project database, from its id. */
export function databaseObjectNames(
  catalog: CatalogNames,
  databaseId: string,
): { schema: string; role: string } {
  const hex = databaseId.replaceAll('-', '').toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) {
    throw new BaseboxError('INTERNAL', 'database id is not a UUID')
  }
  return { schema: `db_${hex}`, role: `${catalog.schema}_${hex}` }
}
