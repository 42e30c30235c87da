import {
  BaseboxError,
  parseTableDefinition,
  ValidationError,
  type ColumnDefinition,
  type ColumnType,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/client'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { USERS_TABLE } from '../default-tables.js'
import { BLOG_TABLES } from '../testing/fixtures.js'
import { compileStep } from './compile-step.js'
import { applyStepToModel } from './apply-step-to-model.js'
import { findColumn, findTable, type DatabaseModel } from './database-model.js'
import { databaseProblems } from './database-problems.js'
import { planChanges } from './plan-changes.js'
import type { PlanOptions, PlanStep } from './plan-step.js'

/**
 * Property tests are bounded by their number of runs (`numRuns`), never by time; this is the time
 * such a test may take on a busy machine (a budget, not a measurement).
 */
const PROPERTY_BUDGET_MS = 120_000

const BLOG: DatabaseModel = [USERS_TABLE, ...BLOG_TABLES.map(parseTableDefinition)]

/** `model` with table `name` replaced by `change(table)`. */
function edit(
  model: DatabaseModel,
  name: string,
  change: (table: TableDefinition) => TableDefinitionInput,
): TableDefinitionInput[] {
  return model.map((t) => (t.name === name ? change(t) : t))
}

/** `table` with column `name` replaced by `change(column)` (or dropped when it returns undefined). */
function column(
  table: TableDefinition,
  name: string,
  change: (column: ColumnDefinition) => ColumnDefinition | undefined,
): TableDefinitionInput {
  return {
    ...table,
    columns: table.columns.flatMap((c) => (c.name === name ? (change(c) ?? []) : [c])),
  }
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _gone, ...rest } = value
  return rest
}

function isKey(table: TableDefinition, name: string): boolean {
  const c = findColumn(table, name)
  return (
    c !== undefined &&
    (c.primary_key === true ||
      c.unique === true ||
      (table.indexes ?? []).some(
        (i) => i.unique === true && i.columns.length === 1 && i.columns[0] === name,
      ))
  )
}

/**
 * Replays `steps` the way `applyPlan` runs them, checking what Postgres would check: every step
 * fits the model before it and compiles, and every foreign key it makes points at a key column of
 * the same type that already exists. Returns the model after the last step.
 */
function replay(current: DatabaseModel, steps: readonly PlanStep[]): DatabaseModel {
  let model = current
  for (const [i, step] of steps.entries()) {
    const where = `step ${i} ${JSON.stringify(step)}`
    expect(() => compileStep({ schema: 'db_1' }, model, step), where).not.toThrow()
    const made: { table: string; column: ColumnDefinition }[] =
      step.kind === 'create_table'
        ? step.table.columns.map((c) => ({ table: step.table.name, column: c }))
        : step.kind === 'add_column'
          ? [{ table: step.table, column: step.column }]
          : step.kind === 'set_reference' && step.references !== null
            ? [
                {
                  table: step.table,
                  column: {
                    ...findColumn(findTable(model, step.table)!, step.column)!,
                    references: step.references,
                  },
                },
              ]
            : []
    const next = applyStepToModel(model, step)
    for (const { table, column: c } of made) {
      if (c.references === undefined) {
        continue
      }
      // A self-reference is made with its table; anything else must exist before the step.
      const source = c.references.table === table ? next : model
      const target = findTable(source, c.references.table)
      expect(target, `${where}: referenced table exists`).toBeDefined()
      expect(
        findColumn(target!, c.references.column),
        `${where}: referenced column exists`,
      ).toBeDefined()
      expect(isKey(target!, c.references.column), `${where}: referenced column is a key`).toBe(true)
      expect(findColumn(target!, c.references.column)!.type, `${where}: same type`).toBe(c.type)
    }
    model = next
  }
  return model
}

/** A model in a form where order and `false` flags do not matter. */
function normal(model: readonly TableDefinitionInput[]): unknown {
  return model
    .map((t) => parseTableDefinition(t))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({
      name: t.name,
      columns: t.columns
        .map((c) =>
          Object.fromEntries(Object.entries(c).filter(([, v]) => v !== false && v !== undefined)),
        )
        .sort((a, b) => String(a.name).localeCompare(String(b.name))),
      indexes: (t.indexes ?? [])
        .map((i) => `${i.unique === true ? 'u' : 'i'}:${i.columns.join(',')}`)
        .sort(),
    }))
}

