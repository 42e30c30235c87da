import { parseTableDefinition, SelectQuerySchema } from '../../packages/client/src/index.ts'
import { Kysely, PostgresDialect, sql } from '../../packages/core/node_modules/kysely/dist/index.js'
import { tableContext } from '../../packages/core/src/records/table-context.ts'
import { compileSelect } from '../../packages/core/src/records/compile-select.ts'
import { compileInsert, prepareRows } from '../../packages/core/src/records/compile-write.ts'
const def = parseTableDefinition({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'category', type: 'text', required: true }, { name: 'score', type: 'double', required: true }, { name: 'name', type: 'text' }, { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' } ] })
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: {} as any }) })
const defs = [def]
const time = (label: string, n: number, fn: (i: number) => unknown) => {
  for (let i = 0; i < 2000; i++) fn(i)
  const t = performance.now()
  for (let i = 0; i < n; i++) fn(i)
  console.log(label.padEnd(60), (((performance.now() - t) / n) * 1000).toFixed(1), 'µs')
}
const N = 20000
time('tableContext (cached)', N, () => tableContext('s', defs, 'items'))
const tc = tableContext('s', defs, 'items')
time('SelectQuerySchema.safeParse (by id)', N, (i) => SelectQuerySchema.safeParse({ where: { id: i } }))
time('compileSelect (by id)', N, (i) => compileSelect(tc, { where: { id: i } }))
time('compileSelect + kysely compile (by id)', N, (i) => compileSelect(tc, { where: { id: i } }).statement.compile(db))
time('compileSelect + compile (filter+sort+page)', N, (i) => compileSelect(tc, { where: { category: 'c1', score: { gte: i } }, orderBy: [{ column: 'score' }], limit: 20 }).statement.compile(db))
time('sql.raw(begin...).compile + sql commit compile', N, () => { sql.raw('begin; select 1').compile(db); sql.raw('commit').compile(db) })
time('raw template: sql`select * from t where id = ${i}`.compile', N, (i) => sql`select * from t where id = ${i}`.compile(db))
const rows = Array.from({ length: 100000 }, (_, k) => ({ id: k + 1, category: `c${k % 50}`, score: k / 7, name: `item ${k}` }))
time('prepareRows 100k rows', 3, () => prepareRows(tc, rows, { returning: false }))
const prepared = prepareRows(tc, rows, { returning: false })
time('compileInsert 100k (JSON.stringify chunks)', 3, () => compileInsert(tc, prepared, { returning: false }))
time('compileInsert 100k + kysely compile', 3, () => compileInsert(tc, prepared, { returning: false }).map((s) => s.compile(db)))
time('JSON.stringify 100k rows (raw side cost)', 3, () => JSON.stringify(rows))
