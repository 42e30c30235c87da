import {
  BaseboxError,
  parseTableDefinition,
  ValidationError,
  type ColumnDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import { applyStepToModel } from './apply-step-to-model.js'
import { isKey, findColumn, findTable, referencesTo, type DatabaseModel } from './database-model.js'
import { assertValidDatabase } from './database-problems.js'
import { orderByReferences } from './order-by-references.js'
import type { ChangePlan, PlanOptions, PlanStep } from './plan-step.js'

// Definitions come back from jsonb with their keys reordered: compare with keys sorted.
function stable(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stable)
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b))
}

function sameReference(
  a: ColumnDefinition['references'],
  b: ColumnDefinition['references'],
): boolean {
  return sameValue(a ?? null, b ?? null)
}

function indexKey(index: { columns: string[]; unique?: boolean | undefined }): string {
  return `${index.unique === true ? 'u' : 'i'}:${index.columns.join(',')}`
}

/**
 * Compares the current definitions of a database with the wanted ones and returns the typed
 * steps that turn one into the other: renames first, then what goes away, then what is new,
 * then column changes, then new references and indexes. Pure: no SQL runs.
 *
 * Renames cannot be told from a drop and a create, so they are given in `options`. Dropping a
 * table or column that a kept table still references is refused unless `options.cascade`.
 *
 * ### Examples
 *
 * ```ts
 * const plan = planChanges(current, [...current, { name: 'tags', columns: [{ name: 'id', type: 'uuid', primary_key: true }] }])
 * // plan.steps: [{ kind: 'create_table', table: { name: 'tags', ... } }]
 * ```
 */
