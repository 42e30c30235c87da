import type { ProjectDatabase } from '@basebox/client'
import { sql } from 'kysely'
import { USER_ID_SETTING, USER_ROLE_SETTING } from '../ddl/compile-access.js'
import type { EngineTransaction } from '../engine-context.js'

/**
 * Switches a transaction to the database's role, schema and UTC, with service access claims.
 * @internal
 */
export async function enterAsService(trx: EngineTransaction, info: ProjectDatabase): Promise<void> {
  await sql`select set_config('role', ${info.role_name}, true), set_config('search_path', ${info.schema_name}, true), set_config('timezone', 'UTC', true), set_config(${USER_ID_SETTING}, '', true), set_config(${USER_ROLE_SETTING}, 'service_role', true)`.execute(
    trx,
  )
}
