import { FILTER_OPERATORS, type ColumnDefinition } from '@basebox/client'
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type RawBuilder,
} from 'kysely'
import { coerceValue, toParameter } from './coerce-value.js'
import { isPattern, isPlainObject, param, ValueSlot, type FilterBinder } from './compile-filter.js'
import type { CompiledSelect } from './compile-select.js'
import { sqlType, type TableContext } from './table-context.js'

/**
 * The statement cache of selects. Compiling a select (checking the query, building the SQL with
 * kysely, compiling it) costs more JavaScript than the rest of a cheap read; most reads repeat a
 * few shapes (by id, by a foreign key, a page of a list) with other values. A shape's statement
 * is compiled once with a placeholder where each filter value goes; later queries of that shape
 * put their values there, each checked exactly as the compiler checks it. A value that fails the
 * check sends the query through the compiler, which throws the usual error.
 *
 * One walk of the filter ({@link filterShape}) gives the shape's key and the values in a list.
 * To compile a shape, the same walk also gives a copy of the filter in which each of those
 * values is a {@link ValueSlot} holding its place in the list; the compiler binds the slots, so
 * the statement says which value goes where, whatever order the compiler visits the filter in.
 */

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

/**
 * The binder of a shape's statement: each {@link ValueSlot} becomes a placeholder, and its kind
 * is recorded at its place. Any other string or number reaching it was not taken out by the
 * walk: the statement would hold one query's value for every query of the shape, so the
 * template is marked `unfit` and never kept. @internal
 */
export class TemplateBinder implements FilterBinder {
  readonly slots: (SlotKind | undefined)[] = []
  unfit = false

  value(column: ColumnDefinition, value: unknown, path: (string | number)[]): RawBuilder<unknown> {
    if (!(value instanceof ValueSlot)) {
      this.unfit ||= isSlotted(value)
      return param(column, value, path) // null, booleans: part of the shape, bound as they are
    }
    this.slots[value.index] = { kind: 'value', column }
    return sql`cast(${value} as ${sqlType(column)})`
  }

  pattern(value: string | ValueSlot): unknown {
    if (!(value instanceof ValueSlot)) {
      this.unfit = true
      return value
    }
    this.slots[value.index] = { kind: 'pattern' }
    return value
  }
}

const OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS)

/** Returned by the walk for a filter the cache leaves to the compiler. */
const LEFT_ALONE: unique symbol = Symbol('left alone')

interface Shape {
  parts: string[]
  values: unknown[]
  /** Whether to build the copy of the filter with slots (only to compile a shape). */
  copy: boolean
}

/** Takes a string or number out of the filter: its kind joins the key, the value the list. */
function take(value: string | number, shape: Shape, separator: string): unknown {
  shape.values.push(value)
  shape.parts.push(typeof value === 'string' ? `s${separator}` : `n${separator}`)
  return shape.copy ? new ValueSlot(shape.values.length - 1) : value
}

/**
 * A compared value: strings and numbers are slots; null and booleans are part of the shape;
 * arrays only as the list of `in` (elsewhere an array is one value, a jsonb one).
 */
function leaf(value: unknown, shape: Shape, list = false): unknown {
  if (isSlotted(value)) {
    return take(value, shape, '')
  }
  if (value === null || value === true || value === false) {
    shape.parts.push(String(value))
    return value
  }
  if (list && Array.isArray(value)) {
    shape.parts.push('[')
    const copy: unknown[] | undefined = shape.copy ? new Array<unknown>(value.length) : undefined
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i]
      if (!isSlotted(element)) {
        return LEFT_ALONE // holes included
      }
      const taken = take(element, shape, ',')
      if (copy !== undefined) {
        copy[i] = taken
      }
    }
    shape.parts.push(']')
    return copy ?? value
  }
  return LEFT_ALONE
}

/**
 * Walks a filter: its key parts and values into `shape`, and back the filter itself, or with
 * `shape.copy` a copy whose taken values are slots (objects without a prototype, so that a key
 * like `__proto__` stays a key), or {@link LEFT_ALONE}.
 */
