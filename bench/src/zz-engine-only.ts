import { createBasebox } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
const bb = await createBasebox({ driver: pgDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, pipeline: true })), catalogSchema: catalog })
const owner = bb.owner('p')
const db = await owner.createDatabase((await owner.createProject({ name: 'p' })).id)
await db.createTable({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text' } ] })
await db.insert('items', Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: 'n' + i })), { returning: false })
for (let i = 0; i < 2000; i++) await db.select('items', { where: { id: 1 + (i % 100) } })
const N = 10000, t = performance.now(), cpu = process.cpuUsage()
for (let i = 0; i < N; i++) await db.select('items', { where: { id: 1 + (i % 100) } })
const u = process.cpuUsage(cpu)
console.log('ms/op', ((performance.now() - t) / N).toFixed(3), 'cpu ms/op', ((u.user + u.system) / 1000 / N).toFixed(3))
await dropCatalog(bb.kysely, catalog); await bb.destroy()
