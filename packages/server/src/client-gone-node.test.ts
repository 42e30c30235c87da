import { createRemoteClient, isBaseboxError, type TableDefinitionInput } from '@basebox/client'
import type { Basebox } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeListener } from './adapters/node.js'
import { createHandler } from './handler.js'
import { testBackends } from './testing.js'

// A client that goes away in the middle of an import or a SQL run, over a real socket (the Node
// mount on a local port): the server stops the work and rolls it back, as a local client's
// cancel does. The work is seen running from another session before the client aborts, so the
// abort lands while it runs, whatever the machine's speed; Postgres only (PGlite has one
// session, and cannot interrupt a statement in-process).

const postgres = testBackends().find((backend) => backend.name === 'postgres')
if (postgres === undefined) {
  console.warn('DATABASE_URL is not set: the client-goes-away tests are skipped')
}

describe.skipIf(postgres === undefined)('postgres: a client that goes away', () => {
  let h: TestHarness
  let bb: Basebox
  let server: Server
  let origin: string
  let locker: pg.Client
  const logged: unknown[] = []
  /** Requests whose connection closed before their answer was written. */
  const cut: string[] = []

  beforeAll(async () => {
    h = await postgres!.create()
    bb = await h.engine()
    const handler = createHandler({
      basebox: bb,
      getOwner: (r) => r.headers.get('x-user'),
      log: (error) => logged.push(error),
    })
    server = createServer(toNodeListener(handler))
    server.on('request', (req, res) => {
      res.once('close', () => {
        if (!res.writableFinished) {
          cut.push(`${req.method} ${req.url}`)
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    locker = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await locker.connect()
  }, 60_000)
  afterAll(async () => {
    await locker?.end()
    await new Promise<void>((resolve) => {
      server?.close(() => resolve())
      server?.closeAllConnections()
    })
    await h?.close()
  })

  it('mid-import: the import rolls back (no row, no table, no audit entry)', async () => {
    const owner = 'node-import-cancel'
    const client = createRemoteClient({ url: origin, headers: { 'x-user': owner } })
    const project = await client.createProject({ name: 'import cancel' })
    const { id } = await client.createDatabase(project.id)
    const items: TableDefinitionInput = {
      name: 'items',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'label', type: 'text', required: true },
      ],
    }
    await client.createTable(id, items)
    await client.insertRows(id, 'items', [
      { id: 1, label: 'kept' },
      { id: 2, label: 'kept too' },
    ])
    const auditBefore = (await client.auditLog(id)).entries.length
    const backup = JSON.stringify({
      format: 'basebox',
      version: 1,
      tables: [
        {
          definition: items,
          rows: Array.from({ length: 500 }, (_, i) => ({ id: i + 10, label: `item ${i}` })),
        },
        {
          definition: {
            name: 'tags',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'item_id', type: 'integer', references: { table: 'items', column: 'id' } },
            ],
          },
          rows: [{ id: 1, item_id: 10 }],
        },
      ],
    })
    const schema = (await bb.owner(owner).database(project.id)).info.schema_name
    const table = `"${schema}"."items"`

    await locker.query('begin')
    await locker.query(`lock table ${table} in access exclusive mode`)
    const abort = new AbortController()
    const pending = client.importData(id, backup, { format: 'json', signal: abort.signal })
    pending.catch(() => {})
    try {
      // The import is running and waits for the lock.
      await expect
        .poll(
          async () =>
            (
              await locker.query<{ n: number }>(
                `select count(*)::int as n from pg_locks where not granted and relation = $1::regclass`,
                [table],
              )
            ).rows[0]!.n,
          { timeout: 60_000, interval: 50 },
        )
        .toBe(1)
      abort.abort(new Error('the user closed the tab'))
      await expect(pending).rejects.toThrow('the user closed the tab')
      // The server has seen the connection close before the lock is released.
      await expect
        .poll(() => cut.some((request) => request.endsWith('/import')), {
          timeout: 60_000,
          interval: 20,
        })
        .toBe(true)
    } finally {
      await locker.query('commit')
    }
    // The import ends with the abort's reason (logged: nobody is there to receive the answer).
    await expect
      .poll(() => logged.some((error) => isBaseboxError(error) && error.code === 'UNAVAILABLE'), {
        timeout: 60_000,
        interval: 20,
      })
      .toBe(true)
    expect((await client.listTables(id)).map((t) => t.name).sort()).toEqual(['items', 'users'])
    expect(
      (await client.selectRows(id, 'items', { orderBy: { column: 'id' } })).rows.map((r) => r.id),
    ).toEqual([1, 2])
    expect((await client.auditLog(id)).entries.length).toBe(auditBefore)
    // The same import, left alone, commits.
    const done = await client.importData(id, backup, { format: 'json' })
    expect(done).toBeDefined()
    expect((await client.selectRows(id, 'items', { limit: 1000 })).rows).toHaveLength(502)
  }, 120_000)

  it('mid-SQL: the statement is cancelled long before its time limit, and its writes are not kept', async () => {
    const owner = 'node-sql-cancel'
    const client = createRemoteClient({ url: origin, headers: { 'x-user': owner } })
    const project = await client.createProject({ name: 'sql cancel' })
    const { id } = await client.createDatabase(project.id)
    await client.createTable(id, { name: 'notes', columns: [{ name: 'body', type: 'text' }] })
    const marker = `gone_${crypto.randomUUID().slice(0, 8)}`
    const running = async () =>
      (
        await locker.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where state = 'active' and strpos(query, $1) > 0 and pid <> pg_backend_pid()`,
          [`as ${marker}`],
        )
      ).rows[0]!.n
    const abort = new AbortController()
    // Five minutes of budget: only the client's going away can end the sleep within the test.
    const pending = client.runSQL(
      id,
      `insert into notes (body) values ('${marker}'); select pg_sleep(600) as ${marker}`,
      [],
      { timeoutMs: 300_000, signal: abort.signal },
    )
    pending.catch(() => {})
    await expect.poll(running, { timeout: 60_000, interval: 50 }).toBe(1)
    abort.abort(new Error('the user closed the tab'))
    await expect(pending).rejects.toThrow('the user closed the tab')
    await expect.poll(running, { timeout: 60_000, interval: 50 }).toBe(0)
    const notes = await client.runSQL(id, `select count(*)::int from notes where body = $1`, [
      marker,
    ])
    expect(notes.statements[0]!.rows).toEqual([[0]])
  }, 120_000)
})
