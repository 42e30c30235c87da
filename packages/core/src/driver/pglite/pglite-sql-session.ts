import type { PGlite } from 'kysely'
import { quoteIdentifier } from '../../ddl/identifier.js'
import type { RawStatementResult, SQLConnection, SQLLogin, SQLSessionOptions } from '../driver.js'

/**
 * Runs user SQL on PGlite in one exclusive transaction switched to the database's role with
 * `SET LOCAL ROLE`. PGlite has one superuser session, so this confinement is advisory: a
 * statement may `RESET ROLE`. PGlite also cannot be interrupted from inside its process; in the
 * browser run it in a worker that can be terminated.
 * @internal
 */
export async function runPGliteSQLSession<T>(
  pglite: PGlite,
  login: SQLLogin,
  options: SQLSessionOptions,
  fn: (connection: SQLConnection) => Promise<T>,
): Promise<T> {
  options.signal?.throwIfAborted()
  return pglite.transaction(async (tx) => {
    if (options.readOnly) {
      await tx.query('set transaction read only')
    }
    await tx.query(`set local role ${quoteIdentifier(login.role)}`)
    await tx.query(`set local search_path = ${quoteIdentifier(login.schema)}`)
    const connection: SQLConnection = {
      async query(text, params, maxRows): Promise<RawStatementResult> {
        const result = await tx.query<unknown[]>(text, [...params], { rowMode: 'array' })
        return {
          command: undefined,
          fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
          rows: result.rows.slice(0, maxRows),
          rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
          truncated: result.rows.length > maxRows,
        }
      },
    }
    const result = await fn(connection)
    // Aborted while the last statement ran (it cannot be interrupted here): roll back.
    options.signal?.throwIfAborted()
    // A session-level SET would outlive this transaction in PGlite's one shared session (and
    // could leave the engine running as another role): end with everything reset.
    await tx.query('reset session authorization')
    await tx.query('reset all')
    await tx.query('reset role')
    return result
  })
}
