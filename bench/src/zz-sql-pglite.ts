import { PGlite } from '@electric-sql/pglite'
import { createBasebox } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
const pglite = await PGlite.create()
let capture: { text: string; values: unknown[] }[] | undefined
const wrap = (target: any) => new Proxy(target, { get(o, k) { const v = Reflect.get(o, k, o); if (k === 'query') return (t: string, p: unknown[], ...r: unknown[]) => { capture?.push({ text: t, values: p }); return v.call(o, t, p, ...r) }; if (k === 'transaction') return (fn: any) => v.call(o, (tx: any) => fn(wrap(tx))); return typeof v === 'function' ? v.bind(o) : v } })
const bb = await createBasebox({ driver: pgliteDriver(wrap(pglite)), catalogSchema: 'bb' })
const owner = bb.owner('p')
const db = await owner.createDatabase((await owner.createProject({ name: 'p' })).id)
await db.createTable({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text' } ] })
await db.insert('items', Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: 'n' + i })), { returning: false })
await db.select('items', { where: { id: 1 } })
capture = []
await db.select('items', { where: { id: 5 } })
const stmts = capture; capture = undefined
for (const s of stmts) console.log(s.text.slice(0, 150), JSON.stringify(s.values))
const S = db.info.schema_name, R = db.info.role_name
const measure = async (label: string, fn: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 50; i++) await fn(i)
  const N = 500
  const t = performance.now()
  for (let i = 0; i < N; i++) await fn(i)
  console.log(label.padEnd(50), 'ms/op', ((performance.now() - t) / N).toFixed(3))
}
const sel = `select * from "${S}".items where id = $1`
for (let rep = 0; rep < 2; rep++) {
await measure('engine select', (i) => db.select('items', { where: { id: 1 + (i % 100) } }))
await measure('engine SQL by hand (tx + same statements)', (i) => pglite.transaction(async (tx) => { await tx.query(stmts[0]!.text, stmts[0]!.values as any); await tx.query(stmts[1]!.text, [1 + (i % 100), ...stmts[1]!.values.slice(1)] as any) }))
await measure('raw isolated (tx, set_config, select)', (i) => pglite.transaction(async (tx) => { await tx.query(`select set_config('role', '${R}', true), set_config('search_path', '${S}', true)`); await tx.query(sel, [1 + (i % 100)]) }))
await measure('raw tx + select', (i) => pglite.transaction(async (tx) => { await tx.query(sel, [1 + (i % 100)]) }))
await measure('raw select', (i) => pglite.query(sel, [1 + (i % 100)]))
await measure('raw select no params (exec)', (i) => pglite.exec(`select * from "${S}".items where id = ${1 + (i % 100)}`))
await measure('raw json_agg statement', (i) => pglite.query(stmts[1]!.text, [1 + (i % 100), ...stmts[1]!.values.slice(1)] as any))
await measure('raw enter statement alone', () => pglite.query(stmts[0]!.text, stmts[0]!.values as any))
await measure('raw select 1', () => pglite.query('select 1'))
}
await bb.destroy()
