import { BaseboxError } from '@basebox/client'
import type { EngineTransaction } from '../engine-context.js'

/** One entry of a database's audit log: who did what, when. Never row data or secrets. */
export interface AuditEntry {
  id: string
  database_id: string | null
  /** The owner (host user) who acted. */
  actor: string
  /** What happened, e.g. `schema.apply`, `sql.run`, `data.export`, `data.import`. */
  action: string
  details: Record<string, unknown>
  /** ISO 8601 timestamp. */
  created_at: string
}

/** A page of the audit log, newest first. */
export interface AuditPage {
  entries: AuditEntry[]
  /** Pass as `cursor` for the next (older) page; `null` on the last page. */
  nextCursor: string | null
}

/** The actions Basebox records. */
export const AUDIT_ACTIONS = [
  'database.create',
  'database.delete',
  'schema.apply',
  'sql.run',
  'data.export',
  'data.import',
  'keys.create',
  'keys.revoke',
  'jwt_secret.rotate',
  'users.create',
  'users.update',
  'users.delete',
  'users.password_reset',
  'users.sessions_revoke',
] as const

/** One of {@link AUDIT_ACTIONS} (later features add theirs). */
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {})

/** Records an entry, in the caller's owner-scoped transaction (row-level security checks it). @internal */
export async function recordAudit(
  trx: EngineTransaction,
  entry: {
    projectId: string
    databaseId: string | null
    actor: string
    action: AuditAction
    details: Record<string, unknown>
  },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      project_id: entry.projectId,
      database_id: entry.databaseId,
      actor: entry.actor,
      action: entry.action,
      details: JSON.stringify(entry.details),
    })
    .execute()
}

/** Reads a database's audit log, newest first, `limit` entries after `cursor`. @internal */
export async function readAudit(
  trx: EngineTransaction,
  databaseId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<AuditPage> {
  const limit = options.limit ?? 50
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new BaseboxError('VALIDATION_FAILED', 'limit must be an integer from 1 to 500')
  }
  if (options.cursor != null && !/^\d{1,19}$/.test(options.cursor)) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      'malformed cursor: pass the nextCursor of a previous page',
    )
  }
  let query = trx
    .selectFrom('audit_log')
    .select(['database_id', 'actor', 'action', 'details', 'created_at'])
    .select((eb) => eb.cast<string>('id', 'text').as('id'))
    .where('database_id', '=', databaseId)
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1)
  if (options.cursor != null) {
    query = query.where('audit_log.id', '<', options.cursor)
  }
  const rows = await query.execute()
  const page = rows.slice(0, limit)
  return {
    entries: page.map((r) => ({
      id: String(r.id),
      database_id: r.database_id,
      actor: r.actor,
      action: r.action,
      details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
      created_at: (r.created_at instanceof Date
        ? r.created_at
        : new Date(r.created_at)
      ).toISOString(),
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  }
}