/** Plans, replays and checks that the replay ends exactly at `wanted`. */
function plan(
  current: DatabaseModel,
  wanted: readonly TableDefinitionInput[],
  options?: PlanOptions,
): PlanStep[] {
  const { steps } = planChanges(current, wanted, options)
  expect(normal(replay(current, steps))).toEqual(normal(wanted))
  return steps
}

function thrown(fn: () => unknown): BaseboxError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(BaseboxError)
    return error as BaseboxError
  }
  throw new Error('expected an error')
}

describe('planChanges', () => {
  it('plans nothing when nothing changes', () => {
    expect(planChanges(BLOG, BLOG)).toEqual({ steps: [] })
    expect(planChanges(BLOG, JSON.parse(JSON.stringify(BLOG)))).toEqual({ steps: [] })
  })

  it('is pure: the models given are left alone', () => {
    const current = JSON.stringify(BLOG)
    const wanted = edit(BLOG, 'posts', (t) => column(t, 'body', () => undefined))
    const copy = JSON.stringify(wanted)
    planChanges(BLOG, wanted)
    expect(JSON.stringify(BLOG)).toBe(current)
    expect(JSON.stringify(wanted)).toBe(copy)
  })

  it('reorders the columns of a kept table with one step that compiles to no SQL, after new columns are added', () => {
    const wanted = edit(BLOG, 'posts', (t) => ({
      ...t,
      columns: [{ name: 'subtitle', type: 'text' }, ...[...t.columns].reverse()],
    }))
    const { steps } = planChanges(BLOG, wanted)
    const posts = findTable(BLOG, 'posts')!
    expect(steps).toEqual([
      { kind: 'add_column', table: 'posts', column: { name: 'subtitle', type: 'text' } },
      {
        kind: 'reorder_columns',
        table: 'posts',
        columns: ['subtitle', ...[...posts.columns].reverse().map((c) => c.name)],
      },
    ])
    const after = applyStepToModel(applyStepToModel(BLOG, steps[0]!), steps[1]!)
    expect(compileStep({ schema: 's' }, applyStepToModel(BLOG, steps[0]!), steps[1]!)).toEqual([])
    expect(findTable(after, 'posts')!.columns.map((c) => c.name)).toEqual(
      wanted.find((t) => t.name === 'posts')!.columns.map((c) => c.name),
    )
    expect(() =>
      applyStepToModel(BLOG, { kind: 'reorder_columns', table: 'posts', columns: ['id', 'id'] }),
    ).toThrow(BaseboxError)
  })

  describe('tables', () => {
    it('creates a new table, in its normal form', () => {
      const tags = {
        name: 'tags',
        columns: [{ name: 'id', type: 'uuid', primary_key: true, default: 'GEN_RANDOM_UUID()' }],
      } satisfies TableDefinitionInput
      expect(plan(BLOG, [...BLOG, tags])).toEqual([
        { kind: 'create_table', table: parseTableDefinition(tags) },
      ])
    })

    it('drops a table nothing references', () => {
      expect(plan(BLOG, BLOG.slice(0, 2))).toEqual([{ kind: 'drop_table', table: 'comments' }])
    })

    it('refuses to drop a table that a kept table still references', () => {
      const error = thrown(() => planChanges(BLOG, [BLOG[0]!, BLOG[2]!]))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.code).toBe('VALIDATION_FAILED')
      expect((error as ValidationError).issues).toEqual([
        {
          path: [1, 'columns', 1, 'references', 'table'],
          message: 'referenced table "posts" does not exist',
        },
      ])
    })

    it('drops a referenced table once the references to it go in the same plan', () => {
      const comments = column(BLOG[2]!, 'post_id', (c) => without(c, 'references'))
      expect(plan(BLOG, [BLOG[0]!, comments])).toEqual([
        { kind: 'set_reference', table: 'comments', column: 'post_id', references: null },
        { kind: 'drop_table', table: 'posts' },
      ])
    })

    it('drops referencing tables before the tables they reference', () => {
      expect(plan(BLOG, [USERS_TABLE])).toEqual([
        { kind: 'drop_table', table: 'comments' },
        { kind: 'drop_table', table: 'posts' },
      ])
    })

    it('cascades on its own when the tables that reference a dropped table are dropped too (a cycle)', () => {
      const cycle = [
        ...BLOG,
        ...[
          {
            name: 'a',
            columns: [
              { name: 'id', type: 'uuid', primary_key: true },
              { name: 'b_id', type: 'uuid', references: { table: 'b' } },
            ],
          },
          {
            name: 'b',
            columns: [
              { name: 'id', type: 'uuid', primary_key: true },
              { name: 'a_id', type: 'uuid', references: { table: 'a' } },
            ],
          },
        ].map(parseTableDefinition),
      ]
      expect(plan(cycle, BLOG)).toEqual([
        { kind: 'drop_table', table: 'a', cascade: true },
        { kind: 'drop_table', table: 'b' },
      ])
    })

    it('renames a table given in options, and the references to it follow', () => {
      const wanted = edit(BLOG, 'posts', (t) => ({ ...t, name: 'articles' })).map((t) =>
        t.name === 'comments'
          ? column(t as TableDefinition, 'post_id', (c) => ({
              ...c,
              references: { ...c.references!, table: 'articles' },
            }))
          : t,
      )
      expect(plan(BLOG, wanted, { renameTables: { posts: 'articles' } })).toEqual([
        { kind: 'rename_table', table: 'posts', to: 'articles' },
      ])
    })

    it('without the option, a rename is a drop and a create', () => {
      const wanted = edit(BLOG, 'comments', (t) => ({ ...t, name: 'replies' }))
      expect(plan(BLOG, wanted).map((s) => s.kind)).toEqual(['drop_table', 'create_table'])
    })

    it('refuses a rename to a table that is not wanted, or from one that does not exist', () => {
      expect(
        thrown(() => planChanges(BLOG, BLOG, { renameTables: { posts: 'articles' } })).code,
      ).toBe('VALIDATION_FAILED')
      expect(
        thrown(() =>
          planChanges(
            BLOG,
            edit(BLOG, 'comments', (t) => ({ ...t, name: 'x' })),
            { renameTables: { nope: 'x' } },
          ),
        ).code,
      ).toBe('NOT_FOUND')
    })
  })

  describe('new tables that reference each other', () => {
    const a = {
      name: 'a',
      columns: [{ name: 'id', type: 'uuid', primary_key: true }],
    } satisfies TableDefinitionInput
    const b = {
      name: 'b',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true },
        { name: 'a_id', type: 'uuid', references: { table: 'a' } },
      ],
    } satisfies TableDefinitionInput

    it('creates a referenced table first, whatever the order given', () => {
      expect(
        plan(BLOG, [...BLOG, b, a]).map((s) => (s.kind === 'create_table' ? s.table.name : s.kind)),
      ).toEqual(['a', 'b'])
    })

    it('creates a chain in dependency order', () => {
      const c = {
        name: 'c',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true },
          { name: 'b_id', type: 'uuid', references: { table: 'b' } },
        ],
      } satisfies TableDefinitionInput
      expect(
        plan(BLOG, [...BLOG, c, b, a]).map((s) =>
          s.kind === 'create_table' ? s.table.name : s.kind,
        ),
      ).toEqual(['a', 'b', 'c'])
    })

    it('breaks a cycle by adding one reference after both tables exist', () => {
      const x = {
        name: 'x',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true },
          { name: 'y_id', type: 'uuid', references: { table: 'y' } },
        ],
      } satisfies TableDefinitionInput
      const y = {
        name: 'y',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true },
          { name: 'x_id', type: 'uuid', references: { table: 'x' } },
        ],
      } satisfies TableDefinitionInput
      const steps = plan(BLOG, [...BLOG, x, y])
      expect(steps).toEqual([
        {
          kind: 'create_table',
          table: {
            name: 'y',
            columns: [
              { name: 'id', type: 'uuid', primary_key: true },
              { name: 'x_id', type: 'uuid' },
            ],
          },
        },
        { kind: 'create_table', table: parseTableDefinition(x) },
        {
          kind: 'set_reference',
          table: 'y',
          column: 'x_id',
          references: { table: 'x', column: 'id', on_delete: 'no action' },
        },
      ])
    })

    it('keeps a self-reference in the create_table', () => {
      const tree = {
        name: 'nodes',
        columns: [
          { name: 'id', type: 'uuid', primary_key: true },
          { name: 'parent_id', type: 'uuid', references: { table: 'nodes' } },
        ],
      } satisfies TableDefinitionInput
      expect(plan(BLOG, [...BLOG, tree])).toEqual([
        { kind: 'create_table', table: parseTableDefinition(tree) },
      ])
    })

    it('creates a table that references a column added to a kept table in the same plan', () => {
      const users = {
        ...USERS_TABLE,
        columns: [...USERS_TABLE.columns, { name: 'handle', type: 'text' as const, unique: true }],
      }
      const profiles = {
        name: 'profiles',
        columns: [
          {
            name: 'handle',
            type: 'text',
            primary_key: true,
            references: { table: 'users', column: 'handle' },
          },
        ],
      } satisfies TableDefinitionInput
      plan(BLOG, [users, ...BLOG.slice(1), profiles])
    })

    it('creates a table that references a kept column made unique in the same plan', () => {
      const users = column(USERS_TABLE, 'full_name', (c) => ({ ...c, unique: true }))
      const cards = {
        name: 'cards',
        columns: [
          { name: 'owner_name', type: 'text', references: { table: 'users', column: 'full_name' } },
        ],
      } satisfies TableDefinitionInput
      plan(BLOG, [users, ...BLOG.slice(1), cards])
    })
  })

  describe('columns', () => {
    const posts = BLOG[1]!

    it('adds a column', () => {
      expect(
        plan(
          BLOG,
          edit(BLOG, 'posts', (t) => ({
            ...t,
            columns: [...t.columns, { name: 'subtitle', type: 'text', default: 'none' }],
          })),
        ),
      ).toEqual([
        {
          kind: 'add_column',
          table: 'posts',
          column: { name: 'subtitle', type: 'text', default: 'none' },
        },
      ])
    })

    it('adds a referencing column first and its reference last', () => {
      const steps = plan(
        BLOG,
        edit(BLOG, 'posts', (t) => ({
          ...t,
          columns: [
            ...t.columns,
            { name: 'editor_id', type: 'uuid', references: { table: 'users' } },
          ],
          indexes: [],
        })),
      )
      expect(steps).toEqual([
        { kind: 'drop_index', table: 'posts', index: { columns: ['created_at'] } },
        { kind: 'add_column', table: 'posts', column: { name: 'editor_id', type: 'uuid' } },
        {
          kind: 'set_reference',
          table: 'posts',
          column: 'editor_id',
          references: { table: 'users', column: 'id', on_delete: 'no action' },
        },
      ])
    })

    it('adds a column that becomes the primary key through set_primary_key', () => {
      const tags = parseTableDefinition({
        name: 'tags',
        columns: [{ name: 'label', type: 'text' }],
      })
      const steps = plan(
        [...BLOG, tags],
        [
          ...BLOG,
          {
            name: 'tags',
            columns: [
              { name: 'label', type: 'text' },
              { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
            ],
          },
        ],
      )
      expect(steps).toEqual([
        {
          kind: 'add_column',
          table: 'tags',
          column: { name: 'id', type: 'uuid', default: 'gen_random_uuid()' },
        },
        { kind: 'set_primary_key', table: 'tags', column: 'id' },
      ])
    })

    it('drops a column', () => {
      expect(
        plan(
          BLOG,
          edit(BLOG, 'posts', (t) => column(t, 'body', () => undefined)),
        ),
      ).toEqual([{ kind: 'drop_column', table: 'posts', column: 'body' }])
    })

    it('drops a referenced column together with the column that references it, in any table order', () => {
      const current = [
        ...BLOG,
        ...[
          {
            name: 'codes',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'code', type: 'text', unique: true },
            ],
          },
          {
            name: 'uses',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'code', type: 'text', references: { table: 'codes', column: 'code' } },
            ],
          },
        ].map(parseTableDefinition),
      ]
      const wanted = current.map((t) =>
        t.name === 'codes' || t.name === 'uses' ? column(t, 'code', () => undefined) : t,
      )
      const steps = plan(current, wanted)
      expect(steps.map((s) => s.kind)).toEqual(['drop_column', 'drop_column'])
      // The other order of tables must plan too.
      plan(current, [...wanted.slice(0, 3), wanted[4]!, wanted[3]!])
    })

    it('renames a column given in options (keyed by the wanted table name), with a table rename too', () => {
      const wanted = edit(BLOG, 'posts', (t) =>
        column({ ...t, name: 'articles' }, 'body', (c) => ({ ...c, name: 'content' })),
      ).map((t) =>
        t.name === 'comments'
          ? column(t as TableDefinition, 'post_id', (c) => ({
              ...c,
              references: { ...c.references!, table: 'articles' },
            }))
          : t,
      )
      expect(
        plan(BLOG, wanted, {
          renameTables: { posts: 'articles' },
          renameColumns: { articles: { body: 'content' } },
        }),
      ).toEqual([
        { kind: 'rename_table', table: 'posts', to: 'articles' },
        { kind: 'rename_column', table: 'articles', column: 'body', to: 'content' },
      ])
    })

    it('without the option, a column rename is a drop and an add', () => {
      const wanted = edit(BLOG, 'posts', (t) =>
        column(t, 'body', (c) => ({ ...c, name: 'content' })),
      )
      expect(plan(BLOG, wanted).map((s) => s.kind)).toEqual([
        'drop_column',
        'add_column',
        'reorder_columns',
      ])
    })

    it('changes a type, then sets the default again (the old one belonged to the old type)', () => {
      expect(
        plan(
          BLOG,
          edit(BLOG, 'posts', (t) => column(t, 'views', (c) => ({ ...c, type: 'bigint' }))),
        ),
      ).toEqual([
        { kind: 'change_type', table: 'posts', column: 'views', to: 'bigint' },
        { kind: 'set_default', table: 'posts', column: 'views', default: 0 },
      ])
    })

    it('changes the type of both ends of a reference: reference off, types, reference on', () => {
      const toText = (c: ColumnDefinition): ColumnDefinition => ({
        ...without(c, 'default'),
        type: 'text',
      })
      const wanted = [
        column(USERS_TABLE, 'id', toText),
        column(posts, 'author_id', toText),
        column(BLOG[2]!, 'author_id', toText),
      ]
      expect(plan(BLOG, wanted)).toEqual([
        { kind: 'set_reference', table: 'posts', column: 'author_id', references: null },
        { kind: 'set_reference', table: 'comments', column: 'author_id', references: null },
        { kind: 'change_type', table: 'users', column: 'id', to: 'text' },
        { kind: 'change_type', table: 'posts', column: 'author_id', to: 'text' },
        { kind: 'change_type', table: 'comments', column: 'author_id', to: 'text' },
        {
          kind: 'set_reference',
          table: 'posts',
          column: 'author_id',
          references: { table: 'users', column: 'id', on_delete: 'cascade' },
        },
        {
          kind: 'set_reference',
          table: 'comments',
          column: 'author_id',
          references: { table: 'users', column: 'id', on_delete: 'set null' },
        },
      ])
    })

    it('sets and clears required, unique, default and secret', () => {
      const wanted = edit(BLOG, 'posts', (t) => ({
        ...t,
        columns: t.columns.map((c) =>
          c.name === 'title'
            ? { ...without(c, 'required'), unique: true, default: 'untitled', secret: true }
            : c.name === 'views'
              ? without(c, 'default')
              : c.name === 'body'
                ? { ...c, required: true }
                : c,
        ),
      }))
      expect(plan(BLOG, wanted)).toEqual([
        { kind: 'set_default', table: 'posts', column: 'title', default: 'untitled' },
        { kind: 'set_required', table: 'posts', column: 'title', required: false },
        { kind: 'set_unique', table: 'posts', column: 'title', unique: true },
        { kind: 'set_secret', table: 'posts', column: 'title', secret: true },
        { kind: 'set_required', table: 'posts', column: 'body', required: true },
        { kind: 'set_default', table: 'posts', column: 'views', default: null },
      ])
    })

    it('treats a null default and no default alike', () => {
      expect(
        planChanges(
          BLOG,
          edit(BLOG, 'posts', (t) => column(t, 'body', (c) => ({ ...c, default: null }))),
        ),
      ).toEqual({ steps: [] })
    })

    it('changes a reference: the old one goes first, the new one comes last', () => {
      const wanted = edit(BLOG, 'comments', (t) =>
        column(t, 'author_id', (c) => ({
          ...c,
          references: { ...c.references!, on_delete: 'cascade' },
        })),
      )
      expect(plan(BLOG, wanted)).toEqual([
        { kind: 'set_reference', table: 'comments', column: 'author_id', references: null },
        {
          kind: 'set_reference',
          table: 'comments',
          column: 'author_id',
          references: { table: 'users', column: 'id', on_delete: 'cascade' },
        },
      ])
    })

    it('moves the primary key', () => {
      const tags = parseTableDefinition({
        name: 'tags',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'code', type: 'text' },
        ],
      })
      const steps = plan(
        [...BLOG, tags],
        [
          ...BLOG,
          {
            name: 'tags',
            columns: [
              { name: 'id', type: 'integer' },
              { name: 'code', type: 'text', primary_key: true },
            ],
          },
        ],
      )
      expect(steps).toEqual([{ kind: 'set_primary_key', table: 'tags', column: 'code' }])
    })
  })

  describe('indexes', () => {
    it('creates new indexes after everything else, and drops old ones before', () => {
      const wanted = edit(BLOG, 'posts', (t) => ({
        ...t,
        indexes: [{ columns: ['title', 'views'], unique: true }],
      }))
      expect(plan(BLOG, wanted)).toEqual([
        { kind: 'drop_index', table: 'posts', index: { columns: ['created_at'] } },
        {
          kind: 'create_index',
          table: 'posts',
          index: { columns: ['title', 'views'], unique: true },
        },
      ])
    })

    it('turns an index unique by replacing it', () => {
      const wanted = edit(BLOG, 'posts', (t) => ({
        ...t,
        indexes: [{ columns: ['created_at'], unique: true }],
      }))
      expect(plan(BLOG, wanted).map((s) => s.kind)).toEqual(['drop_index', 'create_index'])
    })

    it('lets an index go with its column, without a drop_index of its own', () => {
      const wanted = edit(BLOG, 'posts', (t) => ({
        ...column(t, 'created_at', () => undefined),
        indexes: [],
      }))
      expect(plan(BLOG, wanted)).toEqual([
        { kind: 'drop_column', table: 'posts', column: 'created_at' },
      ])
    })
  })

  describe('refuses bad wanted definitions before planning anything', () => {
    it('with the index of the table in front of each path', () => {
      const error = thrown(() =>
        planChanges(BLOG, [
          ...BLOG,
          { name: 'tags', columns: [{ name: 'id', type: 'varchar' as ColumnType }] },
        ]),
      )
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.code).toBe('VALIDATION_FAILED')
      expect((error as ValidationError).issues[0]!.path).toEqual([3, 'columns', 0, 'type'])
    })

    it('keeping INVALID_IDENTIFIER for bad names', () => {
      const error = thrown(() =>
        planChanges(BLOG, [...BLOG, { name: 'Tags', columns: [{ name: 'id', type: 'uuid' }] }]),
      )
      expect(error.code).toBe('INVALID_IDENTIFIER')
      expect((error as ValidationError).issues[0]!.path).toEqual([3, 'name'])
    })

    it('and problems across tables: duplicates and references', () => {
      const error = thrown(() => planChanges(BLOG, [...BLOG, BLOG[1]!]))
      expect((error as ValidationError).issues).toEqual([
        { path: [3, 'name'], message: 'duplicate table "posts"' },
      ])
    })
  })
})

