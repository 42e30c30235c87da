'use client'
// The DatabaseOverview itself, loaded lazily by ./database-overview.tsx (this module, its words
// and its stylesheet form the lazy chunk). See DatabaseOverviewProps for the behaviour.
import { isBaseboxError, type AuditLogEntry, type TableInfo } from '@basebox/client'
import { useQueries } from '@tanstack/react-query'
import { useEffect, useId, useState, type CSSProperties, type ReactNode } from 'react'
import { useAuditLog } from '../../hooks/use-rows.js'
import { useTables } from '../../hooks/use-tables.js'
import { useBaseboxClient } from '../../provider.js'
import { baseboxQueryOptions } from '../../query/options.js'
import { DATABASE_OVERVIEW_CSS } from './database-overview.styles.js'
import type { DatabaseOverviewProps } from './database-overview.js'
import { describeActivity, supabaseSnippet, timeAgo } from './overview-text.js'

function errorText(error: unknown): string {
  return isBaseboxError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error)
}

const COUNT_QUERY = { limit: 0, count: 'exact' } as const

export default function DatabaseOverviewImpl(
  props: DatabaseOverviewProps & { style: CSSProperties },
) {
  const { databaseId } = props
  const tables = useTables(databaseId)
  const list = tables.data ?? []
  return (
    <div
      className={['bb-root', 'bb-do', props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      data-slot="database-overview"
      style={props.style}
      role="region"
      aria-label={props['aria-label'] ?? 'Database overview'}
      aria-busy={tables.isPending ? true : undefined}
    >
      <style href="basebox-database-overview" precedence="basebox">
        {DATABASE_OVERVIEW_CSS}
      </style>
      <Card title="Tables" slot="tables">
        {tables.isError ? (
          <div role="alert" className="bb-do-error">
            <p>The tables could not be loaded: {errorText(tables.error)}</p>
            <button type="button" className="bb-te-button" onClick={() => void tables.refetch()}>
              Retry
            </button>
          </div>
        ) : tables.isPending ? (
          <span className="bb-te-skeleton bb-do-skeleton" />
        ) : list.length === 0 ? (
          <p className="bb-do-note">No tables yet.</p>
        ) : (
          <TableList databaseId={databaseId} tables={list} onOpenTable={props.onOpenTable} />
        )}
      </Card>
      <Card title="Data API" slot="api">
        <DataAPI
          apiURL={props.apiURL}
          anonKey={props.anonKey}
          serviceKey={props.serviceKey}
          firstTable={tables.isPending ? undefined : (list[0]?.name ?? null)}
        />
      </Card>
      <Card title="Recent activity" slot="activity">
        <Activity databaseId={databaseId} limit={props.activityLimit ?? 5} />
      </Card>
    </div>
  )
}

function Card({ title, slot, children }: { title: string; slot: string; children: ReactNode }) {
  const id = useId()
  return (
    <section className="bb-do-card" data-slot={`database-overview-${slot}`} aria-labelledby={id}>
      <h3 className="bb-do-heading" id={id}>
        {title}
      </h3>
      {children}
    </section>
  )
}

/* ---- Tables ---- */

function TableList({
  databaseId,
  tables,
  onOpenTable,
}: {
  databaseId: string
  tables: TableInfo[]
  onOpenTable: ((table: string) => void) | undefined
}) {
  const client = useBaseboxClient()
  const counts = useQueries({
    queries: tables.map((t) => baseboxQueryOptions.rows(client, databaseId, t.name, COUNT_QUERY)),
  })
  const total = counts.every((c) => c.data?.count != null)
    ? counts.reduce((sum, c) => sum + (c.data?.count ?? 0), 0)
    : undefined
  const number = new Intl.NumberFormat('en')
  return (
    <table className="bb-do-tables">
      <thead>
        <tr>
          <th scope="col">Table</th>
          <th scope="col" data-numeric="">
            Rows
          </th>
          <th scope="col" data-numeric="">
            Columns
          </th>
        </tr>
      </thead>
      <tbody>
        {tables.map((table, index) => {
          const count = counts[index]
          return (
            <tr key={table.name} data-table={table.name}>
              <th scope="row">
                {onOpenTable !== undefined ? (
                  <button
                    type="button"
                    className="bb-do-link"
                    onClick={() => onOpenTable(table.name)}
                  >
                    {table.name}
                  </button>
                ) : (
                  table.name
                )}
              </th>
              <td data-numeric="" data-slot="row-count">
                {count?.isError ? (
                  <span title={errorText(count.error)}>n/a</span>
                ) : count?.data?.count != null ? (
                  number.format(count.data.count)
                ) : (
                  <span className="bb-te-skeleton bb-do-count-skeleton" aria-label="Counting" />
                )}
              </td>
              <td data-numeric="" data-slot="column-count">
                {table.definition.columns.length}
              </td>
            </tr>
          )
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{tables.length === 1 ? '1 table' : `${tables.length} tables`}</th>
          <td data-numeric="">
            {total === undefined ? '' : `${number.format(total)} ${total === 1 ? 'row' : 'rows'}`}
          </td>
          <td />
        </tr>
      </tfoot>
    </table>
  )
}

/* ---- Data API ---- */

function useCopy(): [string | undefined, (what: string, text: string) => void] {
  const [copied, setCopied] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (copied === undefined) {
      return
    }
    const timer = setTimeout(() => setCopied(undefined), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  const copy = (what: string, text: string) => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
    if (clipboard === undefined) {
      setCopied(`Copying is not available here; select the ${what} instead.`)
      return
    }
    clipboard.writeText(text).then(
      () => setCopied(`Copied the ${what}.`),
      () => setCopied(`Could not copy; select the ${what} instead.`),
    )
  }
  return [copied, copy]
}

interface DataAPIProps {
  apiURL: string | undefined
  anonKey: string | undefined
  serviceKey: string | undefined
  /** The first table's name; `null` when there is none, `undefined` while loading. */
  firstTable: string | null | undefined
}

function DataAPI({ apiURL, anonKey, serviceKey, firstTable }: DataAPIProps) {
  const [copied, copy] = useCopy()
  const [reveal, setReveal] = useState(false)
  const snippet = supabaseSnippet(apiURL, anonKey, firstTable ?? undefined)
  return (
    <>
      <dl className="bb-do-api">
        <Value
          label="URL"
          value={apiURL}
          onCopy={() => apiURL !== undefined && copy('URL', apiURL)}
        />
        <Value
          label="Anon key"
          value={anonKey}
          onCopy={() => anonKey !== undefined && copy('anon key', anonKey)}
        />
        {serviceKey !== undefined ? (
          <Value
            label="Service key"
            value={reveal ? serviceKey : '•'.repeat(Math.min(serviceKey.length, 32))}
            masked={!reveal}
            onCopy={() => copy('service key', serviceKey)}
            extra={
              <button
                type="button"
                className="bb-te-button"
                aria-pressed={reveal}
                onClick={() => setReveal(!reveal)}
              >
                {reveal ? 'Hide' : 'Show'}
              </button>
            }
          />
        ) : null}
      </dl>
      {serviceKey !== undefined ? (
        <p className="bb-do-warning">
          The service key bypasses the access rules: use it on a server only, never in a browser.
        </p>
      ) : null}
      {apiURL === undefined || anonKey === undefined ? (
        <p className="bb-do-note">
          The host has not passed this database's URL and anon key; the snippet shows placeholders.
        </p>
      ) : null}
      <div className="bb-do-snippet">
        <div className="bb-do-snippet-head">
          <span className="bb-do-label">supabase-js</span>
          <button type="button" className="bb-te-button" onClick={() => copy('snippet', snippet)}>
            Copy snippet
          </button>
        </div>
        <pre aria-label="supabase-js snippet" tabIndex={0}>
          {snippet}
        </pre>
      </div>
      <p className="bb-do-note" role="status" aria-live="polite">
        {copied ?? ''}
      </p>
    </>
  )
}

function Value({
  label,
  value,
  masked,
  onCopy,
  extra,
}: {
  label: string
  value: string | undefined
  masked?: boolean
  onCopy: () => void
  extra?: ReactNode
}) {
  return (
    <div className="bb-do-value">
      <dt className="bb-do-label">{label}</dt>
      <dd>
        <code
          data-masked={masked === true ? '' : undefined}
          aria-label={masked === true ? `${label} (hidden)` : undefined}
        >
          {value ?? 'not set'}
        </code>
        {extra}
        <button
          type="button"
          className="bb-te-button"
          disabled={value === undefined}
          onClick={onCopy}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          Copy
        </button>
      </dd>
    </div>
  )
}

/* ---- Recent activity ---- */

function Activity({ databaseId, limit }: { databaseId: string; limit: number }) {
  const audit = useAuditLog(databaseId, { limit })
  // Re-render once a minute so "5 minutes ago" stays true.
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  if (audit.isError) {
    return (
      <div role="alert" className="bb-do-error">
        <p>The activity could not be loaded: {errorText(audit.error)}</p>
        <button type="button" className="bb-te-button" onClick={() => void audit.refetch()}>
          Retry
        </button>
      </div>
    )
  }
  if (audit.isPending) {
    return <span className="bb-te-skeleton bb-do-skeleton" />
  }
  const entries: AuditLogEntry[] = (audit.data.pages[0]?.entries ?? []).slice(0, limit)
  if (entries.length === 0) {
    return <p className="bb-do-note">Nothing has happened yet.</p>
  }
  return (
    <ol className="bb-do-activity">
      {entries.map((entry) => (
        <li key={entry.id} data-action={entry.action}>
          <span className="bb-do-actor">{entry.actor}</span>{' '}
          <span className="bb-do-action">{describeActivity(entry)}</span>{' '}
          <time
            className="bb-do-time"
            dateTime={entry.created_at}
            title={new Date(entry.created_at).toLocaleString()}
          >
            {timeAgo(entry.created_at, now)}
          </time>
        </li>
      ))}
    </ol>
  )
}
