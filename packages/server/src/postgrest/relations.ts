import type { TableDefinition } from '@basebox/client'
import { objectName } from '@basebox/core'
import { PostgrestError } from './errors.js'

/**
 * A relationship between two tables, as PostgREST detects them from foreign keys: to-one (the
 * source's column references the target), to-many (the target's column references the source),
 * or many-to-many through a junction table referencing both.
 */
export type Relationship =
  | {
      kind: 'one' | 'many'
      /** The other table. */
      table: string
      /** The foreign key's constraint name, as the DDL names it (`posts_author_id_fkey`). */
      constraint: string
      /** The column of the source table that joins. */
      localColumn: string
      /** The column of the other table that joins. */
      remoteColumn: string
      /** The referencing column (the one the foreign key is on). */
      fkColumn: string
    }
  | {
      kind: 'm2m'
      table: string
      junction: string
      /** The junction's column that references the source, and the source's column it references. */
      junctionSource: string
      sourceKey: string
      /** The junction's column that references the target, and the target's column it references. */
      junctionTarget: string
      targetKey: string
      constraints: [string, string]
    }

function fkConstraint(table: string, column: string): string {
  return objectName.foreignKey(table, column)
}

/**
 * Whether `table` joins two others through `a` and `b`: PostgREST asks that the two foreign-key
 * columns be part of one key. A Basebox table has one primary-key column, so the key is a unique
 * index covering both, or the table holds nothing else (its primary key, the two references and
 * columns filled by default, like `created_at`).
 */
export function isJunction(table: TableDefinition, a: string, b: string): boolean {
  if (
    table.indexes?.some(
      (index) => index.unique === true && index.columns.includes(a) && index.columns.includes(b),
    )
  ) {
    return true
  }
  return table.columns.every(
    (c) =>
      c.name === a ||
      c.name === b ||
      c.primary_key === true ||
      (c.default !== undefined && c.references === undefined),
  )
}

/** Every relationship of `source` among the database's tables. */
export function relationshipsOf(
  tables: ReadonlyMap<string, TableDefinition>,
  source: string,
): { relationship: Relationship; names: string[]; hints: string[] }[] {
  const def = tables.get(source)
  if (def === undefined) {
    return []
  }
  const out: { relationship: Relationship; names: string[]; hints: string[] }[] = []
  for (const column of def.columns) {
    const ref = column.references
    if (ref === undefined || !tables.has(ref.table)) {
      continue
    }
    const constraint = fkConstraint(source, column.name)
    const basebox =
      column.name.endsWith('_id') && column.name.length > 3 ? [column.name.slice(0, -3)] : []
    out.push({
      relationship: {
        kind: 'one',
        table: ref.table,
        constraint,
        localColumn: column.name,
        remoteColumn: ref.column ?? 'id',
        fkColumn: column.name,
      },
      names: [ref.table, column.name, constraint, ...basebox],
      hints: [constraint, column.name],
    })
  }
  for (const other of tables.values()) {
    for (const column of other.columns) {
      const ref = column.references
      if (ref?.table !== source) {
        continue
      }
      const constraint = fkConstraint(other.name, column.name)
      out.push({
        relationship: {
          kind: 'many',
          table: other.name,
          constraint,
          localColumn: ref.column ?? 'id',
          remoteColumn: column.name,
          fkColumn: column.name,
        },
        names: [other.name, constraint],
        hints: [constraint, column.name],
      })
      if (other.name === source) {
        continue
      }
      // `other` is a junction when another of its columns references a third table (or the source again).
      for (const second of other.columns) {
        const target = second.references
        if (
          second === column ||
          target === undefined ||
          target.table === other.name ||
          !tables.has(target.table) ||
          !isJunction(other, column.name, second.name)
        ) {
          continue
        }
        const constraints: [string, string] = [constraint, fkConstraint(other.name, second.name)]
        out.push({
          relationship: {
            kind: 'm2m',
            table: target.table,
            junction: other.name,
            junctionSource: column.name,
            sourceKey: ref.column ?? 'id',
            junctionTarget: second.name,
            targetKey: target.column ?? 'id',
            constraints,
          },
          names: [target.table],
          hints: [other.name, ...constraints],
        })
      }
    }
  }
  return out
}

function describe(
  source: string,
  r: Relationship,
): { cardinality: string; embedding: string; relationship: string } {
  if (r.kind === 'm2m') {
    return {
      cardinality: 'many-to-many',
      embedding: `${source} with ${r.table}`,
      relationship: `${r.junction} using ${r.constraints[0]}(${r.junctionSource}), ${r.constraints[1]}(${r.junctionTarget})`,
    }
  }
  const [from, to] = r.kind === 'one' ? [source, r.table] : [r.table, source]
  const [fromCol, toCol] =
    r.kind === 'one' ? [r.localColumn, r.remoteColumn] : [r.remoteColumn, r.localColumn]
  return {
    cardinality: r.kind === 'one' ? 'many-to-one' : 'one-to-many',
    embedding: `${source} with ${r.table}`,
    relationship: `${r.constraint} using ${from}(${fromCol}) and ${to}(${toCol})`,
  }
}

function hintOf(target: string, r: Relationship): string {
  return `${target}!${r.kind === 'm2m' ? r.junction : r.constraint}`
}

/**
 * The relationship an embed names, by PostgREST's rules: the target is a table, a foreign-key
 * column or a constraint name, and `!hint` (a constraint, a column or a junction table) picks
 * one of several. None is `PGRST200` (400); more than one is `PGRST201` (300) listing the
 * candidates, as PostgREST answers.
 */
export function resolveRelationship(
  tables: ReadonlyMap<string, TableDefinition>,
  source: string,
  target: string,
  hint: string | undefined,
): Relationship {
  const all = relationshipsOf(tables, source)
  let found = all.filter(
    (c) => c.names.includes(target) && (hint === undefined || c.hints.includes(hint)),
  )
  // A direct relationship named by its column or constraint wins over same-named junction paths.
  if (found.length > 1 && hint === undefined) {
    const exact = found.filter((c) => c.relationship.kind !== 'm2m' && c.names.indexOf(target) > 0)
    if (exact.length === 1) {
      found = exact
    }
  }
  if (found.length === 1) {
    return found[0]!.relationship
  }
  if (found.length === 0) {
    throw new PostgrestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${source}' and '${target}' in the schema cache`,
      {
        details: `Searched for a foreign key relationship between '${source}' and '${target}'${hint === undefined ? '' : ` using the hint '${hint}'`} in the schema 'public', but no matches were found.`,
      },
    )
  }
  throw new PostgrestError(
    300,
    'PGRST201',
    `Could not embed because more than one relationship was found for '${source}' and '${target}'`,
    {
      details: found.map((c) => describe(source, c.relationship)),
      hint: `Try changing '${target}' to one of the following: ${found.map((c) => `'${hintOf(target, c.relationship)}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
    },
  )
}
