// The AccessRules component's pure part: access rules compared by meaning, the wanted tables of
// a change, and the policy SQL of each table read off a plan. No React, no client.
import {
  ACCESS_OPERATIONS,
  type AccessDefinition,
  type TableDefinition,
  type TableDefinitionInput,
  type WireChangePlan,
} from '@basebox/client'

/** JSON with keys sorted, as the engine compares definitions. */
function stableJSON(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((key) => [key, sort((v as Record<string, unknown>)[key])]),
          )
        : v
  return JSON.stringify(sort(value ?? null))
}

/** The rules with `nobody` (the default) left out; `undefined` when nothing is left. @internal */
export function normalizeAccess(
  access: AccessDefinition | null | undefined,
): AccessDefinition | undefined {
  const out: AccessDefinition = {}
  for (const operation of ACCESS_OPERATIONS) {
    const rule = access?.[operation]
    if (rule !== undefined && rule !== 'nobody') {
      out[operation] = rule
    }
  }
  if (access?.owner_column !== undefined) {
    out.owner_column = access.owner_column
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** Whether two sets of rules mean the same (a missing operation is `nobody`). @internal */
export function sameAccess(
  a: AccessDefinition | null | undefined,
  b: AccessDefinition | null | undefined,
): boolean {
  return stableJSON(normalizeAccess(a)) === stableJSON(normalizeAccess(b))
}

/** Whether any operation uses the `owner` rule. @internal */
export function usesOwner(access: AccessDefinition | null | undefined): boolean {
  return ACCESS_OPERATIONS.some((operation) => access?.[operation] === 'owner')
}

/**
 * The rules to plan so that the plan's `set_access` steps give the table's policies for its
 * current rules, rebuilt from nothing, while the database is not changed: the same rules written
 * another way (every operation spelled out, or the `nobody` ones left out), whose one plan is
 * the policies. When every operation is open there is no other way to write them: then two
 * variants, each with one operation closed, whose SQL {@link mergePolicySQL} puts together.
 * @internal
 */
export function policyVariants(
  stored: AccessDefinition | null | undefined,
): (AccessDefinition | undefined)[] {
  const key = stableJSON(stored)
  const explicit: AccessDefinition = {}
  for (const operation of ACCESS_OPERATIONS) {
    explicit[operation] = stored?.[operation] ?? 'nobody'
  }
  if (stored?.owner_column !== undefined) {
    explicit.owner_column = stored.owner_column
  }
  if (stableJSON(explicit) !== key) {
    return [explicit]
  }
  const compact = normalizeAccess(stored)
  if (stableJSON(compact) !== key) {
    return [compact]
  }
  if (stored?.owner_column !== undefined && !usesOwner(stored)) {
    const { owner_column: _unused, ...rest } = explicit
    return [rest]
  }
  return [
    { ...explicit, select: 'nobody' },
    { ...explicit, insert: 'nobody' },
  ]
}

/**
 * The statements of two plans of {@link policyVariants} put together in order: each one lacks
 * the statements of the operation it closed, and every statement of the whole is in one of them.
 * @internal
 */
export function mergePolicySQL(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(a[i]!)
      i++
      j++
    } else if (j < b.length && !a.slice(i).includes(b[j]!)) {
      out.push(b[j++]!)
    } else if (i < a.length) {
      out.push(a[i++]!)
    } else {
      out.push(b[j++]!)
    }
  }
  return out
}

/** Every table's definition, with the access rules of the tables named in `access` replaced. @internal */
export function withAccess(
  tables: readonly TableDefinition[],
  access: Readonly<Record<string, AccessDefinition | undefined>>,
): TableDefinitionInput[] {
  return tables.map((table) => {
    if (!Object.hasOwn(access, table.name)) {
      return table
    }
    const { access: _old, ...rest } = table
    const next = access[table.name]
    return next === undefined ? rest : { ...rest, access: next }
  })
}

/** The SQL of each `set_access` step of `plan`, by table name. @internal */
export function accessSQLByTable(plan: WireChangePlan): Map<string, string[]> {
  const out = new Map<string, string[]>()
  plan.steps.forEach((step, index) => {
    if (step.kind === 'set_access' && typeof step.table === 'string') {
      out.set(step.table, plan.sql?.[index] ?? [])
    }
  })
  return out
}

/** Why these rules cannot be planned for `table` (the owner rule without its column), or `undefined`. @internal */
export function accessProblem(
  table: TableDefinition,
  access: AccessDefinition | undefined,
): string | undefined {
  if (!usesOwner(access) || access?.owner_column !== undefined) {
    return undefined
  }
  return ownerCandidates(table).length === 0
    ? `The owner rule needs a uuid column holding the owner's id, and ${table.name} has none.`
    : "Pick the owner column: the uuid column that holds the id of the row's owner."
}

/** The columns that can hold a row's owner: uuid, not secret. @internal */
export function ownerCandidates(table: TableDefinition): string[] {
  return table.columns.filter((c) => c.type === 'uuid' && c.secret !== true).map((c) => c.name)
}

/** The owner column picked when `owner` is first chosen: a likely name, else a non-key uuid column. @internal */
export function guessOwnerColumn(table: TableDefinition): string | undefined {
  const candidates = ownerCandidates(table)
  return (
    candidates.find((name) => /owner|user|author/.test(name)) ??
    candidates.find((name) => table.columns.find((c) => c.name === name)?.primary_key !== true) ??
    candidates[0]
  )
}
