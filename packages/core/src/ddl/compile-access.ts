import {
  ACCESS_OPERATIONS,
  type AccessOperation,
  type AccessRule,
  type TableDefinition,
} from '@basebox/client'
import { quoteIdentifier as q } from './identifier.js'

/** The role end users' requests run as, from a database's own role. */
export function clientRoleOf(databaseRole: string): string {
  return `${databaseRole}_client`
}

/**
 * The role that owns a database's schema and every object in it (tables, sequences, policies,
 * the functions policies call), from the database's own role. No tenant session can use it: it
 * cannot log in, and only the engine's user is a member. The database's own role (service
 * access, user SQL) and the client role have data privileges only, so no tenant statement can
 * create or replace a function, trigger, rule, policy or grant that the engine would later run.
 */
export function schemaOwnerOf(databaseRole: string): string {
  return `${databaseRole}_owner`
}

/** The roles of one project database. */
export interface DatabaseRoles {
  /** The database's own role: service access and user SQL; data privileges only. */
  readonly role: string
  /** End users' requests (anon, authenticated), under the tables' access rules. */
  readonly client: string
  /** Owns the schema and its objects; only the engine acts as it, for plans. */
  readonly owner: string
}

/** The roles of a database, from its own role's name. */
export function databaseRoles(databaseRole: string): DatabaseRoles {
  return {
    role: databaseRole,
    client: clientRoleOf(databaseRole),
    owner: schemaOwnerOf(databaseRole),
  }
}

/**
 * The privileges of a database's roles on its schema, run as the schema's owner: usage for the
 * database role and the client role, `CREATE` for neither; every table and sequence the owner
 * creates from now on is open to the database role for data (select, insert, update, delete,
 * truncate) and nothing else (no `TRIGGER`, no `REFERENCES`); functions run only where granted.
 * Idempotent.
 */
export function compileSchemaPrivileges(schema: string, roles: DatabaseRoles): string[] {
  const s = q(schema)
  const role = q(roles.role)
  return [
    `revoke all on schema ${s} from public`,
    `grant usage on schema ${s} to ${role}, ${q(roles.client)}`,
    `alter default privileges in schema ${s} grant select, insert, update, delete, truncate on tables to ${role}`,
    `alter default privileges in schema ${s} grant usage, select, update on sequences to ${role}`,
    `alter default privileges revoke execute on functions from public`,
  ]
}

/** The function policies read the signed-in user's id from (the `auth.uid()` of Supabase). */
export const AUTH_UID_FUNCTION = 'auth_uid'

/** The setting that carries the signed-in user's id (`sub` claim) into a transaction. */
export const USER_ID_SETTING = 'request.jwt.claim.sub'

/** The setting that carries the request's role claim (`anon`, `authenticated`). */
export const USER_ROLE_SETTING = 'request.jwt.claim.role'

/**
 * The statements that create {@link AUTH_UID_FUNCTION} in a project schema, run as the schema's
 * owner (so no tenant can replace it). Its body names `pg_catalog` itself rather than setting a
 * `search_path`, so that policies can inline it. `replace` recreates it in place (migrations).
 */
export function compileAuthFunctions(
  schema: string,
  roles: DatabaseRoles,
  options: { replace?: boolean } = {},
): string[] {
  return [
    `create ${options.replace === true ? 'or replace ' : ''}function ${q(schema)}.${AUTH_UID_FUNCTION}() returns pg_catalog.uuid language sql stable as $fn$
       select nullif(pg_catalog.current_setting('${USER_ID_SETTING}', true), '')::pg_catalog.uuid
     $fn$`,
    `revoke all on function ${q(schema)}.${AUTH_UID_FUNCTION}() from public`,
    `grant execute on function ${q(schema)}.${AUTH_UID_FUNCTION}() to ${q(roles.role)}, ${q(roles.client)}`,
  ]
}

/** The policy that gives the database's own role (service access) every row of a table. */
const SERVICE_POLICY = 'basebox_service'

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
export function compileAccess(
  schema: string,
  roles: DatabaseRoles,
  table: TableDefinition,
  options: { fresh?: boolean } = {},
): string[] {
  const target = `${q(schema)}.${q(table.name)}`
  const role = q(roles.client)
  const columns = table.columns
    .filter((c) => c.secret !== true)
    .map((c) => q(c.name))
    .join(', ')
  const out: string[] = []
  // A table created in this transaction has no grants or policies to clear.
  if (options.fresh !== true) {
    out.push(`revoke all on ${target} from ${role}`)
    for (const operation of ACCESS_OPERATIONS) {
      out.push(`drop policy if exists ${q(policyName(operation))} on ${target}`)
    }
    out.push(`drop policy if exists ${q(SERVICE_POLICY)} on ${target}`)
  }
  // The database's role does not own the table, so row-level security applies to it: service
  // access is one policy that sees and writes every row.
  out.push(
    `create policy ${q(SERVICE_POLICY)} on ${target} for all to ${q(roles.role)} using (true) with check (true)`,
  )
  for (const operation of ACCESS_OPERATIONS) {
    const rule = table.access?.[operation] ?? 'nobody'
    if (rule === 'nobody') {
      continue
    }
    const check = condition(schema, table, rule)
    switch (operation) {
      case 'select':
        out.push(`grant select (${columns}) on ${target} to ${role}`)
        out.push(
          `create policy ${q(policyName(operation))} on ${target} for select to ${role} using (${check})`,
        )
        break
      case 'insert':
        out.push(`grant insert (${columns}) on ${target} to ${role}`)
        out.push(
          `create policy ${q(policyName(operation))} on ${target} for insert to ${role} with check (${check})`,
        )
        break
      case 'update':
        out.push(`grant update (${columns}) on ${target} to ${role}`)
        out.push(
          `create policy ${q(policyName(operation))} on ${target} for update to ${role} using (${check}) with check (${check})`,
        )
        break
      case 'delete':
        out.push(`grant delete on ${target} to ${role}`)
        out.push(
          `create policy ${q(policyName(operation))} on ${target} for delete to ${role} using (${check})`,
        )
        break
      default:
        operation satisfies never
    }
  }
  return out
}

/** One operation's rule and its compiled policy and grant, without the schema name. */
export interface CompiledAccessPolicy {
  operation: AccessOperation
  rule: AccessRule
  name: string | null
  sql: string | null
  grant: string | null
}

/**
 * A table's access rules as the statements {@link compileAccess} makes for a new table, with
 * the schema name left out (as plan previews show them), and per operation its policy and
 * grant. Pure: no SQL runs.
 */
export function describeAccess(
  schema: string,
  roles: DatabaseRoles,
  table: TableDefinition,
): { statements: string[]; policies: CompiledAccessPolicy[] } {
  const prefix = `${q(schema)}.`
  const statements = compileAccess(schema, roles, table, { fresh: true }).map((s) =>
    s.replaceAll(prefix, ''),
  )
  const policies = ACCESS_OPERATIONS.map((operation): CompiledAccessPolicy => {
    const rule = table.access?.[operation] ?? 'nobody'
    if (rule === 'nobody') {
      return { operation, rule, name: null, sql: null, grant: null }
    }
    const name = policyName(operation)
    return {
      operation,
      rule,
      name,
      sql: statements.find((s) => s.startsWith(`create policy ${q(name)} `)) ?? null,
      grant: statements.find((s) => s.startsWith(`grant ${operation} `)) ?? null,
    }
  })
  return { statements, policies }
}
