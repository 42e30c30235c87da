import net from 'node:net'
import { createBasebox } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
const counts = { write: 0, bytes: 0, cork: 0 }
const origWrite = net.Socket.prototype.write
net.Socket.prototype.write = function (this: net.Socket, chunk: any, ...rest: any[]) { counts.write++; counts.bytes += chunk?.length ?? 0; return (origWrite as any).call(this, chunk, ...rest) } as any
const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
const pipeline = process.argv[2] !== 'nopipe'
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, pipeline })
const rawPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, pipeline })
const bb = await createBasebox({ driver: pgDriver(pool), catalogSchema: catalog })
const owner = bb.owner('p')
const db = await owner.createDatabase((await owner.createProject({ name: 'p' })).id)
await db.createTable({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text' } ] })
await db.insert('items', Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: 'n' + i })), { returning: false })
const measure = async (label: string, fn: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 20; i++) await fn(i)
  counts.write = 0; counts.bytes = 0
  const N = 200
  const t = performance.now()
  for (let i = 0; i < N; i++) await fn(i)
  console.log(label, 'writes/op', (counts.write / N).toFixed(1), 'bytes/op', (counts.bytes / N).toFixed(0), 'ms/op', ((performance.now() - t) / N).toFixed(3))
}
await measure('engine select by id', (i) => db.select('items', { where: { id: 1 + (i % 100) } }))
await measure('raw select by id', async (i) => { const c = await rawPool.connect(); try { await c.query(`select * from "${db.info.schema_name}".items where id = $1`, [1 + (i % 100)]) } finally { c.release() } })
await measure('raw isolated', async (i) => { const c = await rawPool.connect(); try { await Promise.all([c.query(`begin; select set_config('role', '${db.info.role_name}', true), set_config('search_path', '${db.info.schema_name}', true)`), c.query(`select * from "${db.info.schema_name}".items where id = $1`, [1 + (i % 100)]), c.query('commit')]) } finally { c.release() } })
await rawPool.end()
await dropCatalog(bb.kysely, catalog)
await bb.destroy()
