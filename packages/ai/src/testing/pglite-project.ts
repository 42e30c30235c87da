import { PGlite } from '@electric-sql/pglite'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import { createPGliteHarness, type TestHarness } from '@basebox/core/testing'
import { readFile } from 'node:fs/promises'
import type { SQLChecker } from '../sql/sql-checker.js'

// Test helpers over one real PGlite instance (each weighs ~750 MB: one per test file, closed
// after it). Not published (see `files`).

/** One PGlite engine with fresh project databases on demand, and raw access for checks. */
export interface ProjectEngine {
  pglite: PGlite
  harness: TestHarness
  bb: Basebox
  /** A new project with its database (which has the default `users` table). */
  freshDatabase(): Promise<DatabaseHandle>
  /** The names of the tables Postgres holds in the database's schema. */
  tablesInSchema(db: DatabaseHandle): Promise<string[]>
  close(): Promise<void>
}

let projects = 0

/**
 * PGlite from the snapshot the vitest global setup makes once per run (~0.5 s instead of ~2 s).
 * The core has the same helper but does not export it from `@basebox/core/testing`.
 */
async function loadSnapshot(): Promise<PGlite> {
  const path = process.env.BASEBOX_PGLITE_SNAPSHOT
  return path === undefined || path === ''
    ? PGlite.create()
    : PGlite.create({ loadDataDir: new Blob([await readFile(path)]) })
}

/** Starts PGlite from the test run's snapshot and an engine over it. */
export async function startProjectEngine(): Promise<ProjectEngine> {
  const pglite = await loadSnapshot()
  const harness = createPGliteHarness(pglite)
  const bb = await harness.engine()
  return {
    pglite,
    harness,
    bb,
    async freshDatabase() {
      projects += 1
      const owner = bb.owner(`ai-test-owner-${projects}`)
      const project = await owner.createProject({ name: `ai test ${projects}` })
      return owner.createDatabase(project.id)
    },
    async tablesInSchema(db) {
      const rows = await harness.query<{ name: string }>(
        'select table_name as name from information_schema.tables where table_schema = $1 order by table_name',
        [db.info.schema_name],
      )
      return rows.map((r) => r.name)
    },
    close: () => harness.close(),
  }
}

/**
 * The checker a host writes today (until the core offers one): EXPLAIN in a read-only
 * transaction, under the database's role and search_path, always rolled back. `tx.query` uses
 * the extended protocol, so a second statement is refused by Postgres itself.
 */
export function createPGliteSQLChecker(pglite: PGlite, db: DatabaseHandle): SQLChecker {
  return {
    async explain(sql) {
      let plan: unknown
      await pglite.transaction(async (tx) => {
        await tx.query('set transaction read only')
        await tx.query("select set_config('role', $1, true), set_config('search_path', $2, true)", [
          db.info.role_name,
          db.info.schema_name,
        ])
        const result = await tx.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${sql}`)
        plan = result.rows[0]?.['QUERY PLAN']
        await tx.rollback()
      })
      return plan
    },
  }
}
