// A blog's database with Basebox, on embedded in-memory PGlite: no server needed.
//
//   pnpm start            (from the repository root)
//
// It creates a project and its database (one click: schema, role, users table), adds the blog
// tables, previews and applies a schema change, prints what it made, and shuts down.
import { PGlite } from '@electric-sql/pglite'
import {
  createBasebox,
  type ColumnDefinition,
  type PlanStep,
  type TableDefinition,
  type TableDefinitionInput,
} from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'

const started = performance.now()

// 1. The engine. On a PostgreSQL server it would be `pgDriver(pool)` from '@basebox/core/pg'
//    over `const pool = new pg.Pool({ connectionString, pipeline: true })` with
//    `pool.on('error', (error) => console.error('idle database connection lost', error))`
//    (without an 'error' listener, Postgres ending an idle connection makes Node exit);
//    everything below stays the same.
const bb = await createBasebox({ driver: pgliteDriver(new PGlite()) })
console.log(`Engine ready on ${bb.driverName} in ${elapsed()} (most of it is starting PGlite)\n`)

try {
  // 2. Everything happens inside an owner scope: the host product's own user id (opaque text).
  //    An owner sees and changes only their own projects.
  const owner = bb.owner('host-user-42')

  // 3. A project, and its database in one click: a Postgres schema, a role with rights on that
  //    schema only, and the default `users` table (id, email, password_hash, ...).
  const project = await owner.createProject({ name: 'Blog', description: 'An example blog' })
  const db = await owner.createDatabase(project.id)

  // 4. The blog's tables, from JSON definitions (the same format the AI and the UI produce).
  const posts: TableDefinitionInput = {
    name: 'posts',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', required: true },
      { name: 'body', type: 'text' },
      { name: 'published', type: 'boolean', default: false },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      },
      { name: 'created_at', type: 'timestamptz', default: 'now()' },
    ],
  }
  const comments: TableDefinitionInput = {
    name: 'comments',
    columns: [
      { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      {
        name: 'post_id',
        type: 'uuid',
        required: true,
        references: { table: 'posts', column: 'id', on_delete: 'cascade' },
      },
      {
        name: 'author_id',
        type: 'uuid',
        references: { table: 'users', column: 'id', on_delete: 'set null' },
      },
      { name: 'body', type: 'text', required: true },
      { name: 'created_at', type: 'timestamptz', default: 'now()' },
    ],
  }
  await db.createTable(posts)
  await db.createTable(comments)

  // 5. A schema change is a plan before it is an action. Describe the tables you want (here:
  //    posts gets a `views` counter), preview the steps, then apply them in one transaction.
  const wanted = (await db.definitions()).map((table) =>
    table.name === 'posts'
      ? {
          ...table,
          columns: [...table.columns, { name: 'views', type: 'integer' as const, default: 0 }],
        }
      : table,
  )
  const plan = await db.planChanges(wanted)
  console.log('Change plan: add a "views" counter to posts')
  for (const [i, step] of plan.steps.entries()) {
    console.log(`  ${i + 1}. ${describeStep(step)}`)
  }
  // `problems` lists what the current rows would break (none here: the tables are empty).
  console.log(`  problems with the current data: ${plan.problems?.length ?? 0}`)
  await db.applyPlan(plan)
  console.log('  applied.\n')

  // 6. What we made.
  console.log(`Project   ${project.name} (${project.id}), owner ${project.owner_id}`)
  console.log(`Database  ${db.info.name} (${db.id})`)
  console.log(`  schema  ${db.info.schema_name}`)
  console.log(`  role    ${db.info.role_name}`)
  for (const table of await db.listTables()) {
    console.log()
    printTable(table.definition)
  }
} finally {
  // 7. Close PGlite (or end the pg pool): without it, the process would not exit.
  await bb.destroy()
}
console.log(`\nDone in ${elapsed()}.`)

function elapsed(): string {
  return `${Math.round(performance.now() - started)} ms`
}

/** One line per plan step, e.g. `add column posts.views integer default 0`. */
function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 'add_column':
      return `add column ${step.table}.${step.column.name} ${columnFlags(step.column)}`
    case 'create_table':
      return `create table ${step.table.name}`
    default:
      return `${step.kind.replaceAll('_', ' ')} ${JSON.stringify(step)}`
  }
}

/** The table's columns, aligned: name, type, then keys, required, default and reference. */
function printTable(table: TableDefinition): void {
  console.log(`Table ${table.name}`)
  const width = Math.max(...table.columns.map((c) => c.name.length))
  for (const column of table.columns) {
    console.log(`  ${column.name.padEnd(width)}  ${columnFlags(column)}`)
  }
}

/** `type  primary key, required, default x, -> table.column on delete y`. */
function columnFlags(column: ColumnDefinition): string {
  const flags: string[] = []
  if (column.primary_key) {
    flags.push('primary key')
  }
  if (column.unique) {
    flags.push('unique')
  }
  if (column.required) {
    flags.push('required')
  }
  if (column.default !== undefined) {
    const value = column.default
    flags.push(`default ${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  if (column.references) {
    const { table, column: target, on_delete } = column.references
    flags.push(`-> ${table}.${target} on delete ${on_delete}`)
  }
  if (column.secret) {
    flags.push('secret')
  }
  return `${column.type.padEnd(11)}  ${flags.join(', ')}`.trimEnd()
}