function walk(filter: unknown, shape: Shape): unknown {
  if (!isPlainObject(filter)) {
    return LEFT_ALONE
  }
  shape.parts.push('{')
  const copy: Record<string, unknown> | undefined = shape.copy
    ? (Object.create(null) as Record<string, unknown>)
    : undefined
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) {
      continue
    }
    shape.parts.push(JSON.stringify(key), ':')
    let walked: unknown
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) {
        return LEFT_ALONE
      }
      shape.parts.push('[')
      const branches: unknown[] | undefined = copy === undefined ? undefined : []
      for (const branch of value) {
        const inner = walk(branch, shape)
        if (inner === LEFT_ALONE) {
          return LEFT_ALONE
        }
        branches?.push(inner)
        shape.parts.push(',')
      }
      shape.parts.push(']')
      walked = branches
    } else if (key === 'not') {
      walked = walk(value, shape)
    } else if (isPlainObject(value)) {
      shape.parts.push('{')
      const operators: Record<string, unknown> | undefined =
        copy === undefined ? undefined : (Object.create(null) as Record<string, unknown>)
      for (const [operator, operand] of Object.entries(value)) {
        // Other objects are jsonb values or mistakes: the compiler deals with those.
        const inner =
          OPERATORS.has(operator) && operand !== undefined
            ? leaf(operand, shape, operator === 'in')
            : LEFT_ALONE
        if (inner === LEFT_ALONE) {
          return LEFT_ALONE
        }
        if (operators !== undefined) {
          operators[operator] = inner
        }
        shape.parts.push(`:${operator},`)
      }
      shape.parts.push('}')
      walked = operators
    } else {
      walked = leaf(value, shape)
    }
    if (walked === LEFT_ALONE) {
      return LEFT_ALONE
    }
    if (copy !== undefined) {
      copy[key] = walked
    }
  }
  shape.parts.push('}')
  return copy ?? filter
}

/** A filter's shape: its key, its taken values, and (to compile it) the filter with slots. @internal */
export interface FilterShape {
  /** The structure, with each string or number value replaced by its kind. */
  key: string
  /** The values taken out, in the order of their slots. */
  values: unknown[]
  /** With `copy`: the filter with the value at `values[i]` replaced by `new ValueSlot(i)`. */
  filter: unknown
}

/**
 * The shape of a filter (its structure, with each string or number value replaced by its kind)
 * and its values; `undefined` for a filter the cache leaves alone. With `copy`, also the filter
 * to compile the shape's statement from.
 * @internal
 */
export function filterShape(where: unknown, copy = false): FilterShape | undefined {
  if (where === undefined || where === null) {
    return { key: '', values: [], filter: where }
  }
  const shape: Shape = { parts: [], values: [], copy }
  const filter = walk(where, shape)
  return filter === LEFT_ALONE
    ? undefined
    : { key: shape.parts.join(''), values: shape.values, filter }
}

interface Template extends Omit<CompiledSelect, 'statement'> {
  statement: CompiledQuery
  slots: SlotKind[]
}

/** Shapes kept per table definition (dropped with it when the schema changes). */
const MAX_SHAPES = 256
const templates = new WeakMap<TableContext, Map<string, Template>>()

/**
 * Keeps the compiled statement of a shape, unless its binder found it unfit or some taken value
 * has no slot in it (the compiler never bound it; a fresh compile would not check it either).
 * @internal
 */
export function rememberSelect(
  table: TableContext,
  key: string,
  values: readonly unknown[],
  select: Omit<Template, 'slots'>,
  binder: TemplateBinder,
): void {
  const slots = binder.slots
  if (binder.unfit || slots.length !== values.length || slots.includes(undefined)) {
    return // `includes` sees holes as undefined
  }
  const template: Template = { ...select, slots: slots as SlotKind[] }
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
export function cachedSelect(
  table: TableContext,
  key: string,
  values: readonly unknown[],
): CompiledSelect | undefined {
  const template = templates.get(table)?.get(key)
  if (template === undefined || template.slots.length !== values.length) {
    return undefined
  }
  const bound: unknown[] = new Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const slot = template.slots[i]!
    const value = values[i]
    if (slot.kind === 'pattern') {
      if (!isPattern(value)) {
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
  const parameters = template.statement.parameters.map((p) =>
    p instanceof ValueSlot ? bound[p.index] : p,
  )
  return { ...template, statement: CompiledQuery.raw(template.statement.sql, parameters) }
}
