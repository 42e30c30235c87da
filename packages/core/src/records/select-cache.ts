import { FILTER_OPERATORS, type ColumnDefinition } from '@basebox/client'
import { CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type RawBuilder } from 'kysely'
import { coerceValue, toParameter } from './coerce-value.js'
import type { FilterBinder } from './compile-filter.js'
import { isPlainObject, param } from './compile-filter.js'
import type { CompiledSelect } from './compile-select.js'
import { sqlType, type TableContext } from './table-context.js'

/**
 * The statement cache of selects. Compiling a select (checking the query, building the SQL with
 * kysely, compiling it) costs more JavaScript than the rest of a cheap read; most reads repeat a
 * few shapes (by id, by a foreign key, a page of a list) with other values. A shape's statement
 * is compiled once with a placeholder where each filter value goes; later queries of that shape
 * put their values there, each checked exactly as the compiler checks it. A value that fails the
 * check sends the query through the compiler, which throws the usual error.
 */

/** Where one filter value goes in a cached statement. @internal */
class Slot {
  constructor(readonly index: number) {}
}

/** What a slot holds: a value compared with a column (coerced to its type), or a pattern. */
type SlotKind = { kind: 'value'; column: ColumnDefinition } | { kind: 'pattern' }

/** A kysely that only compiles (no connection): the engine's dialects share this compiler. @internal */
export const COMPILE_ONLY = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

function isSlotted(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number'
}

/** A filter binder that puts a {@link Slot} where each string or number value goes. @internal */
export class TemplateBinder implements FilterBinder {
  readonly slots: SlotKind[] = []

  value(column: ColumnDefinition, value: unknown, path: (string | number)[]): RawBuilder<unknown> {
    if (!isSlotted(value)) {
      return param(column, value, path) // null, booleans: part of the shape, bound as they are
    }
    this.slots.push({ kind: 'value', column })
    return sql`cast(${new Slot(this.slots.length - 1)} as ${sqlType(column)})`
  }

  pattern(): unknown {
    this.slots.push({ kind: 'pattern' })
    return new Slot(this.slots.length - 1)
  }
}

const OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS)

interface Shape {
  parts: string[]
  values: unknown[]
}

/**
 * A compared value: strings and numbers are slots; null and booleans are part of the shape;
 * arrays only as the list of `in` (elsewhere an array is one value, a jsonb one).
 */
function leaf(value: unknown, shape: Shape, list = false): boolean {
  if (isSlotted(value)) {
    shape.values.push(value)
    shape.parts.push(typeof value === 'string' ? 's' : 'n')
    return true
  }
  if (value === null || value === true || value === false) {
    shape.parts.push(String(value))
    return true
  }
  if (list && Array.isArray(value)) {
    shape.parts.push('[')
    for (const element of value) {
      if (!isSlotted(element)) {
        return false
      }
      shape.values.push(element)
      shape.parts.push(typeof element === 'string' ? 's,' : 'n,')
    }
    shape.parts.push(']')
    return true
  }
  return false
}

/** Walks a filter in the order the compiler binds its values (see `compileNode`). */
function walk(filter: unknown, shape: Shape): boolean {
  if (!isPlainObject(filter)) {
    return false
  }
  shape.parts.push('{')
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) {
      continue
    }
    shape.parts.push(JSON.stringify(key), ':')
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) {
        return false
      }
      shape.parts.push('[')
      for (const branch of value) {
        if (!walk(branch, shape)) {
          return false
        }
        shape.parts.push(',')
      }
      shape.parts.push(']')
    } else if (key === 'not') {
      if (!walk(value, shape)) {
        return false
      }
    } else if (isPlainObject(value)) {
      shape.parts.push('{')
      for (const [operator, operand] of Object.entries(value)) {
        // Other objects are jsonb values or mistakes: the compiler deals with those.
        if (!OPERATORS.has(operator) || operand === undefined || !leaf(operand, shape, operator === 'in')) {
          return false
        }
        shape.parts.push(`:${operator},`)
      }
      shape.parts.push('}')
    } else if (!leaf(value, shape)) {
      return false
    }
  }
  shape.parts.push('}')
  return true
}

/**
 * The shape of a filter (its structure, with each string or number value replaced by its
 * kind) and its values in binding order; `undefined` for a filter the cache leaves alone.
 * @internal
 */
export function filterShape(where: unknown): { key: string; values: unknown[] } | undefined {
  if (where === undefined || where === null) {
    return { key: '', values: [] }
  }
  const shape: Shape = { parts: [], values: [] }
  return walk(where, shape) ? { key: shape.parts.join(''), values: shape.values } : undefined
}

interface Template extends Omit<CompiledSelect, 'statement'> {
  statement: CompiledQuery
  slots: SlotKind[]
}

/** Shapes kept per table definition (dropped with it when the schema changes). */
const MAX_SHAPES = 256
const templates = new WeakMap<TableContext, Map<string, Template>>()

/** Keeps the compiled statement of a shape. @internal */
export function rememberSelect(table: TableContext, key: string, template: Template): void {
  let shapes = templates.get(table)
  if (shapes === undefined) {
    shapes = new Map()
    templates.set(table, shapes)
  }
  if (shapes.size >= MAX_SHAPES) {
    shapes.clear()
  }
  shapes.set(key, template)
}

/** The cached statement of a shape with these values, or `undefined` (not cached, or a value fails its check). @internal */
export function cachedSelect(table: TableContext, key: string, values: readonly unknown[]): CompiledSelect | undefined {
  const template = templates.get(table)?.get(key)
  if (template === undefined || template.slots.length !== values.length) {
    return undefined
  }
  const bound: unknown[] = new Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const slot = template.slots[i]!
    const value = values[i]
    if (slot.kind === 'pattern') {
      if (typeof value !== 'string' || value.includes('\u0000')) {
        return undefined
      }
      bound[i] = value
    } else {
      const coerced = coerceValue(slot.column.type, value)
      if (!coerced.ok) {
        return undefined
      }
      bound[i] = toParameter(slot.column.type, coerced.value)
    }
  }
  const parameters = template.statement.parameters.map((p) => (p instanceof Slot ? bound[p.index] : p))
  return { ...template, statement: CompiledQuery.raw(template.statement.sql, parameters) }
}
