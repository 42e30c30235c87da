import { sql } from 'kysely'
import { TENANT_TEMP_FILE_LIMIT } from '../catalog/migrations.js'
import type { DatabaseInternals } from '../database/database-internals.js'
import { quoteIdentifier, quoteLiteral } from '../ddl/identifier.js'
import type { SQLLogin } from '../driver/driver.js'
import { actAsEngine, type EngineTransaction } from '../engine-context.js'

function newPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

/**
 * The login of one database's role for user SQL, kept in the catalog's `database_credentials`
 * (which only the engine's own user reads) and cached per handle. The password never leaves the
 * engine. Without `confinesSQL` (PGlite) there is no login: the role is entered by `SET ROLE`.
 * @internal
 */
export class SQLCredentials {
  readonly #db: Pick<DatabaseInternals, 'ctx' | 'info' | 'transaction'>
  #login: SQLLogin | undefined

  constructor(db: Pick<DatabaseInternals, 'ctx' | 'info' | 'transaction'>) {
    this.#db = db
  }

  /** Replaces the password the role logs in with, and resets the role's own settings. */
  async rotate(): Promise<void> {
    this.#login = undefined
    await this.login(true)
  }

  /** The role's login: cached, else stored, else a new password (always a new one with `rotate`). */
  async login(rotate = false): Promise<SQLLogin> {
    const { ctx, info } = this.#db
    if (!ctx.capabilities.confinesSQL) {
      return { role: info.role_name, password: '', schema: info.schema_name }
    }
    if (this.#login !== undefined && !rotate) {
      return this.#login
    }
    const password = await this.#db.transaction(
      async (trx) => {
        await actAsEngine(trx)
        const credentials = sql.id(ctx.catalog.schema, 'database_credentials')
        const { rows } = await sql<{
          password: string
        }>`select password from ${credentials} where database_id = ${info.id}`.execute(trx)
        if (rows[0] !== undefined && !rotate) {
          return rows[0].password
        }
        const next = newPassword()
        const role = quoteIdentifier(info.role_name)
        await sql
          .raw(`alter role ${role} login password ${quoteLiteral(next)} connection limit 4`)
          .execute(trx)
        // What the role's own SQL may have set on itself (`alter role current_user set ...`) goes.
        await sql.raw(`alter role ${role} reset all`).execute(trx)
        await sql
          .raw(`alter role ${role} set search_path = ${quoteIdentifier(info.schema_name)}`)
          .execute(trx)
        if (ctx.superuser) {
          await sql
            .raw(`alter role ${role} set temp_file_limit = ${quoteLiteral(TENANT_TEMP_FILE_LIMIT)}`)
            .execute(trx)
        }
        await sql`insert into ${credentials} (database_id, password) values (${info.id}, ${next})
        on conflict (database_id) do update set password = excluded.password, rotated_at = now()`.execute(
          trx,
        )
        return next
      },
      { lock: true },
    )
    this.#login = { role: info.role_name, password, schema: info.schema_name }
    return this.#login
  }
}

/**
 * Whether the database role carries settings of its own beyond the engine's (`search_path`,
 * `temp_file_limit`): its SQL may `ALTER ROLE current_user SET ...` (in a `DO` block, past the
 * statement check), which would shape every later login of the role. One catalog read, in the
 * audit transaction of the run; when it finds some, the engine resets them.
 * @internal
 */
export async function roleSettingsChanged(
  trx: EngineTransaction,
  roleName: string,
): Promise<boolean> {
  const { rows } = await sql<{ extra: boolean }>`select exists (
      select from pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c
      where s.setrole = (select r.oid from pg_catalog.pg_roles r where r.rolname = ${roleName})
        and (s.setdatabase <> 0 or (c not like 'search_path=%' and c not like 'temp_file_limit=%'))
    ) as extra`.execute(trx)
  return rows[0]?.extra === true
}
