import type { ProjectDatabase, TableInfo } from '@basebox/client'
import type { AuditAction } from '../catalog/audit-log.js'
import type { PlanStep } from '../ddl/plan-step.js'
import type { EngineContext, EngineTransaction } from '../engine-context.js'

/**
 * What the engine's own modules (imports, export snapshots, SQL credentials) use of one
 * {@link DatabaseHandle} beyond its public API. Each handle builds one over its private state.
 * @internal
 */
export interface DatabaseInternals {
  readonly ctx: EngineContext
  /** The catalog row of the database. */
  readonly info: ProjectDatabase
  /** The owner the handle acts for. */
  readonly ownerId: string
  /** Throws `FORBIDDEN` when the owner may only read; `what` names the refused write. */
  assertWritable(what: string): void
  /** See {@link DatabaseHandle.transaction}. */
  transaction<T>(
    fn: (trx: EngineTransaction) => Promise<T>,
    options?: { lock?: boolean },
  ): Promise<T>
  /** The database's tables in the catalog, in creation order, as the transaction's role sees them. */
  tables(trx: EngineTransaction): Promise<TableInfo[]>
  /**
   * Runs a plan's steps in the caller's locked transaction and keeps the catalog in step (the
   * definitions, the schema version, the audit log). Leaves the transaction acting as the owner.
   */
  applySteps(trx: EngineTransaction, before: TableInfo[], steps: readonly PlanStep[]): Promise<void>
  /** Records an audit entry of the database in the given owner-scoped transaction. */
  audit(
    trx: EngineTransaction,
    action: AuditAction,
    details: Record<string, unknown>,
  ): Promise<void>
}
