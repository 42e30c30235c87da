import { ACCESS_OPERATIONS, type AccessOperation, type AccessRule, type TableDefinition } from '@basebox/client'
import { quoteIdentifier as q } from './identifier.js'

/** The role end users' requests run as, from a database's own role. */
export function clientRoleOf(databaseRole: string): string {
  return `${databaseRole}_client`
}

/** The function policies read the signed-in user's id from (the `auth.uid()` of Supabase). */
export const AUTH_UID_FUNCTION = 'auth_uid'

/** The setting that carries the signed-in user's id (`sub` claim) into a transaction. */
export const USER_ID_SETTING = 'request.jwt.claim.sub'

/** The setting that carries the request's role claim (`anon`, `authenticated`). */
export const USER_ROLE_SETTING = 'request.jwt.claim.role'

/** The statements that create {@link AUTH_UID_FUNCTION} in a project schema. */
export function compileAuthFunctions(schema: string, clientRole: string): string[] {
  return [
    `create function ${q(schema)}.${AUTH_UID_FUNCTION}() returns uuid language sql stable as $fn$
       select nullif(current_setting('${USER_ID_SETTING}', true), '')::uuid
     $fn$`,
    `grant execute on function ${q(schema)}.${AUTH_UID_FUNCTION}() to ${q(clientRole)}`,
  ]
}

function condition(schema: string, table: TableDefinition, rule: AccessRule): string {
  switch (rule) {
    case 'public':
      return 'true'
    case 'authenticated':
      return `${q(schema)}.${AUTH_UID_FUNCTION}() is not null`
    case 'owner':
      return `${q(table.access!.owner_column!)} = ${q(schema)}.${AUTH_UID_FUNCTION}()`
    case 'nobody':
      return 'false'
    default:
      return rule satisfies never
  }
}

function policyName(operation: AccessOperation): string {
  return `basebox_${operation}`
}

/**
 * The grants and row-level security policies that carry out a table's access rules for the
 * client role, rebuilt from scratch: revoke everything, drop Basebox's policies, then grant each
 * allowed operation on the non-secret columns and create its policy. Idempotent; run for every
 * table at the end of each plan, so that column changes are followed too.
 */
export function compileAccess(schema: string, clientRole: string, table: TableDefinition, options: { fresh?: boolean } = {}): string[] {
  const target = `${q(schema)}.${q(table.name)}`
  const role = q(clientRole)
  const columns = table.columns.filter((c) => c.secret !== true).map((c) => q(c.name)).join(', ')
  const out: string[] = []
  // A table created in this transaction has no grants or policies to clear.
  if (options.fresh !== true) {
    out.push(`revoke all on ${target} from ${role}`)
    for (const operation of ACCESS_OPERATIONS) {
      out.push(`drop policy if exists ${q(policyName(operation))} on ${target}`)
    }
  }
  for (const operation of ACCESS_OPERATIONS) {
    const rule = table.access?.[operation] ?? 'nobody'
    if (rule === 'nobody') {
      continue
    }
    const check = condition(schema, table, rule)
    switch (operation) {
      case 'select':
        out.push(`grant select (${columns}) on ${target} to ${role}`)
        out.push(`create policy ${q(policyName(operation))} on ${target} for select to ${role} using (${check})`)
        break
      case 'insert':
        out.push(`grant insert (${columns}) on ${target} to ${role}`)
        out.push(`create policy ${q(policyName(operation))} on ${target} for insert to ${role} with check (${check})`)
        break
      case 'update':
        out.push(`grant update (${columns}) on ${target} to ${role}`)
        out.push(`create policy ${q(policyName(operation))} on ${target} for update to ${role} using (${check}) with check (${check})`)
        break
      case 'delete':
        out.push(`grant delete on ${target} to ${role}`)
        out.push(`create policy ${q(policyName(operation))} on ${target} for delete to ${role} using (${check})`)
        break
      default:
        operation satisfies never
    }
  }
  return out
}
