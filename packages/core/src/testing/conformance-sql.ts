import { BaseboxError } from '@basebox/client'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import { BLOG_TABLES } from './fixtures.js'
import type { TestHarness } from './harness.js'
import { expectCode } from './expect-code.js'

/** The SQL runner on one backend: results, refusals, escapes, timeouts. */
export function describeSQLConformance(getHarness: () => TestHarness): void {
  let h: TestHarness
  let bb: Basebox
  let db: DatabaseHandle
  let other: DatabaseHandle
  let confined = true
  let n = 0

  async function blog(): Promise<DatabaseHandle> {
    const owner = bb.owner(`sql-owner-${++n}`)
    const handle = await owner.createDatabase((await owner.createProject({ name: `p${n}` })).id)
    for (const table of BLOG_TABLES) {
      await handle.createTable(table)
    }
    return handle
  }

  beforeAll(async () => {
    h = getHarness()
    bb = await h.engine()
    confined = bb.capabilities.confinesSQL
    db = await blog()
    other = await blog()
    await other.insert('users', { email: 'secret@other.example' })
    await db.insert('users', [
      { email: 'a@example.com', full_name: 'Ada' },
      { email: 'b@example.com' },
    ])
  })

  const value = async (text: string, params: unknown[] = []) =>
    (await db.sql(text, params)).statements.at(-1)!.rows[0]?.[0]

  describe('results', () => {
    it('returns command, typed columns, rows and counts per statement', async () => {
      const result = await db.sql(
        `select email, full_name, created_at from users where email = $1`,
        ['a@example.com'],
      )
      expect(result.statements).toHaveLength(1)
      const [first] = result.statements
      expect(first!.command).toBe('SELECT')
      expect(first!.columns).toEqual([
        { name: 'email', type: 'text' },
        { name: 'full_name', type: 'text' },
        { name: 'created_at', type: 'timestamp with time zone' },
      ])
      expect(first!.rows[0]!.slice(0, 2)).toEqual(['a@example.com', 'Ada'])
      expect(typeof first!.rows[0]![2]).toBe('string')
      const many = await db.sql(
        `insert into posts (title) values ('x'), ('y'); update posts set views = 2 where title = 'x'; select count(*)::int as n, 1 as n from posts; delete from posts`,
      )
      expect(many.statements.map((s) => [s.command, s.rowCount])).toEqual([
        ['INSERT', 2],
        ['UPDATE', 1],
        ['SELECT', 1],
        ['DELETE', 2],
      ])
      expect(many.statements[2]!.rows).toEqual([[2, 1]])
      expect(many.statements[2]!.columns.map((c) => c.name)).toEqual(['n', 'n'])
    })

    it('keeps at most maxRows rows and says the result was cut', async () => {
      const result = await db.sql('select g from generate_series(1, 200000) g', [], { maxRows: 10 })
      expect(result.statements[0]!.rows).toHaveLength(10)
      expect(result.statements[0]!.truncated).toBe(true)
      const whole = await db.sql('select g from generate_series(1, 5) g', [], { maxRows: 10 })
      expect(whole.statements[0]!.truncated).toBe(false)
    })

    it('runs read-only when asked', async () => {
      await expectCode(
        db.sql(`insert into posts (title) values ('nope')`, [], { readOnly: true }),
        'FORBIDDEN',
      )
      await expectCode(
        db.sql(`set transaction read write; insert into posts (title) values ('nope')`, [], {
          readOnly: true,
        }),
        'VALIDATION_FAILED',
      )
      await expectCode(
        db.sql(
          `select set_config('transaction_read_only', 'off', false); insert into posts (title) values ('nope')`,
          [],
          { readOnly: true },
        ),
        'VALIDATION_FAILED',
      )
      expect(await value(`select count(*)::int from posts where title = 'nope'`)).toBe(0)
    })

    it('is all or nothing: a failing statement rolls back the ones before it', async () => {
      const error = await expectCode(
        db.sql(
          `insert into posts (title) values ('kept?'); insert into posts (title) values (null)`,
        ),
        'VALIDATION_FAILED',
      )
      expect(error.details).toMatchObject({ statement: 1 })
      expect(await value(`select count(*)::int from posts where title = 'kept?'`)).toBe(0)
      const syntax = await expectCode(db.sql(`select 1;\nselec 2`), 'VALIDATION_FAILED')
      expect(syntax.details).toMatchObject({ statement: 1 })
      await expectCode(db.sql(`insert into users (email) values ('a@example.com')`), 'CONFLICT')
    })

    it('dry run: returns the rows each write would change and keeps nothing', async () => {
      await db.sql(`insert into posts (title, views) values ('dry-a', 1), ('dry-b', 1)`)
      const result = await db.sql(
        `update posts set views = 7 where title like 'dry-%' -- a trailing comment\n; delete from posts where title = 'dry-b' returning title; insert into posts (title) values ('dry-c')`,
        [],
        { dryRun: true },
      )
      const [update, remove, insert] = result.statements
      expect(update!.rowCount).toBe(2)
      const views = update!.columns.findIndex((c) => c.name === 'views')
      expect(update!.rows.map((row) => row[views])).toEqual([7, 7])
      expect(remove!.columns.map((c) => c.name)).toEqual(['title'])
      expect(remove!.rows).toEqual([['dry-b']])
      expect(insert!.rows).toHaveLength(1)
      expect(
        await value(
          `select string_agg(title || ':' || views, ',' order by title) from posts where title like 'dry-%'`,
        ),
      ).toBe('dry-a:1,dry-b:1')
      await expectCode(db.sql('select 1', [], { dryRun: 'yes' } as never), 'VALIDATION_FAILED')
      await db.sql(`delete from posts where title like 'dry-%'`)
    })
  })

  describe('refusals', () => {
    it.each([
      ['begin; select 1', 'UNSUPPORTED'],
      ['commit; select current_user', 'UNSUPPORTED'],
      ['select 1; rollback', 'UNSUPPORTED'],
      ['savepoint a', 'UNSUPPORTED'],
      ["copy (select 1) to program 'id'", 'UNSUPPORTED'],
      ['copy users to stdout', 'UNSUPPORTED'],
      ['', 'VALIDATION_FAILED'],
      ['-- only a comment', 'VALIDATION_FAILED'],
      ["select 'unterminated", 'VALIDATION_FAILED'],
    ])('refuses %j', async (text, code) => {
      await expectCode(db.sql(text), code)
    })

    it('refuses params with several statements, and bad options', async () => {
      await expectCode(db.sql('select $1; select 2', [1]), 'VALIDATION_FAILED')
      await expectCode(db.sql('select 1', [], { maxRows: -1 }), 'VALIDATION_FAILED')
      await expectCode(db.sql('select 1', [], { timeoutMs: 0 }), 'VALIDATION_FAILED')
    })

    it('refuses and rolls back SQL that changes tables, so definitions never disagree', async () => {
      const tables = (await db.listTables()).map((t) => t.name)
      for (const text of [
        'create table sneaky (id int)',
        'alter table posts add column sneaky text',
        'drop table comments',
        'create index on posts (title)',
        'alter table users alter column email drop not null',
        `do $$ begin execute 'drop table comments'; end $$`,
      ]) {
        // The database role owns no table and cannot create in its schema, so Postgres itself
        // refuses most of these (FORBIDDEN); what it lets through the engine's check refuses.
        const error = await db.sql(text).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(BaseboxError)
        const { code, message } = error as BaseboxError
        expect(['FORBIDDEN', 'UNSUPPORTED'], message).toContain(code)
        if (code === 'UNSUPPORTED') {
          expect(message).toMatch(/applyPlan/)
        }
      }
      expect((await db.listTables()).map((t) => t.name)).toEqual(tables)
      expect(
        await value(
          `select count(*)::int from information_schema.columns where table_name = 'posts' and column_name = 'sneaky'`,
        ),
      ).toBe(0)
      expect(await value(`select to_regclass('comments') is not null`)).toBe(true)
    })
  })

  describe('statements hidden from a splitter are found by the grammar', () => {
    it('refuses a COMMIT after a comment holding --, and commits nothing before or after it', async () => {
      for (const readOnly of [true, false]) {
        const error = await expectCode(
          db.sql(`/* -- */ commit; insert into posts (title) values ('sneaked')`, [], { readOnly }),
          'UNSUPPORTED',
        )
        expect(error.details).toMatchObject({ statement: 0 })
        expect(error.message).toMatch(/statement 1 \(COMMIT\)/)
        await expectCode(
          db.sql(`insert into posts (title) values ('sneaked'); /* -- */ commit`, [], { readOnly }),
          'UNSUPPORTED',
        )
      }
      expect(await value(`select count(*)::int from posts where title = 'sneaked'`)).toBe(0)
    })

    it('refuses a COMMIT before CREATE TABLE, and leaves no table', async () => {
      const tables = (await db.listTables()).map((t) => t.name)
      await expectCode(db.sql('/* -- */ commit; create table sneaky (id int)'), 'UNSUPPORTED')
      await expectCode(
        db.sql(`select $x$ ; $x$; commit; create table sneaky (id int)`),
        'UNSUPPORTED',
      )
      await expectCode(db.sql(`select E'\\''; commit; create table sneaky (id int)`), 'UNSUPPORTED')
      expect(await value(`select to_regclass('sneaky') is null`)).toBe(true)
      expect((await db.listTables()).map((t) => t.name)).toEqual(tables)
    })

    it('reports error positions in the whole text', async () => {
      for (const text of [
        "select 'é;' as x; /* c */\n  select nope_col from users",
        '/* /* */ */ select 1;;\tselect nope_col',
      ]) {
        const error = await expectCode(db.sql(text), 'NOT_FOUND')
        expect(error.details).toMatchObject({ statement: 1 })
        expect(text.slice(Number(error.details!.position) - 1)).toMatch(/^nope_col/)
      }
    })

    it('runs what only looks like a statement inside comments and quotes', async () => {
      expect(await value('/* /* */ commit */ select 1')).toBe(1)
      expect(await value('select $x$ commit $x$')).toBe(' commit ')
      expect(await value(`select '--'; select E'\\'' as q`)).toBe("'")
      expect((await db.sql(';; select 1 ;;')).statements).toHaveLength(1)
    })

    it.each([
      ['execute p', 'EXECUTE'],
      ['prepare p as select 1', 'PREPARE'],
      ['deallocate all', 'DEALLOCATE'],
      ['fetch cur', 'FETCH'],
      ['move next in cur', 'MOVE'],
      ['declare cur cursor for select 1', 'DECLARE CURSOR'],
      ['close cur', 'CLOSE PORTAL'],
      ["prepare transaction 'x'", 'PREPARE TRANSACTION'],
      ["commit prepared 'x'", 'COMMIT PREPARED'],
      ['explain execute p', 'EXECUTE'],
      ['vacuum posts', 'VACUUM'],
      ['listen x', 'LISTEN'],
      ['discard all', 'DISCARD'],
    ])('refuses %j with a typed error naming the statement', async (text, command) => {
      const error = await expectCode(db.sql(`select 1; ${text}`), 'UNSUPPORTED')
      expect(error.details).toMatchObject({ statement: 1 })
      expect(error.message).toContain(`statement 2 (${command}`)
    })
  })

  describe('the byte cap', () => {
    const size = (rows: unknown[][]) =>
      new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('')).length

    it('keeps rows up to maxBytes over the whole call and says the result was cut', async () => {
      const result = await db.sql(
        `select repeat('é', 500) as s, g from generate_series(1, 100) g`,
        [],
        { maxBytes: 10_000 },
      )
      const [first] = result.statements
      expect(first!.truncated).toBe(true)
      expect(first!.rows.length).toBeGreaterThan(0)
      expect(first!.rows.length).toBeLessThan(100)
      expect(size(first!.rows)).toBeLessThanOrEqual(10_000)
      const two = await db.sql(
        `select repeat('x', 3000); select repeat('y', 3000); select repeat('z', 3000)`,
        [],
        { maxBytes: 7_000 },
      )
      expect(two.statements.map((s) => [s.rows.length, s.truncated])).toEqual([
        [1, false],
        [1, false],
        [0, true],
      ])
      const whole = await db.sql(`select repeat('x', 100) from generate_series(1, 5)`, [], {
        maxBytes: 10_000,
      })
      expect(whole.statements[0]!.truncated).toBe(false)
      expect(whole.statements[0]!.rows).toHaveLength(5)
    })

    it('validates maxBytes', async () => {
      await expectCode(db.sql('select 1', [], { maxBytes: -1 }), 'VALIDATION_FAILED')
      await expectCode(db.sql('select 1', [], { maxBytes: 60_000_000 }), 'VALIDATION_FAILED')
      await expectCode(db.sql('select 1', [], { maxBytes: 1.5 }), 'VALIDATION_FAILED')
    })

    it('a single row larger than maxBytes is never kept', async () => {
      const text = `insert into posts (title) values ('big?'); select repeat('x', 2000000)`
      if (bb.capabilities.refusesOversizedRows) {
        // Postgres: the row is refused from its message header, before it is read.
        const error = await expectCode(db.sql(text, [], { maxBytes: 1_000_000 }), 'LIMIT_EXCEEDED')
        expect(error.details).toMatchObject({ statement: 1 })
        expect(await value(`select count(*)::int from posts where title = 'big?'`)).toBe(0)
      } else {
        const result = await db.sql(`select repeat('x', 2000000)`, [], { maxBytes: 1_000_000 })
        expect(result.statements[0]).toMatchObject({ rows: [], truncated: true })
      }
      expect(await value('select 1')).toBe(1)
    })

    // 150 MB through a driver that reads rows whole (PGlite) would be read in this process.
    it('answers a 150 MB value with LIMIT_EXCEEDED, not by reading it', async ({ skip }) => {
      skip(
        !bb.capabilities.refusesOversizedRows,
        'the driver reads a row whole before it can tell its size',
      )
      await expectCode(
        db.sql(`select repeat('x', 150000000)`, [], { timeoutMs: 120_000 }),
        'LIMIT_EXCEEDED',
      )
      expect(await value('select current_user')).toBe(db.info.role_name)
    })
  })

  describe('escapes stay inside the project', () => {
    it('cannot read another project or the catalog', async () => {
      await expectCode(db.sql(`select * from "${other.info.schema_name}".users`), 'FORBIDDEN')
      await expectCode(db.sql(`select * from "${bb.catalog.schema}".projects`), 'FORBIDDEN')
      await expectCode(
        db.sql(`select * from "${bb.catalog.schema}".database_credentials`),
        'FORBIDDEN',
      )
      await expectCode(db.sql(`select pg_read_file('/etc/passwd')`), 'FORBIDDEN')
      await expectCode(
        db.sql(`do $$ begin execute 'copy (select 1) to program ''id'''; end $$`),
        'FORBIDDEN',
      )
      await expectCode(db.sql('create extension if not exists hstore'), 'UNSUPPORTED')
      await expectCode(db.sql(`alter system set work_mem = '1GB'`), 'UNSUPPORTED')
      await expectCode(db.sql('create role evil'), 'UNSUPPORTED')
      expect(await value('select current_user')).toBe(db.info.role_name)
    })

    it('cannot switch to another role', async () => {
      // Refused by their parse node on every backend, before anything runs.
      for (const text of [
        'set role postgres',
        'set local role none',
        'reset role; select current_user',
        'set session authorization postgres',
        `reset role; select * from "${other.info.schema_name}".users`,
      ]) {
        await expectCode(db.sql(text), 'UNSUPPORTED')
      }
      if (confined) {
        await expectCode(db.sql(`select set_config('role', 'postgres', false)`), 'FORBIDDEN')
        expect(await value(`select set_config('role', 'none', true); select current_user`)).toBe(
          db.info.role_name,
        )
      } else {
        // PGlite runs every session as its one superuser: SET LOCAL ROLE confines well-behaved
        // SQL only, and set_config() is a function call no parser can refuse. Recorded here so
        // that a change in this is noticed.
        expect(await value(`select set_config('role', 'none', true); select current_user`)).toBe(
          'postgres',
        )
      }
    })

    it('leaves no session state for the next caller', async () => {
      await db.sql(`set search_path = public; set work_mem = '64kB'`)
      expect(await value('show search_path')).toBe(db.info.schema_name)
      expect(await value('show work_mem')).not.toBe('64kB')
      expect(await value('select current_user')).toBe(db.info.role_name)
      // and the engine itself still runs as before
      expect((await db.select('users')).rows).toHaveLength(2)
    })

    // PGlite runs queries synchronously inside its WebAssembly module: nothing in the process can
    // interrupt one (in the browser, run PGlite in a worker and terminate it).
    it('cancels a runaway statement even after SET statement_timeout = 0', async ({ skip }) => {
      skip(!bb.capabilities.interruptsSQL, 'the driver cannot interrupt a running statement')
      // The sleep would take ten minutes: that the call settles at all shows it was stopped; no
      // time is asserted (a busy machine is slow), what is counted is the session still running it.
      const marker = `runaway_${crypto.randomUUID().slice(0, 8)}`
      const error = await expectCode(
        db.sql(`set statement_timeout = 0; select pg_sleep(600) as ${marker}`, [], {
          timeoutMs: 500,
        }),
        'TIMEOUT',
      )
      expect(error.message).toMatch(/500 ms/)
      await expect
        .poll(() =>
          value(
            `select count(*)::int from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and strpos(query, '${marker}') > 0`,
          ),
        )
        .toBe(0)
      expect(await value('select 1')).toBe(1)
    })

    it('stops a run whose signal aborts: it rejects with the reason and commits nothing', async () => {
      const count = `select count(*)::int from posts where title like 'aborted %'`
      const before = await value(count)
      const already = new AbortController()
      already.abort(new Error('gone before it ran'))
      await expect(
        db.sql(`insert into posts (title) values ('aborted 1')`, [], { signal: already.signal }),
      ).rejects.toBe(already.signal.reason)
      // Aborted as soon as it is called, before any statement has had its answer.
      const soon = new AbortController()
      const pending = db.sql(
        `insert into posts (title) values ('aborted 2'); insert into posts (title) values ('aborted 3')`,
        [],
        { signal: soon.signal },
      )
      soon.abort(new Error('the user pressed Cancel'))
      await expect(pending).rejects.toBe(soon.signal.reason)
      // A signal that is left alone changes nothing.
      const kept = await db.sql(`select 1`, [], { signal: new AbortController().signal })
      expect(kept.statements[0]!.rows).toEqual([[1]])
      await expect(db.sql('select 1', [], { signal: 'stop' } as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      expect(await value(count)).toBe(before)
    })

    it('cancels the running statement when the signal aborts, and rolls its writes back', async ({
      skip,
    }) => {
      skip(!bb.capabilities.interruptsSQL, 'the driver cannot interrupt a running statement')
      const marker = `cancelled_${crypto.randomUUID().slice(0, 8)}`
      const running = `select count(*)::int from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and strpos(query, '${marker}') > 0`
      const cancel = new AbortController()
      // The budget (five minutes) is far from spent: only the abort can end the sleep.
      const pending = db.sql(
        `insert into posts (title) values ('${marker}'); set statement_timeout = 0; select pg_sleep(600) as ${marker}`,
        [],
        { signal: cancel.signal, timeoutMs: 300_000 },
      )
      pending.catch(() => {})
      await expect.poll(() => value(running), { timeout: 60_000, interval: 50 }).toBe(1)
      cancel.abort(new Error('the user pressed Cancel'))
      await expect(pending).rejects.toBe(cancel.signal.reason)
      await expect.poll(() => value(running), { timeout: 60_000, interval: 50 }).toBe(0)
      expect(await value(`select count(*)::int from posts where title = '${marker}'`)).toBe(0)
      expect(await value('select 1')).toBe(1)
    })
  })
}
