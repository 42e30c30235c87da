import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../database/database-handle.js'
import { BLOG_TABLES } from '../testing/fixtures.js'
import type { TestHarness } from '../testing/harness.js'
import { createPgHarness } from '../testing/pg-harness.js'
import { KINDS_ROWS, KINDS_TABLE } from '../testing/transfer-fixtures.js'
import { exportDatabase } from './export-database.js'

const url = process.env.DATABASE_URL

function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

// The SQL export's promise to plain PostgreSQL, kept by the real client: psql restores it into
// a new, empty database. Needs DATABASE_URL (a role that may create databases) and psql.
describe.skipIf(url === undefined || url === '' || !hasPsql())(
  'SQL export restored by psql into a plain database',
  () => {
    let h: TestHarness
    let db: DatabaseHandle
    const name = `basebox_restore_${crypto.randomUUID().slice(0, 8)}`
    const fingerprint = `set timezone = 'UTC'; select md5(string_agg(k::text, '|' order by id)) as f, count(*)::int as n from kinds k`

    beforeAll(async () => {
      h = createPgHarness(new pg.Pool({ connectionString: url, max: 2 }))
      const bb = await h.engine()
      const owner = bb.owner('restore-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'restore' })).id)
      for (const table of [...BLOG_TABLES, KINDS_TABLE]) {
        await db.createTable(table)
      }
      await db.insert(
        'users',
        { email: 'ada@example.com', password_hash: 'hash' },
        { allowSecret: true },
      )
      await db.insert('kinds', KINDS_ROWS)
      await db.sql(
        `update kinds set ratio = 'NaN', amount = 'NaN', day = 'infinity', at = '-infinity' where id = 23`,
      )
      await h.query(`create database ${name}`)
    })

    afterAll(async () => {
      await h?.query(`drop database if exists ${name}`)
      await h?.close()
    })

    it('restores schema, constraints and data exactly, awkward text included', async () => {
      const script = await exportDatabase(db, { format: 'sql', includeSecrets: true })
      const target = new URL(url!)
      target.pathname = `/${name}`
      execFileSync(
        'psql',
        ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.toString(), '-f', '-'],
        { input: script, encoding: 'utf8' },
      )
      const restored = new pg.Client({ connectionString: target.toString() })
      await restored.connect()
      try {
        const [, { rows }] = (await restored.query(fingerprint)) as unknown as [
          unknown,
          { rows: { f: string; n: number }[] },
        ]
        const original = (await db.sql(fingerprint)).statements[1]!.rows[0]
        expect([rows[0]!.f, rows[0]!.n]).toEqual(original)
        expect(rows[0]!.n).toBe(KINDS_ROWS.length)
        const constraints = await restored.query(
          `select conname from pg_constraint where connamespace = 'public'::regnamespace order by 1`,
        )
        expect(constraints.rows.map((r) => r.conname)).toEqual([
          'comments_author_id_fkey',
          'comments_pkey',
          'comments_post_id_fkey',
          'kinds_parent_id_fkey',
          'kinds_pkey',
          'kinds_ref_key',
          'posts_author_id_fkey',
          'posts_pkey',
          'users_email_key',
          'users_pkey',
        ])
        const users = await restored.query('select email, password_hash from users')
        expect(users.rows).toEqual([{ email: 'ada@example.com', password_hash: 'hash' }])
      } finally {
        await restored.end()
      }
    })
  },
)
