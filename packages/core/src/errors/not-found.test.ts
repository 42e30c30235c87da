// Every "database not found" is one DatabaseNotFoundError: told apart by type, never by message,
// and a plain NOT_FOUND on the wire.
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { TestHarness } from '../testing/harness.js'
import { createPGliteHarness } from '../testing/pglite-harness.js'
import { loadPGliteSnapshot } from '../testing/pglite-snapshot.js'
import { DatabaseNotFoundError, isDatabaseNotFound } from './not-found.js'

let harness: TestHarness
let engine: Basebox

beforeAll(async () => {
  harness = createPGliteHarness(await loadPGliteSnapshot(PGlite))
  engine = await harness.engine()
})

afterAll(async () => {
  await harness?.close()
})

describe('given a database that is not there', () => {
  it('every path says so with the one error type, a plain NOT_FOUND on the wire', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    const owner = engine.owner('someone')
    const errors = await Promise.all([
      engine.databaseById(missing).catch((e: unknown) => e),
      engine.databaseById('not-a-uuid').catch((e: unknown) => e),
      owner.databaseById(missing).catch((e: unknown) => e),
    ])
    for (const error of errors) {
      expect(isDatabaseNotFound(error)).toBe(true)
      expect(error).toBeInstanceOf(DatabaseNotFoundError)
      expect((error as DatabaseNotFoundError).code).toBe('NOT_FOUND')
    }
    expect((errors[0] as DatabaseNotFoundError).toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'database not found',
      details: { database_id: missing },
    })
    expect((errors[1] as DatabaseNotFoundError).toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'database not found',
    })
  })

  it('a dropped database found by a handle still held is the same error', async () => {
    const owner = engine.owner('dropper')
    const project = await owner.createProject({ name: 'Gone' })
    const db = await owner.createDatabase(project.id)
    await owner.deleteProject(project.id)
    const error = await db.listTables().catch((e: unknown) => e)
    expect(isDatabaseNotFound(error)).toBe(true)
  })

  it('another NOT_FOUND is not it', () => {
    expect(isDatabaseNotFound(new Error('database not found'))).toBe(false)
  })
})
