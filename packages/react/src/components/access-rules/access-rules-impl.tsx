'use client'
// The AccessRules editor itself, loaded lazily by ./access-rules.tsx (this module, its model and
// its stylesheet form the lazy chunk). See AccessRulesProps for the behaviour.
import {
  ACCESS_OPERATIONS,
  ACCESS_RULES,
  isBaseboxError,
  type AccessDefinition,
  type AccessOperation,
  type AccessRule,
  type TableInfo,
} from '@basebox/client'
import { useQuery } from '@tanstack/react-query'
import { useId, useState, type CSSProperties } from 'react'
import { useApplyPlan, useTables } from '../../hooks/use-tables.js'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'
import { PlanPreview } from '../schema-builder/plan-preview.js'
import {
  accessProblem,
  accessSQLByTable,
  guessOwnerColumn,
  normalizeAccess,
  ownerCandidates,
  mergePolicySQL,
  policyVariants,
  sameAccess,
  usesOwner,
  withAccess,
} from './access-model.js'
import { ACCESS_RULES_CSS } from './access-rules.styles.js'
import type { AccessRulesProps } from './access-rules.js'
import { explainRule } from './explain-rule.js'

const OPERATION_LABEL: Record<AccessOperation, string> = {
  select: 'Read (select)',
  insert: 'Add (insert)',
  update: 'Change (update)',
  delete: 'Delete (delete)',
}

function errorText(error: unknown): string {
  return isBaseboxError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error)
}

const sqlText = (lines: readonly string[]) => lines.map((line) => `${line};`).join('\n')

