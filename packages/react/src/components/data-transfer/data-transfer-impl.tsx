'use client'
// The DataTransfer panel itself, loaded lazily by ./data-transfer.tsx (this module, the import
// panel and the stylesheet form the lazy chunk). See DataTransferProps for the behaviour.
import type { TableInfo, TransferFormat } from '@basebox/client'
import { useEffect, useId, useRef, useState, type CSSProperties } from 'react'
import { useTables } from '../../hooks/use-tables.js'
import { useBaseboxClient } from '../../provider.js'
import { DATA_TRANSFER_CSS } from './data-transfer.styles.js'
import type { DataTransferProps } from './data-transfer.js'
import { ImportPanel } from './import-panel.js'
import { downloadBlob, errorText, formatBytes, isAbort, MIME_TYPES } from './transfer-files.js'

export default function DataTransferImpl(props: DataTransferProps & { style: CSSProperties }) {
  const { databaseId } = props
  const tables = useTables(databaseId)
  const list = tables.data ?? []
  const readOnly =
    props.readOnly ??
    list.some(
      (t) =>
        t.permissions !== undefined &&
        !t.permissions.insert &&
        !t.permissions.update &&
        !t.permissions.delete,
    )
  return (
    <div
      className={['bb-root', 'bb-dt', props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      data-slot="data-transfer"
      style={props.style}
      role="region"
      aria-label={props['aria-label'] ?? 'Export and import'}
      aria-busy={tables.isPending ? true : undefined}
    >
      <style href="basebox-data-transfer" precedence="basebox">
        {DATA_TRANSFER_CSS}
      </style>
      {tables.isError ? (
        <div role="alert" className="bb-dt-error">
          <p>The tables could not be loaded: {errorText(tables.error)}</p>
          <button type="button" className="bb-te-button" onClick={() => void tables.refetch()}>
            Retry
          </button>
        </div>
      ) : null}
      <ExportPanel {...props} tables={list} />
      <ImportPanel
        databaseId={databaseId}
        tables={list}
        ready={tables.isSuccess}
        readOnly={readOnly}
        onImported={props.onImported}
      />
    </div>
  )
}

/* ---- Export ---- */

type ExportState =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string; abort: AbortController }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string }

function ExportPanel(props: DataTransferProps & { tables: TableInfo[] }) {
  const client = useBaseboxClient()
  const id = useId()
  const [format, setFormat] = useState<TransferFormat>('json')
  // '' is every table (JSON and SQL); CSV needs one.
  const [table, setTable] = useState('')
  const [includeSecrets, setIncludeSecrets] = useState(false)
  const [state, setState] = useState<ExportState>({ kind: 'idle' })
  const current = useRef<AbortController | undefined>(undefined)
  useEffect(() => () => current.current?.abort(), [])
  const names = props.tables.map((t) => t.name)
  const chosen = format === 'csv' && table === '' ? (names[0] ?? '') : table

  const run = async () => {
    const abort = new AbortController()
    current.current = abort
    const what = chosen === '' ? 'every table' : chosen
    setState({ kind: 'busy', what: `Exporting ${what} as ${format.toUpperCase()}…`, abort })
    try {
      const options = {
        signal: abort.signal,
        ...(chosen === '' ? {} : { table: chosen }),
        ...(includeSecrets ? { includeSecrets: true } : {}),
      }
      const text =
        format === 'json'
          ? JSON.stringify(
              await client.exportDatabase(props.databaseId, { ...options, format }),
              null,
              2,
            )
          : await client.exportDatabase(props.databaseId, { ...options, format })
      const fileName = `${chosen === '' ? (props.fileName ?? 'basebox') : chosen}.${format}`
      const blob = new Blob([text], { type: MIME_TYPES[format] })
      if (props.download !== false) {
        downloadBlob(fileName, blob)
      }
      props.onExport?.({ format, ...(chosen === '' ? {} : { table: chosen }), fileName, blob })
      setState({ kind: 'done', text: `Exported ${fileName} (${formatBytes(blob.size)}).` })
    } catch (error) {
      setState(
        isAbort(error)
          ? { kind: 'done', text: 'Export cancelled.' }
          : { kind: 'error', text: `The export failed: ${errorText(error)}` },
      )
    } finally {
      if (current.current === abort) {
        current.current = undefined
      }
    }
  }

  const busy = state.kind === 'busy'
  return (
    <section className="bb-dt-card" data-slot="data-transfer-export" aria-labelledby={`${id}-h`}>
      <h3 className="bb-dt-heading" id={`${id}-h`}>
        Export
      </h3>
      <div className="bb-dt-fields">
        <label className="bb-dt-field">
          <span className="bb-dt-label">Format</span>
          <select
            className="bb-dt-select"
            value={format}
            disabled={busy}
            onChange={(event) => setFormat(event.target.value as TransferFormat)}
          >
            <option value="json">JSON (tables and rows)</option>
            <option value="sql">SQL (a script)</option>
            <option value="csv">CSV (one table)</option>
          </select>
        </label>
        <label className="bb-dt-field">
          <span className="bb-dt-label">Table</span>
          <select
            className="bb-dt-select"
            value={chosen}
            disabled={busy}
            onChange={(event) => setTable(event.target.value)}
          >
            {format === 'csv' ? null : <option value="">Every table</option>}
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {format === 'csv' ? null : (
          <label className="bb-dt-check">
            <input
              type="checkbox"
              checked={includeSecrets}
              disabled={busy}
              onChange={(event) => setIncludeSecrets(event.target.checked)}
            />
            Include secrets (password hashes): a full backup, keep it safe
          </label>
        )}
      </div>
      <div className="bb-dt-actions">
        <button
          type="button"
          className="bb-te-button"
          data-variant="primary"
          disabled={busy || (chosen === '' && format === 'csv')}
          onClick={() => void run()}
        >
          Export
        </button>
        {busy ? (
          <button type="button" className="bb-te-button" onClick={() => state.abort.abort()}>
            Cancel export
          </button>
        ) : null}
      </div>
      <Status state={state} />
    </section>
  )
}

function Status({ state }: { state: ExportState }) {
  return (
    <>
      <p className="bb-dt-status" role="status" aria-live="polite" data-state={state.kind}>
        {state.kind === 'busy' ? (
          <>
            <progress className="bb-dt-progress" aria-label="Exporting" /> {state.what}
          </>
        ) : state.kind === 'done' ? (
          state.text
        ) : null}
      </p>
      {state.kind === 'error' ? (
        <p role="alert" className="bb-dt-error">
          {state.text}
        </p>
      ) : null}
    </>
  )
}
