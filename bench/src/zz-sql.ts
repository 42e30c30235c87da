import { createBasebox } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, pipeline: true })
const captured: { text: string; values: unknown[] }[][] = []
let capture: { text: string; values: unknown[] }[] | undefined
const connect = pool.connect.bind(pool)
;(pool as any).connect = async () => { const c: any = await connect(); if (!c.__w) { const q = c.query.bind(c); c.query = (t: any, v: any) => { capture?.push({ text: t, values: v }); return q(t, v) }; c.__w = 1 } return c }
const rawPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, pipeline: true })
const bb = await createBasebox({ driver: pgDriver(pool), catalogSchema: catalog })
const owner = bb.owner('p')
const db = await owner.createDatabase((await owner.createProject({ name: 'p' })).id)
await db.createTable({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text' } ] })
await db.insert('items', Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: 'n' + i })), { returning: false })
await db.select('items', { where: { id: 1 } })
capture = []
await db.select('items', { where: { id: 5 } })
const stmts = capture; capture = undefined
for (const s of stmts) console.log(s.text, JSON.stringify(s.values))
const S = db.info.schema_name, R = db.info.role_name
const measure = async (label: string, fn: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 50; i++) await fn(i)
  const N = 1000
  const t = performance.now()
  const cpu = process.cpuUsage()
  for (let i = 0; i < N; i++) await fn(i)
  const used = process.cpuUsage(cpu)
  console.log(label.padEnd(50), 'ms/op', ((performance.now() - t) / N).toFixed(3), 'node cpu ms/op', ((used.user + used.system) / 1000 / N).toFixed(3), 'user', (used.user / 1000 / N).toFixed(3))
}
const onClient = async (fn: (c: pg.PoolClient) => Promise<unknown>) => { const c = await rawPool.connect(); try { await fn(c) } finally { c.release() } }
for (let rep = 0; rep < 2; rep++) {
await measure('engine select', (i) => db.select('items', { where: { id: 1 + (i % 100) } }))
await measure('engine SQL by hand (same 3 statements)', (i) => onClient((c) => Promise.all(stmts.map((s, k) => c.query(s.text, k === 1 ? [1 + (i % 100), ...s.values.slice(1)] : s.values)))))
await measure('raw isolated', (i) => onClient((c) => Promise.all([c.query(`begin; select set_config('role', '${R}', true), set_config('search_path', '${S}', true)`), c.query(`select * from "${S}".items where id = $1`, [1 + (i % 100)]), c.query('commit')])))
await measure('raw isolated + check_schema_version', (i) => onClient((c) => Promise.all([c.query(stmts[0]!.text), c.query(`select * from "${S}".items where id = $1`, [1 + (i % 100)]), c.query('commit')])))
await measure('raw isolated + json_agg statement', (i) => onClient((c) => Promise.all([c.query(`begin; select set_config('role', '${R}', true), set_config('search_path', '${S}', true)`), c.query(stmts[1]!.text, [1 + (i % 100), ...stmts[1]!.values.slice(1)]), c.query('commit')])))
await measure('raw', (i) => onClient((c) => c.query(`select * from "${S}".items where id = $1`, [1 + (i % 100)])))
}
await rawPool.end()
await dropCatalog(bb.kysely, catalog)
await bb.destroy()
