import type { TableDefinition } from '@basebox/client'
import { sql } from 'kysely'
import type { DatabaseInternals } from '../database/database-internals.js'
import { actAsOwner, type EngineTransaction } from '../engine-context.js'
import { fromDatabaseError } from '../errors/from-database-error.js'
import { DatabaseNotFoundError } from '../errors/not-found.js'
import { enterAsService } from './enter-as-service.js'

/** A read-only snapshot transaction opened by {@link DatabaseHandle.openSnapshot}. @internal */
export interface DatabaseSnapshot {
  readonly trx: EngineTransaction
  /** The definitions as of the snapshot, in creation order. */
  readonly tables: TableDefinition[]
  /** Ends the transaction and frees its connection. Idempotent; never throws. */
  release(): Promise<void>
}

/**
 * Opens a read-only, repeatable-read transaction on one connection for an export: every
 * statement in it sees the same snapshot. Reads the definitions as of that snapshot (as the
 * owner), then acts as the database's role with service access. The caller must `release()`
 * it (idempotent); until then it holds a connection (on PGlite, the only one).
 * @internal
 */
export async function openDatabaseSnapshot(db: DatabaseInternals): Promise<DatabaseSnapshot> {
  const trx = await db.ctx.db.startTransaction().execute()
  let released: Promise<void> | undefined
  const release = () =>
    (released ??= trx
      .rollback()
      .execute()
      .catch(() => {}))
  try {
    // Kysely's PGlite driver ignores isolation options, so they are set by statement.
    await sql`set transaction isolation level repeatable read, read only`.execute(trx)
    await actAsOwner(db.ctx, trx, db.ownerId)
    const row = await trx
      .selectFrom('project_databases')
      .select(['id'])
      .where('id', '=', db.info.id)
      .executeTakeFirst()
    if (row === undefined) {
      throw new DatabaseNotFoundError(db.info.id)
    }
    const tables = (await db.tables(trx)).map((t) => t.definition)
    await enterAsService(trx, db.info)
    return { trx, tables, release }
  } catch (error) {
    await release()
    throw fromDatabaseError(error)
  }
}
