import { PGlite } from '@electric-sql/pglite'
import { CompiledQuery } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBasebox } from '../basebox.js'
import { dropCatalog } from '../testing/index.js'
import type { Driver } from './driver.js'
import { pgDriver } from './pg/pg-driver.js'
import { pgliteDriver } from './pglite/pglite-driver.js'
import { BatchStatementError } from './wire.js'

const url = process.env.DATABASE_URL

function q(text: string, parameters: unknown[] = []): CompiledQuery {
  return CompiledQuery.raw(text, parameters)
}

interface Backend {
  name: string
  driver: () => Promise<{ driver: Driver; close(): Promise<void> }>
}

const backends: Backend[] = [
  {
    name: 'pglite',
    driver: async () => {
      const pglite = await PGlite.create()
      return { driver: pgliteDriver(pglite), close: () => pglite.close() }
    },
  },
]
if (url === undefined || url === '') {
  console.warn(
    'DATABASE_URL is not set: the Postgres atomic batch tests are skipped (PGlite still runs)',
  )
} else {
  backends.push(
    {
      name: 'postgres (pipeline mode, lanes)',
      driver: async () => {
        const pool = new pg.Pool({ connectionString: url, max: 6, pipeline: true } as pg.PoolConfig)
        await pool.query('select 1') // fail loudly when the promised server is unreachable
        const driver = pgDriver(pool)
        return { driver, close: () => driver.destroy() }
      },
    },
    {
      name: 'postgres (no pipeline mode)',
      driver: async () => {
        const pool = new pg.Pool({ connectionString: url, max: 4 })
        await pool.query('select 1')
        const driver = pgDriver(pool)
        return { driver, close: () => driver.destroy() }
      },
    },
  )
}