export function planChanges(
  current: DatabaseModel,
  wantedInput: readonly TableDefinitionInput[],
  options: PlanOptions = {},
): ChangePlan {
  const wanted = wantedInput.map((table, i) => {
    try {
      return parseTableDefinition(table)
    } catch (error) {
      if (error instanceof ValidationError) {
        throw new ValidationError(
          error.message,
          error.issues.map((issue) => ({ ...issue, path: [i, ...issue.path] })),
          {
            code: error.code === 'INVALID_IDENTIFIER' ? 'INVALID_IDENTIFIER' : 'VALIDATION_FAILED',
          },
        )
      }
      throw error
    }
  })
  assertValidDatabase(wanted)

  const steps: PlanStep[] = []
  let model: DatabaseModel = current
  const push = (step: PlanStep) => {
    model = applyStepToModel(model, step)
    steps.push(step)
  }

  // 1. Renames.
  for (const [from, to] of Object.entries(options.renameTables ?? {})) {
    if (findTable(wanted, to) === undefined) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `renamed table ${JSON.stringify(to)} is not among the wanted tables`,
      )
    }
    push({ kind: 'rename_table', table: from, to })
  }
  for (const [tableName, columns] of Object.entries(options.renameColumns ?? {})) {
    for (const [from, to] of Object.entries(columns)) {
      push({ kind: 'rename_column', table: tableName, column: from, to })
    }
  }

  const kept = wanted.filter((t) => findTable(model, t.name) !== undefined)
  const created = wanted.filter((t) => findTable(model, t.name) === undefined)
  const dropped = model.filter((t) => findTable(wanted, t.name) === undefined).map((t) => t.name)

  // 2. What goes away: indexes, references that change or whose types change, unique keys.
  const later: PlanStep[] = []
  for (const want of kept) {
    const have = findTable(model, want.name)!
    const wantedIndexes = new Set((want.indexes ?? []).map(indexKey))
    for (const index of have.indexes ?? []) {
      if (
        !wantedIndexes.has(indexKey(index)) &&
        index.columns.every((c) => findColumn(want, c) !== undefined)
      ) {
        push({ kind: 'drop_index', table: want.name, index })
      }
    }
    for (const column of have.columns) {
      const next = findColumn(want, column.name)
      if (next === undefined || column.references === undefined) {
        continue
      }
      const target = findTable(model, column.references.table)
      const targetColumn = target && findColumn(target, column.references.column)
      const targetWanted = findTable(wanted, column.references.table)
      const targetTypeChanges =
        targetColumn !== undefined &&
        targetWanted !== undefined &&
        findColumn(targetWanted, column.references.column)?.type !== targetColumn.type
      if (
        !sameReference(column.references, next.references) ||
        next.type !== column.type ||
        targetTypeChanges
      ) {
        push({ kind: 'set_reference', table: want.name, column: column.name, references: null })
      }
    }
  }

  // 3. Dropped columns, then dropped tables (a table others reference goes last).
  for (const want of kept) {
    const have = findTable(model, want.name)!
    for (const column of have.columns) {
      if (findColumn(want, column.name) === undefined) {
        const refs = referencesTo(model, want.name, column.name).filter(
          (r) => !(r.table === want.name && r.column === column.name),
        )
        const allGoing = refs.every(
          (r) =>
            findColumn(findTable(wanted, r.table) ?? { name: r.table, columns: [] }, r.column) ===
            undefined,
        )
        push({
          kind: 'drop_column',
          table: want.name,
          column: column.name,
          ...(refs.length > 0 && (allGoing || options.cascade === true) ? { cascade: true } : {}),
        })
      }
    }
  }
  const dropOrder = [...dropped].sort(
    (a, b) => referencesTo(model, a).length - referencesTo(model, b).length,
  )
  for (const name of dropOrder) {
    const refs = referencesTo(model, name).filter((r) => r.table !== name)
    const allGoing = refs.every((r) => dropped.includes(r.table))
    push({
      kind: 'drop_table',
      table: name,
      ...(refs.length > 0 && (allGoing || options.cascade === true) ? { cascade: true } : {}),
    })
  }

  // 4. New tables (references among new tables may need to wait until both exist).
  for (const table of orderByReferences(created)) {
    const deferred: PlanStep[] = []
    const columns = table.columns.map((column) => {
      const ref = column.references?.table
      // A reference waits for a later step when its target column is not (yet) a key.
      const target =
        ref === undefined ? undefined : ref === table.name ? table : findTable(model, ref)
      const targetColumn = target && findColumn(target, column.references!.column)
      const ready =
        ref === undefined || (targetColumn !== undefined && isKey(target!, targetColumn))
      if (ready) {
        return column
      }
      deferred.push({
        kind: 'set_reference',
        table: table.name,
        column: column.name,
        references: column.references!,
      })
      const { references: _ref, ...rest } = column
      return rest
    })
    push({ kind: 'create_table', table: { ...table, columns } })
    later.push(...deferred)
  }

  // 5. New columns and changed columns.
  for (const want of kept) {
    for (const column of want.columns) {
      const have = findColumn(findTable(model, want.name)!, column.name)
      if (have === undefined) {
        // The key and the reference come in their own steps, once the old key is gone and the
        // referenced column exists.
        const { references, primary_key: _key, ...rest } = column
        push({ kind: 'add_column', table: want.name, column: rest })
        if (references !== undefined) {
          later.push({ kind: 'set_reference', table: want.name, column: column.name, references })
        }
        continue
      }
      if (have.type !== column.type) {
        push({ kind: 'change_type', table: want.name, column: column.name, to: column.type })
      }
      const now = findColumn(findTable(model, want.name)!, column.name)!
      if (!sameValue(now.default ?? null, column.default ?? null)) {
        push({
          kind: 'set_default',
          table: want.name,
          column: column.name,
          default: column.default ?? null,
        })
      }
      if ((now.required === true) !== (column.required === true)) {
        push({
          kind: 'set_required',
          table: want.name,
          column: column.name,
          required: column.required === true,
        })
      }
      if ((now.unique === true) !== (column.unique === true)) {
        push({
          kind: 'set_unique',
          table: want.name,
          column: column.name,
          unique: column.unique === true,
        })
      }
      if ((now.secret === true) !== (column.secret === true)) {
        push({
          kind: 'set_secret',
          table: want.name,
          column: column.name,
          secret: column.secret === true,
        })
      }
      if (!sameReference(now.references, column.references) && column.references !== undefined) {
        later.push({
          kind: 'set_reference',
          table: want.name,
          column: column.name,
          references: column.references,
        })
      }
    }
    if (!sameValue(findTable(model, want.name)!.access ?? null, want.access ?? null)) {
      later.push({ kind: 'set_access', table: want.name, access: want.access ?? null })
    }
    const havePK =
      findTable(model, want.name)!.columns.find((c) => c.primary_key === true)?.name ?? null
    const wantPK = want.columns.find((c) => c.primary_key === true)?.name ?? null
    if (havePK !== wantPK) {
      push({ kind: 'set_primary_key', table: want.name, column: wantPK })
    }
  }

  // 6. New references and indexes, once every table and column exists.
  for (const step of later) {
    push(step)
  }
  for (const want of kept) {
    const have = findTable(model, want.name)!
    const haveIndexes = new Set((have.indexes ?? []).map(indexKey))
    for (const index of want.indexes ?? []) {
      if (!haveIndexes.has(indexKey(index))) {
        push({ kind: 'create_index', table: want.name, index })
      }
    }
  }
  // 7. The wanted column order (new columns were added at the end).
  for (const want of kept) {
    const have = findTable(model, want.name)!
    const order = want.columns.map((c) => c.name)
    if (have.columns.map((c) => c.name).join(',') !== order.join(',')) {
      push({ kind: 'reorder_columns', table: want.name, columns: order })
    }
  }
  return { steps }
}
