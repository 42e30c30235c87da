import type { ColumnDefinition, TableDefinition } from '@basebox/client'
import { columnSQL, columnTypeSQL, conversionSQL, defaultSQL } from './column-sql.js'
import { findColumn, findTable, referencesTo, type DatabaseModel } from './database-model.js'
import { objectName, quoteIdentifier as q } from './identifier.js'
import type { PlanStep } from './plan-step.js'

/** Where compiled DDL runs: the project's schema. */
export interface CompileContext {
  /** The Postgres schema of the project database. */
  schema: string
}

function qualified(ctx: CompileContext, name: string): string {
  return `${q(ctx.schema)}.${q(name)}`
}

function foreignKeySQL(ctx: CompileContext, table: string, column: ColumnDefinition): string {
  const ref = column.references!
  return `constraint ${q(objectName.foreignKey(table, column.name))} foreign key (${q(column.name)}) references ${qualified(ctx, ref.table)} (${q(ref.column)}) on delete ${ref.on_delete}`
}

function columnConstraints(ctx: CompileContext, table: string, column: ColumnDefinition): string[] {
  const out: string[] = []
  if (column.primary_key === true) {
    out.push(`constraint ${q(objectName.primaryKey(table))} primary key (${q(column.name)})`)
  }
  if (column.unique === true) {
    out.push(`constraint ${q(objectName.unique(table, column.name))} unique (${q(column.name)})`)
  }
  if (column.references !== undefined) {
    out.push(foreignKeySQL(ctx, table, column))
  }
  return out
}

function foreignKeyIndexSQL(ctx: CompileContext, table: string, column: string): string {
  return `create index ${q(objectName.foreignKeyIndex(table, column))} on ${qualified(ctx, table)} (${q(column)})`
}

function indexSQL(
  ctx: CompileContext,
  table: string,
  index: { columns: string[]; unique?: boolean | undefined },
): string {
  const unique = index.unique === true
  return `create ${unique ? 'unique ' : ''}index ${q(objectName.index(table, index.columns, unique))} on ${qualified(ctx, table)} (${index.columns.map(q).join(', ')})`
}

function dropIndexSQL(ctx: CompileContext, name: string): string {
  return `drop index if exists ${qualified(ctx, name)}`
}

function renameConstraint(ctx: CompileContext, table: string, from: string, to: string): string[] {
  return from === to
    ? []
    : [`alter table ${qualified(ctx, table)} rename constraint ${q(from)} to ${q(to)}`]
}

function renameIndex(ctx: CompileContext, from: string, to: string): string[] {
  return from === to ? [] : [`alter index ${qualified(ctx, from)} rename to ${q(to)}`]
}

/** The indexes Basebox made for foreign keys that point at `table` (and `column`) from elsewhere. */
function referencingIndexDrops(
  ctx: CompileContext,
  model: DatabaseModel,
  table: string,
  column?: string,
): string[] {
  return referencesTo(model, table, column)
    .filter((r) => r.table !== table)
    .map((r) => dropIndexSQL(ctx, objectName.foreignKeyIndex(r.table, r.column)))
}

/** `create table` with every column, key and reference, then the indexes. */
export function compileCreateTable(ctx: CompileContext, table: TableDefinition): string[] {
  const parts = [
    ...table.columns.map(columnSQL),
    ...table.columns.flatMap((c) => columnConstraints(ctx, table.name, c)),
  ]
  return [
    `create table ${qualified(ctx, table.name)} (\n  ${parts.join(',\n  ')}\n)`,
    // Row-level security is on from the start: with no policy, end users reach no row.
    `alter table ${qualified(ctx, table.name)} enable row level security`,
    ...table.columns
      .filter((c) => c.references !== undefined)
      .map((c) => foreignKeyIndexSQL(ctx, table.name, c.name)),
    ...(table.indexes ?? []).map((i) => indexSQL(ctx, table.name, i)),
  ]
}

/**
 * Compiles one plan step into the SQL statements that carry it out, given the model of the
 * database just before the step. Every name goes through `quoteIdentifier`; types and default
 * functions come from allowlists; literals are quoted for their type.
 */