for (const backend of backends) {
  describe(`${backend.name}: atomic batches`, () => {
    let driver: Driver
    let close: () => Promise<void>
    const table = `atomic_${Math.random().toString(16).slice(2, 10)}`
    const run = (queries: CompiledQuery[]) => driver.runAtomic!(queries)

    beforeAll(async () => {
      ;({ driver, close } = await backend.driver())
      await run([q(`create table ${table} (id integer primary key, label text)`)])
    })
    afterAll(async () => {
      await run([q(`drop table if exists ${table}`)]).catch(() => {})
      await close()
    })

    it('returns each statement’s rows with values parsed as node-postgres does', async () => {
      const when = new Date('2024-02-29T12:34:56.789Z')
      const [first, second] = await run([
        q(
          `select $1::int4 as i, $2::int8 as big, $3::numeric as num, $4::bool as yes, $5::text as t, null::text as nothing, $6::json as j, $7::bytea as bytes, $8::timestamptz = '2024-02-29T12:34:56.789Z'::timestamptz as same_time, $9::text[] as list`,
          [
            42,
            9007199254740993n,
            '1.50',
            true,
            'é 😀 "quotes" \\ back',
            { a: [1, 'x'] },
            new Uint8Array([0, 255, 16]),
            when,
            ['a', 'b,c', 'd"e', null],
          ],
        ),
        q(`select generate_series(1, 3) as n`),
      ])
      expect(first!.rows).toEqual([
        {
          i: 42,
          big: '9007199254740993',
          num: '1.50',
          yes: true,
          t: 'é 😀 "quotes" \\ back',
          nothing: null,
          j: { a: [1, 'x'] },
          bytes: '\\x00ff10',
          same_time: true,
          list: '{a,"b,c","d\\"e",NULL}',
        },
      ])
      expect(second!.rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    })

    it('carries large parameters and statements intact, batch after batch', async () => {
      for (const size of [10, 5_000, 300_000]) {
        const list = Array.from({ length: size }, (_, i) => ({ i, s: `é😀${i}` }))
        const text = JSON.stringify(list)
        const [result] = await run([
          q(
            `select json_array_length($1::json) as n, md5($2::text) = md5($1::text) as same, length($2::text) as chars`,
            [text, text],
          ),
        ])
        expect(result!.rows).toEqual([{ n: size, same: true, chars: [...text].length }])
      }
    })

    it('is all or nothing: a failing statement undoes the ones before it and names its index', async () => {
      const error = await run([
        q(`insert into ${table} values (1, 'one')`),
        q(`insert into ${table} values (2, 'two')`),
        q(`insert into ${table} values ($1::int, 'bad')`, ['not a number']),
      ]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BatchStatementError)
      expect((error as BatchStatementError).index).toBe(2)
      expect((error as { cause: { code: string } }).cause.code).toBe('22P02')
      const [count] = await run([q(`select count(*)::int as n from ${table}`)])
      expect(count!.rows).toEqual([{ n: 0 }])
    })

    it('keeps transaction-local settings for the batch only', async () => {
      const [, inside] = await run([
        q(`select set_config('application_name', 'inside-batch', true)`),
        q(`select current_setting('application_name') as name`),
      ])
      expect(inside!.rows).toEqual([{ name: 'inside-batch' }])
      const [after] = await run([q(`select current_setting('application_name') as name`)])
      expect(after!.rows[0]).not.toEqual({ name: 'inside-batch' })
    })

    it('prepares a statement once per connection and reads its rows right on every later run', async () => {
      const text = `select $1::int as i, $2::json as j, $3::text as t, 'prep-once' as tag`
      const count = q(
        `select count(*)::int as n from pg_prepared_statements where statement = $1`,
        [text],
      )
      for (let i = 0; i < 8; i++) {
        const [rows, prepared] = await run([q(text, [i, { i }, `t${i}`]), count])
        expect(rows!.rows).toEqual([{ i, j: { i }, t: `t${i}`, tag: 'prep-once' }])
        expect(prepared!.rows).toEqual([{ n: 1 }]) // on the connection the batch ran on
      }
    })

    it('prepares a statement again when the columns it returns changed type', async () => {
      const altered = `${table}_altered`
      await run([
        q(`create table ${altered} (id integer primary key, v integer)`),
        q(`insert into ${altered} values (1, 7)`),
      ])
      try {
        const read = () => run([q(`select v from ${altered} where id = $1`, [1])])
        for (let i = 0; i < 3; i++) {
          expect((await read())[0]!.rows).toEqual([{ v: 7 }])
        }
        await run([q(`alter table ${altered} alter column v type text`)])
        expect((await read())[0]!.rows).toEqual([{ v: '7' }])
        expect((await read())[0]!.rows).toEqual([{ v: '7' }])
      } finally {
        await run([q(`drop table ${altered}`)])
      }
    })

    it('prepares statements again after DEALLOCATE ALL or DISCARD ALL dropped them', async () => {
      const read = (n: number) => run([q(`select $1::int + 1 as next`, [n])])
      expect((await read(1))[0]!.rows).toEqual([{ next: 2 }])
      await run([q('deallocate all')])
      expect((await read(2))[0]!.rows).toEqual([{ next: 3 }])
      await read(3)
      await run([q('discard all')]).catch(() => {}) // DISCARD ALL cannot run in a transaction block on some servers
      expect((await read(4))[0]!.rows).toEqual([{ next: 5 }])
    })

    it('leaves nothing prepared that a later batch counts on when a batch fails before its statements ran', async () => {
      const text = `select $1::int as after_error`
      const error = await run([q('select 1/0'), q(text, [1])]).catch((e: unknown) => e)
      expect((error as BatchStatementError).index).toBe(0)
      for (let i = 2; i < 5; i++) {
        expect((await run([q(text, [i])]))[0]!.rows).toEqual([{ after_error: i }])
      }
    })

    it('keeps prepared statements right when many batches that prepare them fail at once', async () => {
      // Batches in flight together on one connection each prepare new statements; a third fail
      // before theirs ran. Every statement must run right afterwards, prepared or not.
      const text = (i: number) => `select $1::int * ${i % 40} as product`
      const settled = await Promise.allSettled(
        Array.from({ length: 120 }, (_, i) =>
          run([q(i % 3 === 0 ? 'select 1/0' : 'select 1'), q(text(i), [i])]),
        ),
      )
      settled.forEach((result, i) =>
        expect(result.status).toBe(i % 3 === 0 ? 'rejected' : 'fulfilled'),
      )
      const again = await Promise.all(Array.from({ length: 120 }, (_, i) => run([q(text(i), [i])])))
      again.forEach((results, i) => expect(results[0]!.rows).toEqual([{ product: i * (i % 40) }]))
    })

    it('keeps a bounded number of statements prepared per connection', async () => {
      let most = 0
      for (let i = 0; i < 320; i++) {
        const [, count] = await run([
          q(`select ${i} as distinct_statement`),
          q(`select count(*)::int as n from pg_prepared_statements`),
        ])
        most = Math.max(most, (count!.rows[0] as { n: number }).n)
      }
      expect(most).toBeGreaterThan(200) // they are kept…
      expect(most).toBeLessThanOrEqual(260) // …up to a bound (256, and a few waiting to be closed)
    })

    it('runs many batches at once, each on its own, whatever the others do', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          i % 7 === 3
            ? run([q(`insert into ${table} values ($1::int, 'ok')`, [1000 + i]), q(`select 1/0`)])
            : run([
                q(`insert into ${table} values ($1::int, 'ok')`, [1000 + i]),
                q(`select $1::int as i`, [i]),
              ]),
        ),
      )
      results.forEach((result, i) => {
        if (i % 7 === 3) {
          expect(result.status).toBe('rejected')
          expect(((result as PromiseRejectedResult).reason as BatchStatementError).index).toBe(1)
        } else {
          expect(result.status).toBe('fulfilled')
          expect((result as PromiseFulfilledResult<{ rows: unknown[] }[]>).value[1]!.rows).toEqual([
            { i },
          ])
        }
      })
      const [ids] = await run([
        q(`select array_agg(id order by id) as ids from ${table} where id >= 1000`),
      ])
      const expected = Array.from({ length: 60 }, (_, i) => i)
        .filter((i) => i % 7 !== 3)
        .map((i) => 1000 + i)
      expect(ids!.rows).toEqual([{ ids: `{${expected.join(',')}}` }])
    })
  })
}