describe('planChanges on random edits of the blog (property)', () => {
  const name = fc.constantFrom('n1', 'n2', 'n3')
  const defaults: Partial<Record<ColumnType, ColumnDefinition['default']>> = {
    text: 'x',
    integer: 1,
    boolean: true,
    uuid: 'gen_random_uuid()',
    timestamptz: 'now()',
  }
  const type = fc.constantFrom<ColumnType>(
    'text',
    'integer',
    'boolean',
    'uuid',
    'timestamptz',
    'jsonb',
  )
  const newColumn = fc.record(
    {
      name,
      type,
      unique: fc.boolean(),
      required: fc.boolean(),
      withDefault: fc.boolean(),
      reference: fc.constantFrom(undefined, 'users', 'posts', 'comments', 't1', 't2'),
    },
    { requiredKeys: ['name', 'type'] },
  )
  const columnEdit = fc.record(
    {
      drop: fc.boolean(),
      required: fc.boolean(),
      unique: fc.boolean(),
      secret: fc.boolean(),
      toText: fc.boolean(),
      dropDefault: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  const edits = fc.record({
    dropTables: fc.subarray(['posts', 'comments']),
    columnEdits: fc.array(fc.tuple(fc.nat(), fc.nat(), columnEdit), { maxLength: 4 }),
    added: fc.array(fc.tuple(fc.nat(), newColumn), { maxLength: 3 }),
    newTables: fc.array(fc.array(newColumn, { maxLength: 3 }), { maxLength: 2 }),
    indexes: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 2 }),
  })

  type NewColumn = {
    name: string
    type: ColumnType
    unique?: boolean
    required?: boolean
    withDefault?: boolean
    reference?: string | undefined
  }
  type Edits = typeof edits extends fc.Arbitrary<infer T> ? T : never

  function toColumn(spec: NewColumn): ColumnDefinition {
    const isRef = spec.reference !== undefined
    const fallback = spec.withDefault && !isRef ? defaults[spec.type] : undefined
    return {
      name: spec.name,
      type: isRef ? 'uuid' : spec.type,
      ...(spec.unique ? { unique: true } : {}),
      ...(spec.required ? { required: true } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      ...(isRef
        ? { references: { table: spec.reference!, column: 'id', on_delete: 'no action' } }
        : {}),
    }
  }

  function applyEdits(e: Edits): TableDefinitionInput[] {
    let tables: TableDefinition[] = BLOG.filter((t) => !e.dropTables.includes(t.name)).map((t) =>
      structuredClone(t),
    )
    for (const [ti, ci, change] of e.columnEdits) {
      const t = tables[ti % tables.length]!
      const c = t.columns[ci % t.columns.length]!
      if (c.primary_key) {
        continue
      }
      const i = t.columns.indexOf(c)
      if (change.drop && t.columns.length > 1) {
        t.columns.splice(i, 1)
        t.indexes = t.indexes?.filter((x) => !x.columns.includes(c.name))
        continue
      }
      let next: ColumnDefinition = { ...c }
      if (change.required !== undefined)
        next = change.required ? { ...next, required: true } : without(next, 'required')
      if (change.unique !== undefined)
        next = change.unique ? { ...next, unique: true } : without(next, 'unique')
      if (change.secret !== undefined)
        next = change.secret ? { ...next, secret: true } : without(next, 'secret')
      if (change.dropDefault) next = without(next, 'default')
      if (change.toText && next.references === undefined)
        next = { ...without(next, 'default'), type: 'text' }
      t.columns[i] = next
    }
    for (const [ti, spec] of e.added) {
      const t = tables[ti % tables.length]!
      if (!t.columns.some((c) => c.name === spec.name)) {
        t.columns.push(toColumn(spec))
      }
    }
    e.newTables.forEach((specs, i) => {
      const columns = [{ name: 'id', type: 'uuid', primary_key: true } as ColumnDefinition]
      for (const spec of specs) {
        if (!columns.some((c) => c.name === spec.name)) {
          columns.push(toColumn(spec))
        }
      }
      tables.push({ name: `t${i + 1}`, columns })
    })
    for (const [ti, ci, unique] of e.indexes) {
      const t = tables[ti % tables.length]!
      const c = t.columns[ci % t.columns.length]!
      const index = { columns: [c.name], ...(unique ? { unique: true } : {}) }
      if (
        !(t.indexes ?? []).some(
          (x) => x.columns.join() === c.name && (x.unique === true) === unique,
        )
      ) {
        t.indexes = [...(t.indexes ?? []), index]
      }
    }
    // A user removes references to what is gone, and the set null rule holds.
    const names = new Set(tables.map((t) => t.name))
    tables = tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => {
        const target = c.references && tables.find((x) => x.name === c.references!.table)
        const ok =
          c.references &&
          names.has(c.references.table) &&
          target &&
          findColumn(target, c.references.column)?.type === c.type
        return c.references && !ok ? without(c, 'references') : c
      }),
    }))
    return tables
  }

  it(
    'plans steps that each fit, compile and end exactly at the wanted definitions',
    () => {
      fc.assert(
        fc.property(edits, (e) => {
          const wanted = applyEdits(e)
          const parsed = (() => {
            try {
              return wanted.map((t) => parseTableDefinition(t))
            } catch {
              return undefined
            }
          })()
          fc.pre(parsed !== undefined && databaseProblems(parsed).length === 0)
          plan(BLOG, wanted)
        }),
        { numRuns: 500 },
      )
    },
    PROPERTY_BUDGET_MS,
  )

  it(
    'plans nothing for wanted definitions equal to the current ones',
    () => {
      fc.assert(
        fc.property(edits, (e) => {
          const wanted = applyEdits(e)
          let parsed: TableDefinition[]
          try {
            parsed = wanted.map((t) => parseTableDefinition(t))
          } catch {
            return
          }
          fc.pre(databaseProblems(parsed).length === 0)
          expect(planChanges(parsed, parsed).steps).toEqual([])
        }),
        { numRuns: 200 },
      )
    },
    PROPERTY_BUDGET_MS,
  )
})