export function compileStep(ctx: CompileContext, model: DatabaseModel, step: PlanStep): string[] {
  const table = findTable(model, step.kind === 'create_table' ? step.table.name : step.table)
  const target = qualified(ctx, step.kind === 'create_table' ? step.table.name : step.table)
  const column =
    table !== undefined && 'column' in step && typeof step.column === 'string'
      ? findColumn(table, step.column)
      : undefined
  switch (step.kind) {
    case 'create_table':
      return compileCreateTable(ctx, step.table)
    case 'drop_table':
      return [
        ...(step.cascade === true ? referencingIndexDrops(ctx, model, step.table) : []),
        `drop table ${target}${step.cascade === true ? ' cascade' : ''}`,
      ]
    case 'rename_table': {
      const from = step.table
      const to = step.to
      const renamed = qualified(ctx, to)
      const out = [`alter table ${target} rename to ${q(to)}`]
      for (const c of table!.columns) {
        if (c.primary_key === true) {
          out.push(
            ...renameIndexBackedConstraint(
              ctx,
              renamed,
              objectName.primaryKey(from),
              objectName.primaryKey(to),
            ),
          )
        }
        if (c.unique === true) {
          out.push(
            ...renameIndexBackedConstraint(
              ctx,
              renamed,
              objectName.unique(from, c.name),
              objectName.unique(to, c.name),
            ),
          )
        }
        if (c.references !== undefined) {
          out.push(
            ...renameConstraint(
              ctx,
              to,
              objectName.foreignKey(from, c.name),
              objectName.foreignKey(to, c.name),
            ),
          )
          out.push(
            ...renameIndex(
              ctx,
              objectName.foreignKeyIndex(from, c.name),
              objectName.foreignKeyIndex(to, c.name),
            ),
          )
        }
      }
      for (const i of table!.indexes ?? []) {
        const unique = i.unique === true
        out.push(
          ...renameIndex(
            ctx,
            objectName.index(from, i.columns, unique),
            objectName.index(to, i.columns, unique),
          ),
        )
      }
      return out
    }
    case 'add_column': {
      const c = step.column
      const out = [`alter table ${target} add column ${columnSQL(c)}`]
      out.push(
        ...columnConstraints(ctx, step.table, c).map((k) => `alter table ${target} add ${k}`),
      )
      if (c.references !== undefined) {
        out.push(foreignKeyIndexSQL(ctx, step.table, c.name))
      }
      return out
    }
    case 'drop_column':
      return [
        ...(step.cascade === true
          ? referencingIndexDrops(ctx, model, step.table, step.column)
          : []),
        `alter table ${target} drop column ${q(step.column)}${step.cascade === true ? ' cascade' : ''}`,
      ]
    case 'rename_column': {
      const from = step.column
      const to = step.to
      const out = [`alter table ${target} rename column ${q(from)} to ${q(to)}`]
      const c = column!
      if (c.unique === true) {
        out.push(
          ...renameIndexBackedConstraint(
            ctx,
            target,
            objectName.unique(step.table, from),
            objectName.unique(step.table, to),
          ),
        )
      }
      if (c.references !== undefined) {
        out.push(
          ...renameConstraint(
            ctx,
            step.table,
            objectName.foreignKey(step.table, from),
            objectName.foreignKey(step.table, to),
          ),
        )
        out.push(
          ...renameIndex(
            ctx,
            objectName.foreignKeyIndex(step.table, from),
            objectName.foreignKeyIndex(step.table, to),
          ),
        )
      }
      for (const i of table!.indexes ?? []) {
        if (i.columns.includes(from)) {
          const unique = i.unique === true
          const next = i.columns.map((x) => (x === from ? to : x))
          out.push(
            ...renameIndex(
              ctx,
              objectName.index(step.table, i.columns, unique),
              objectName.index(step.table, next, unique),
            ),
          )
        }
      }
      return out
    }
    case 'change_type': {
      const c = column!
      if (c.type === step.to) {
        return []
      }
      const out: string[] = []
      if (c.default !== undefined) {
        out.push(`alter table ${target} alter column ${q(c.name)} drop default`)
      }
      out.push(
        `alter table ${target} alter column ${q(c.name)} type ${columnTypeSQL(step.to)} using ${conversionSQL(q(c.name), c.type, step.to)}`,
      )
      return out
    }
    case 'set_required':
      return !step.required && column?.primary_key === true
        ? []
        : [
            `alter table ${target} alter column ${q(step.column)} ${step.required ? 'set' : 'drop'} not null`,
          ]
    case 'set_unique': {
      const name = q(objectName.unique(step.table, step.column))
      if (step.unique === (column!.unique === true)) {
        return []
      }
      return step.unique
        ? [`alter table ${target} add constraint ${name} unique (${q(step.column)})`]
        : [`alter table ${target} drop constraint ${name}`]
    }
    case 'set_default': {
      const fallback =
        step.default === null
          ? undefined
          : defaultSQL({ type: column!.type, default: step.default })
      return fallback === undefined
        ? [`alter table ${target} alter column ${q(step.column)} drop default`]
        : [`alter table ${target} alter column ${q(step.column)} set default ${fallback}`]
    }
    case 'set_reference': {
      const out: string[] = []
      if (column!.references !== undefined) {
        out.push(
          `alter table ${target} drop constraint ${q(objectName.foreignKey(step.table, step.column))}`,
        )
        out.push(dropIndexSQL(ctx, objectName.foreignKeyIndex(step.table, step.column)))
      }
      if (step.references !== null) {
        out.push(
          `alter table ${target} add ${foreignKeySQL(ctx, step.table, { ...column!, references: step.references })}`,
        )
        out.push(foreignKeyIndexSQL(ctx, step.table, step.column))
      }
      return out
    }
    case 'set_primary_key': {
      const current = table!.columns.find((c) => c.primary_key === true)
      if (current?.name === step.column) {
        return []
      }
      const out: string[] = []
      if (current !== undefined) {
        out.push(`alter table ${target} drop constraint ${q(objectName.primaryKey(step.table))}`)
        if (current.required !== true) {
          // A primary key made the column NOT NULL; the model says it may be null again.
          out.push(`alter table ${target} alter column ${q(current.name)} drop not null`)
        }
      }
      if (step.column !== null) {
        out.push(
          `alter table ${target} add constraint ${q(objectName.primaryKey(step.table))} primary key (${q(step.column)})`,
        )
      }
      return out
    }
    case 'reorder_columns':
      // Only the definition's order changes: Postgres cannot move a column.
      return []
    case 'set_secret':
    case 'set_access':
      // Grants and policies are rebuilt for every table at the end of each plan (see compileAccess).
      return []
    case 'create_index':
      return [indexSQL(ctx, step.table, step.index)]
    case 'drop_index':
      return [
        dropIndexSQL(
          ctx,
          objectName.index(step.table, step.index.columns, step.index.unique === true),
        ),
      ]
    default:
      return step satisfies never
  }
}

// Primary key and unique constraints own an index of the same name: renaming the constraint
// renames the index too.
function renameIndexBackedConstraint(
  _ctx: CompileContext,
  qualifiedTable: string,
  from: string,
  to: string,
): string[] {
  return from === to
    ? []
    : [`alter table ${qualifiedTable} rename constraint ${q(from)} to ${q(to)}`]
}
