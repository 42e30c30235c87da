import { PGlite } from '@electric-sql/pglite'
import { createBasebox } from '@basebox/core'
import { pgDriver } from '@basebox/core/pg'
import { pgliteDriver } from '@basebox/core/pglite'
import { dropCatalog } from '@basebox/core/testing'
import pg from 'pg'
const which = process.argv[2] ?? 'pglite'
const catalog = `bench_${crypto.randomUUID().slice(0, 8)}`
const driver = which === 'pglite' ? pgliteDriver(await PGlite.create()) : pgDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16, pipeline: true }))
const bb = await createBasebox({ driver, catalogSchema: catalog })
const owner = bb.owner('p')
const db = await owner.createDatabase((await owner.createProject({ name: 'p' })).id)
await db.createTable({ name: 'items', columns: [ { name: 'id', type: 'integer', primary_key: true }, { name: 'category', type: 'text', required: true }, { name: 'score', type: 'double', required: true }, { name: 'name', type: 'text' } ] })
await db.insert('items', Array.from({ length: 10000 }, (_, i) => ({ id: i + 1, category: 'c' + (i % 50), score: i / 7, name: 'n' + i })), { returning: false })
const conc = Number(process.argv[3] ?? 1)
for (const phase of ['warm', 'run']) {
  const ms = phase === 'warm' ? 1000 : 5000
  let n = 0
  const end = performance.now() + ms
  const t = performance.now()
  await Promise.all(Array.from({ length: conc }, async () => { while (performance.now() < end) { await db.select('items', { where: { id: 1 + (n++ * 7919) % 10000 } }) } }))
  console.log(which, phase, Math.round(n / (performance.now() - t) * 1000), 'ops/s')
}
await dropCatalog(bb.kysely, catalog)
await bb.destroy()