export default function AccessRulesImpl(props: AccessRulesProps & { style: CSSProperties }) {
  const { databaseId } = props
  const client = useBaseboxClient()
  const tables = useTables(databaseId)
  const applyPlan = useApplyPlan(databaseId)
  // The wanted rules of the tables the user changed (normalized), by table name.
  const [edits, setEdits] = useState<Record<string, AccessDefinition | undefined>>({})
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(
    undefined,
  )
  const all = tables.data ?? []
  const shown = props.table === undefined ? all : all.filter((t) => t.name === props.table)
  const definitions = all.map((t) => t.definition)
  const definitionsKey = JSON.stringify(definitions)
  const readOnly =
    props.readOnly ??
    all.some(
      (t) =>
        t.permissions !== undefined &&
        !t.permissions.insert &&
        !t.permissions.update &&
        !t.permissions.delete,
    )

  const wantedOf = (table: TableInfo) =>
    Object.hasOwn(edits, table.name) ? edits[table.name] : normalizeAccess(table.definition.access)
  const changed = shown.filter((t) => !sameAccess(wantedOf(t), t.definition.access))
  const problems = changed.flatMap((t) => {
    const problem = accessProblem(t.definition, wantedOf(t))
    return problem === undefined ? [] : [{ table: t.name, problem }]
  })
  const changes = Object.fromEntries(changed.map((t) => [t.name, wantedOf(t)]))
  const changesKey = JSON.stringify(changes)

  // The policies of the current rules: each shown table's rules planned written another way,
  // so the plan has a set_access step per table whose SQL is its policies rebuilt from nothing
  // (two plans, put together, for rules that are open for every operation). Nothing changes.
  const variants = shown.map((t) => [t.name, policyVariants(t.definition.access)] as const)
  const policies = useQuery({
    queryKey: [
      ...baseboxKeys.database(databaseId),
      'access-policies',
      definitionsKey,
      props.table ?? null,
    ],
    queryFn: async () => {
      const rounds = Math.max(...variants.map(([, list]) => list.length))
      const plans: Map<string, string[]>[] = []
      for (let round = 0; round < rounds; round++) {
        const access = Object.fromEntries(
          variants
            .filter(([, list]) => list.length > round)
            .map(([name, list]) => [name, list[round]]),
        )
        plans.push(
          accessSQLByTable(await client.planChanges(databaseId, withAccess(definitions, access))),
        )
      }
      const out = new Map<string, string[]>()
      for (const [name] of variants) {
        const [first = [], ...rest] = plans
          .map((sql) => sql.get(name))
          .filter((sql) => sql !== undefined)
        out.set(name, rest.reduce(mergePolicySQL, first))
      }
      return out
    },
    enabled: tables.data !== undefined && variants.length > 0,
    staleTime: Infinity,
  })
  // The plan of the user's changes.
  const plan = useQuery({
    queryKey: [...baseboxKeys.database(databaseId), 'access-plan', definitionsKey, changesKey],
    queryFn: () => client.planChanges(databaseId, withAccess(definitions, changes)),
    enabled: tables.data !== undefined && changed.length > 0 && problems.length === 0,
    staleTime: Infinity,
    retry: false,
  })

  if (tables.data === undefined) {
    return (
      <div
        className={['bb-root', 'bb-ar', props.className].filter(Boolean).join(' ')}
        data-theme={props.theme}
        data-slot="access-rules"
        style={props.style}
        aria-busy={tables.isError ? undefined : true}
      >
        <style href="basebox-access-rules" precedence="basebox">
          {ACCESS_RULES_CSS}
        </style>
        {tables.isError ? (
          <div className="bb-ar-empty" role="alert">
            <p>The tables could not be loaded: {errorText(tables.error)}</p>
            <button type="button" className="bb-te-button" onClick={() => void tables.refetch()}>
              Retry
            </button>
          </div>
        ) : (
          <span className="bb-te-skeleton" style={{ display: 'block', height: '100%' }} />
        )}
      </div>
    )
  }

  const setRules = (table: TableInfo, change: Partial<AccessDefinition>) => {
    setOutcome(undefined)
    const next: AccessDefinition = { ...wantedOf(table), ...change }
    if (Object.values(change).includes('owner') && next.owner_column === undefined) {
      const guess = guessOwnerColumn(table.definition)
      if (guess !== undefined) {
        next.owner_column = guess
      }
    }
    if (change.owner_column === undefined && 'owner_column' in change) {
      delete next.owner_column
    }
    setEdits((current) => ({ ...current, [table.name]: normalizeAccess(next) }))
  }
  const currentPlan = changed.length > 0 && problems.length === 0 ? plan.data : undefined
  const apply = async () => {
    if (currentPlan === undefined) {
      return
    }
    setOutcome(undefined)
    try {
      const after = await applyPlan.mutateAsync(currentPlan)
      setEdits({})
      const names = changed.map((t) => t.name).join(', ')
      setOutcome({ kind: 'success', text: `Applied: the access rules of ${names} changed.` })
      props.onApplied?.(after)
    } catch (error) {
      setOutcome({ kind: 'error', text: `Nothing was applied: ${errorText(error)}` })
    }
  }
  const status =
    changed.length === 0
      ? 'No unapplied changes.'
      : problems.length > 0
        ? 'Fix the rule marked above to see the plan.'
        : plan.isError
          ? `The engine refuses these rules: ${errorText(plan.error)}`
          : currentPlan === undefined
            ? 'Planning…'
            : `${currentPlan.steps.length} ${currentPlan.steps.length === 1 ? 'step' : 'steps'}, ready to apply.`

  return (
    <div
      className={['bb-root', 'bb-ar', props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      data-slot="access-rules"
      style={props.style}
      role="region"
      aria-label={props['aria-label'] ?? 'Access rules'}
    >
      <style href="basebox-access-rules" precedence="basebox">
        {ACCESS_RULES_CSS}
      </style>
      <div className="bb-ar-main">
        {readOnly ? (
          <p className="bb-ar-note" role="status">
            Read-only: you can look at the rules but not change them.
          </p>
        ) : null}
        {shown.length === 0 ? (
          <p className="bb-ar-empty">
            {props.table === undefined
              ? 'No tables yet: access rules belong to tables.'
              : `There is no table named ${props.table}.`}
          </p>
        ) : (
          shown.map((table) => (
            <TableRules
              key={table.name}
              table={table}
              wanted={wantedOf(table)}
              changed={changed.includes(table)}
              problem={problems.find((p) => p.table === table.name)?.problem}
              policySQL={policies.data?.get(table.name)}
              policyState={
                policies.isError ? 'error' : policies.data === undefined ? 'loading' : 'ready'
              }
              disabled={readOnly || applyPlan.isPending}
              onChange={(change) => setRules(table, change)}
            />
          ))
        )}
      </div>
      <aside className="bb-ar-side" aria-label="Changes">
        <h3 className="bb-ar-heading">Changes</h3>
        <p
          className="bb-ar-note"
          role="status"
          data-plan={
            changed.length === 0
              ? 'none'
              : problems.length > 0
                ? 'invalid'
                : plan.isError
                  ? 'failed'
                  : currentPlan === undefined
                    ? 'planning'
                    : 'ready'
          }
        >
          {status}
        </p>
        {currentPlan !== undefined ? (
          <>
            <PlanPreview plan={currentPlan} />
            <pre className="bb-ar-sql" aria-label="SQL of the change" tabIndex={0}>
              {(currentPlan.sql ?? []).map((lines) => sqlText(lines)).join('\n')}
            </pre>
          </>
        ) : null}
        {outcome !== undefined ? (
          <p
            className={outcome.kind === 'error' ? 'bb-ar-error' : 'bb-ar-success'}
            role={outcome.kind === 'error' ? 'alert' : 'status'}
          >
            {outcome.text}
          </p>
        ) : null}
        <div className="bb-ar-actions">
          <button
            type="button"
            className="bb-te-button"
            disabled={readOnly || changed.length === 0 || applyPlan.isPending}
            onClick={() => setEdits({})}
          >
            Discard changes
          </button>
          <button
            type="button"
            className="bb-te-button"
            data-variant="primary"
            disabled={readOnly || currentPlan === undefined || applyPlan.isPending}
            onClick={() => void apply()}
          >
            {applyPlan.isPending ? 'Applying…' : 'Apply changes'}
          </button>
        </div>
      </aside>
    </div>
  )
}

interface TableRulesProps {
  table: TableInfo
  wanted: AccessDefinition | undefined
  changed: boolean
  problem: string | undefined
  policySQL: string[] | undefined
  policyState: 'loading' | 'ready' | 'error'
  disabled: boolean
  onChange: (change: Partial<AccessDefinition>) => void
}

function TableRules({
  table,
  wanted,
  changed,
  problem,
  policySQL,
  policyState,
  disabled,
  onChange,
}: TableRulesProps) {
  const id = useId()
  const name = table.name
  const candidates = ownerCandidates(table.definition)
  const owner = wanted?.owner_column
  return (
    <section
      className="bb-ar-table"
      aria-labelledby={`${id}-name`}
      data-table={name}
      data-state={changed ? 'changed' : undefined}
    >
      <h3 className="bb-ar-heading" id={`${id}-name`}>
        {name}
        {changed ? <span className="bb-ar-badge">changed</span> : null}
      </h3>
      <table className="bb-ar-rules">
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Who may</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {ACCESS_OPERATIONS.map((operation) => {
            const rule = wanted?.[operation] ?? 'nobody'
            return (
              <tr key={operation} data-operation={operation} data-rule={rule}>
                <th scope="row">{OPERATION_LABEL[operation]}</th>
                <td>
                  <select
                    className="bb-ar-input"
                    aria-label={`Who may ${operation} rows of ${name}`}
                    value={rule}
                    disabled={disabled}
                    onChange={(event) =>
                      onChange({ [operation]: event.target.value as AccessRule })
                    }
                  >
                    {ACCESS_RULES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="bb-ar-explain" data-rule={rule}>
                  {explainRule(operation, rule, owner)}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {usesOwner(wanted) || owner !== undefined ? (
        <label className="bb-ar-owner">
          <span className="bb-ar-label">Owner column</span>
          <select
            className="bb-ar-input"
            aria-label={`Owner column of ${name}`}
            value={owner ?? ''}
            disabled={disabled}
            onChange={(event) =>
              onChange({ owner_column: event.target.value === '' ? undefined : event.target.value })
            }
            {...(problem !== undefined
              ? { 'aria-invalid': true, 'aria-describedby': `${id}-problem` }
              : {})}
          >
            <option value="">none</option>
            {owner !== undefined && !candidates.includes(owner) ? (
              <option value={owner}>{owner}</option>
            ) : null}
            {candidates.map((column) => (
              <option key={column} value={column}>
                {column}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {problem !== undefined ? (
        <p className="bb-ar-error" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      ) : null}
      <details className="bb-ar-policies">
        <summary>Policy SQL of the current rules</summary>
        {policyState === 'ready' ? (
          <pre className="bb-ar-sql" aria-label={`Policy SQL of ${name}`} tabIndex={0}>
            {sqlText(policySQL ?? [])}
          </pre>
        ) : (
          <p className="bb-ar-note">
            {policyState === 'loading' ? 'Compiling…' : 'The policies could not be compiled.'}
          </p>
        )}
      </details>
    </section>
  )
}
