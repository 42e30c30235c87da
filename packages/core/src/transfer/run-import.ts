import { BaseboxError, toValidationError, type TableDefinition } from '@basebox/client'
import type { DatabaseInternals } from '../database/database-internals.js'
import { ChangePlanInput } from '../ddl/plan-step.js'
import { actAsOwner, type EngineTransaction } from '../engine-context.js'
import { enterAsService } from './enter-as-service.js'

/** An import's work for {@link DatabaseHandle.runImport}. @internal */
export interface ImportWork {
  /** The definitions the import was prepared against. */
  expected: readonly TableDefinition[]
  /** The schema changes to apply first (may be none). */
  steps: readonly unknown[]
  /** Writes the rows, in the import's transaction, acting as the database's role. */
  load(trx: EngineTransaction): Promise<void>
  /** The details of the `data.import` audit entry (never row data). */
  audit: Record<string, unknown>
}

/**
 * Runs an import as ONE transaction: the plan's steps with their catalog writes, then
 * `work.load` as the database's role (its `search_path`, UTC, service access), then the
 * `data.import` audit entry. Either all of it commits or none of it does. `CONFLICT` when the
 * definitions are no longer `work.expected` (the database changed while the import was
 * prepared).
 * @internal
 */
export async function runDatabaseImport(db: DatabaseInternals, work: ImportWork): Promise<void> {
  db.assertWritable('importing')
  const parsed = ChangePlanInput.safeParse({ steps: work.steps })
  if (!parsed.success) {
    throw toValidationError('invalid plan', parsed.error)
  }
  await db.transaction(
    async (trx) => {
      const before = await db.tables(trx)
      const same =
        before.length === work.expected.length &&
        before.every((t, i) => JSON.stringify(t.definition) === JSON.stringify(work.expected[i]))
      if (!same) {
        throw new BaseboxError(
          'CONFLICT',
          'the tables changed while the import was being prepared; try again',
          { details: { database_id: db.info.id } },
        )
      }
      if (parsed.data.steps.length > 0) {
        await db.applySteps(trx, before, parsed.data.steps)
      }
      await enterAsService(trx, db.info)
      await work.load(trx)
      await actAsOwner(db.ctx, trx, db.ownerId)
      await db.audit(trx, 'data.import', work.audit)
    },
    { lock: true },
  )
}