describe.skipIf(url === undefined || url === '')('postgres: lanes', () => {
  it('drop a connection that dies and carry on with a new one', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true } as pg.PoolConfig)
    const admin = new pg.Pool({ connectionString: url, max: 1 })
    const driver = pgDriver(pool)
    try {
      const [first] = await driver.runAtomic!([q('select pg_backend_pid() as pid')])
      const pid = (first!.rows[0] as { pid: number }).pid
      await admin.query('select pg_terminate_backend($1)', [pid])
      // The batch that meets the dead connection fails (it may or may not be the next one,
      // depending on when the client notices); the lane is dropped and later batches run.
      let pids: number[] = []
      for (let attempt = 0; attempt < 5; attempt++) {
        const settled = await Promise.allSettled([
          driver.runAtomic!([q('select pg_backend_pid() as pid')]),
        ])
        if (settled[0]!.status === 'fulfilled') {
          pids = settled[0]!.value[0]!.rows.map((r) => (r as { pid: number }).pid)
          break
        }
        expect(settled[0]!.reason).not.toBeInstanceOf(BatchStatementError)
      }
      expect(pids).toHaveLength(1)
      expect(pids[0]).not.toBe(pid)
    } finally {
      await driver.destroy()
      await admin.end()
    }
  })
})

describe.skipIf(url === undefined || url === '')(
  'postgres: record operations whatever the session time zone',
  () => {
    it('returns timestamps in UTC on connections set to another zone', async () => {
      const pool = new pg.Pool({
        connectionString: url,
        max: 4,
        pipeline: true,
        options: '-c TimeZone=Asia/Tokyo',
      } as pg.PoolConfig)
      const catalogSchema = `bb_tz_${Math.random().toString(16).slice(2, 10)}`
      const bb = await createBasebox({ driver: pgDriver(pool), catalogSchema })
      try {
        const owner = bb.owner('tz-owner')
        const project = await owner.createProject({ name: 'tz' })
        const db = await owner.createDatabase(project.id)
        await db.createTable({
          name: 'events',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'at', type: 'timestamptz' },
          ],
        })
        await db.insert('events', { id: 1, at: '2024-01-01T09:00:00+09:00' })
        const { rows } = await db.select('events', {})
        expect(rows).toEqual([{ id: 1, at: '2024-01-01T00:00:00+00:00' }])
        const [filtered] = (
          await db.select('events', { where: { at: { eq: '2024-01-01T00:00:00Z' } } })
        ).rows
        expect(filtered).toEqual({ id: 1, at: '2024-01-01T00:00:00+00:00' })
      } finally {
        await dropCatalog(bb.kysely, catalogSchema)
        await bb.destroy()
      }
    })
  },
)
