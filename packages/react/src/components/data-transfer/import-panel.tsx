'use client'
// The import half of the DataTransfer panel: a file (picked or dropped), the engine's dry run
// (JSON, SQL) or preview (CSV, with the mapping and the rejected rows), then the import itself
// once confirmed, and its result.
import {
  isBaseboxError,
  type ImportProgress,
  type TableInfo,
  type TransferFormat,
} from '@basebox/client'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'
import { ImportProgressRow } from './import-progress.js'
import { isCSVReport, plural, ReportView, type CSVTarget, type Report } from './import-report.js'
import { errorText, formatBytes, formatOfFile, isAbort } from './transfer-files.js'

interface Source {
  name: string
  size: number
  format: TransferFormat
  text: string
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'checked'; report: Report; cancelled?: boolean }
  | {
      kind: 'importing'
      report: Report
      progress: ImportProgress | undefined
      abort: AbortController
      cancelling: boolean
    }
  | { kind: 'imported'; report: Report }
  | { kind: 'error'; text: string; unmatched?: string[] }

const PREVIEW_ROWS = 5

function tableNameOf(fileName: string): string {
  const base = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+/, '')
  return base.slice(0, 63) || 'imported'
}

export function ImportPanel(props: {
  databaseId: string
  tables: TableInfo[]
  readOnly: boolean
  /** Whether `tables` is loaded. */
  ready: boolean
  onImported: ((report: Report) => void) | undefined
}) {
  const { databaseId, tables, readOnly } = props
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const id = useId()
  const [source, setSource] = useState<Source | undefined>(undefined)
  // `create` is `undefined` until decided: a new table unless one has the file's name.
  const [picked, setTarget] = useState<
    (Omit<CSVTarget, 'create'> & { create: boolean | undefined }) | undefined
  >(undefined)
  const target: CSVTarget | undefined =
    picked === undefined || (picked.create === undefined && !props.ready)
      ? undefined
      : { ...picked, create: picked.create ?? !tables.some((t) => t.name === picked.table) }
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [dragging, setDragging] = useState(false)
  // Each file and each check gets a number; a later one (or Cancel) makes an earlier result stale.
  const generation = useRef(0)
  const input = useRef<HTMLInputElement>(null)
  const confirmButton = useRef<HTMLButtonElement>(null)
  // An import still running when the panel goes away is cancelled (and rolled back).
  const running = useRef<AbortController | undefined>(undefined)
  useEffect(() => () => running.current?.abort(), [])

  const reset = () => {
    generation.current += 1
    setSource(undefined)
    setTarget(undefined)
    setPhase({ kind: 'idle' })
    if (input.current) {
      input.current.value = ''
    }
  }

  const pick = async (file: File) => {
    const mine = ++generation.current
    const format = formatOfFile(file.name)
    if (format === undefined) {
      setSource(undefined)
      setPhase({ kind: 'error', text: `"${file.name}" is not a .json, .sql or .csv file` })
      return
    }
    setSource(undefined)
    setPhase({ kind: 'busy', what: `Reading ${file.name} (${formatBytes(file.size)})…` })
    try {
      const text = await file.text()
      if (mine !== generation.current) {
        return
      }
      if (format === 'csv') {
        // Into the table of the file's name if there is one (known once the tables are loaded).
        setTarget({
          table: tableNameOf(file.name),
          create: undefined,
          delimiter: /\.tsv$/i.test(file.name) ? '\t' : ',',
          columns: {},
        })
      } else {
        setTarget(undefined)
      }
      setSource({ name: file.name, size: file.size, format, text })
    } catch (error) {
      if (mine === generation.current) {
        setPhase({ kind: 'error', text: `${file.name} could not be read: ${errorText(error)}` })
      }
    }
  }

  const csvOptions = (t: CSVTarget) => ({
    table: t.table,
    ...(t.create ? { create: true } : {}),
    ...(Object.keys(t.columns).length > 0 ? { columns: t.columns } : {}),
    ...(t.delimiter === ',' ? {} : { delimiter: t.delimiter }),
  })

  // The dry run or preview, again whenever the file or the CSV target changes. It writes nothing.
  const targetKey = JSON.stringify(target ?? null)
  useEffect(() => {
    if (source === undefined || (source.format === 'csv' && target === undefined)) {
      return
    }
    const mine = ++generation.current
    const size = `${source.name} (${formatBytes(source.size)})`
    setPhase({
      kind: 'busy',
      what: source.format === 'csv' ? `Previewing ${size}…` : `Checking ${size} with a dry run…`,
    })
    const check: Promise<Report> =
      source.format === 'csv'
        ? client.importData(databaseId, source.text, {
            format: 'csv',
            ...csvOptions(target!),
            preview: PREVIEW_ROWS,
          })
        : client.importData(databaseId, source.text, { format: source.format, dryRun: true })
    check.then(
      (report) => mine === generation.current && setPhase({ kind: 'checked', report }),
      (error: unknown) =>
        mine === generation.current &&
        setPhase({
          kind: 'error',
          text: `The file cannot be imported: ${errorText(error)}`,
          unmatched: unmatchedHeaders(error),
        }),
    )
    // csvOptions only reads target, which targetKey stands for.
  }, [client, databaseId, source, targetKey])

  const confirm = async (report: Report) => {
    if (source === undefined) {
      return
    }
    const mine = ++generation.current
    // Fixed from now on: the import creates the table, and that must not start a new preview.
    setTarget(target)
    const abort = new AbortController()
    running.current = abort
    setPhase({ kind: 'importing', report, progress: undefined, abort, cancelling: false })
    const run = {
      signal: abort.signal,
      onProgress: (progress: ImportProgress) =>
        mine === generation.current &&
        setPhase((now) => (now.kind === 'importing' ? { ...now, progress } : now)),
    }
    try {
      const result: Report =
        source.format === 'csv'
          ? await client.importData(databaseId, source.text, {
              format: 'csv',
              ...csvOptions(target!),
              onError: isCSVReport(report) && report.rejectedCount > 0 ? 'skip' : 'abort',
              ...run,
            })
          : await client.importData(databaseId, source.text, { format: source.format, ...run })
      void queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) })
      props.onImported?.(result)
      if (mine === generation.current) {
        setPhase({ kind: 'imported', report: result })
      }
    } catch (error) {
      void queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) })
      if (mine === generation.current) {
        if (isAbort(error)) {
          // Rolled back: the checked file is still there, to import again or leave.
          setPhase({ kind: 'checked', report, cancelled: true })
          requestAnimationFrame(() => confirmButton.current?.focus())
        } else {
          setPhase({ kind: 'error', text: `The import failed: ${errorText(error)}` })
        }
      }
    } finally {
      if (running.current === abort) {
        running.current = undefined
      }
    }
  }

  const cancelImport = () => {
    if (phase.kind === 'importing') {
      setPhase({ ...phase, cancelling: true })
      phase.abort.abort()
    }
  }

  const importing = phase.kind === 'importing'
  return (
    <section className="bb-dt-card" data-slot="data-transfer-import" aria-labelledby={`${id}-h`}>
      <h3 className="bb-dt-heading" id={`${id}-h`}>
        Import
      </h3>
      {readOnly ? (
        <p className="bb-dt-note">
          Read-only: you can export this database but not import into it.
        </p>
      ) : null}
      <label
        className="bb-dt-drop"
        data-state={dragging ? 'dragging' : undefined}
        data-disabled={readOnly || importing ? '' : undefined}
        onDragOver={(event) => {
          if (readOnly || importing) {
            return
          }
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault()
          setDragging(false)
          const file = event.dataTransfer.files[0]
          if (file !== undefined && !readOnly && !importing) {
            void pick(file)
          }
        }}
      >
        <span>Drop a .json, .sql or .csv file here, or choose one:</span>
        <input
          ref={input}
          type="file"
          accept=".json,.sql,.csv,.tsv,application/json,text/csv,application/sql"
          disabled={readOnly || importing}
          aria-label="File to import"
          onChange={(event) => {
            const file = event.target.files?.[0]
            if (file !== undefined) {
              void pick(file)
            }
          }}
        />
      </label>
      {source !== undefined ? (
        <p className="bb-dt-note" data-slot="import-file">
          {source.name}: {formatBytes(source.size)}, {source.format.toUpperCase()}
        </p>
      ) : null}
      {source?.format === 'csv' && target !== undefined && phase.kind !== 'imported' ? (
        <CSVTargetFields
          tables={tables}
          target={target}
          disabled={importing}
          onChange={(next) => setTarget(next)}
        />
      ) : null}
      <p className="bb-dt-status" role="status" aria-live="polite">
        {phase.kind === 'busy' ? (
          <>
            <progress className="bb-dt-progress" aria-label="Working" /> {phase.what}
          </>
        ) : phase.kind === 'checked' && phase.cancelled === true ? (
          'Import cancelled: nothing was imported.'
        ) : null}
      </p>
      {phase.kind === 'busy' && !importing ? (
        <div className="bb-dt-actions">
          <button type="button" className="bb-te-button" onClick={reset}>
            Cancel
          </button>
        </div>
      ) : null}
      {phase.kind === 'error' ? (
        <div role="alert" className="bb-dt-error">
          <p>{phase.text}</p>
          {phase.unmatched !== undefined && target !== undefined && !target.create ? (
            <UnmatchedFields
              headers={phase.unmatched}
              columns={tables.find((t) => t.name === target.table)?.definition.columns ?? []}
              onMap={(header, column) =>
                setTarget({ ...target, columns: { ...target.columns, [header]: column } })
              }
            />
          ) : null}
          <button type="button" className="bb-te-button" onClick={reset}>
            Choose another file
          </button>
        </div>
      ) : null}
      {phase.kind === 'checked' || phase.kind === 'importing' ? (
        <div className="bb-dt-report" data-slot="import-check">
          {/* While importing, the same view stays (nothing moves), its fields disabled. */}
          <fieldset className="bb-dt-fieldset" disabled={importing}>
            <h4 className="bb-dt-subheading">
              {isCSVReport(phase.report)
                ? 'Preview: nothing is written yet'
                : 'Dry run: nothing is written yet'}
            </h4>
            <ReportView
              report={phase.report}
              target={target}
              tables={tables}
              onMap={(header, column) =>
                target && setTarget({ ...target, columns: { ...target.columns, [header]: column } })
              }
            />
          </fieldset>
          {phase.kind === 'importing' ? (
            <ImportProgressRow
              progress={phase.progress}
              cancelling={phase.cancelling}
              onCancel={cancelImport}
            />
          ) : (
            <div className="bb-dt-actions">
              <button
                ref={confirmButton}
                type="button"
                className="bb-te-button"
                data-variant="primary"
                disabled={readOnly || (isCSVReport(phase.report) && phase.report.rows === 0)}
                onClick={() => void confirm(phase.report)}
              >
                {confirmLabel(phase.report)}
              </button>
              <button type="button" className="bb-te-button" onClick={reset}>
                Cancel
              </button>
            </div>
          )}
        </div>
      ) : null}
      {phase.kind === 'imported' ? (
        <div className="bb-dt-report" data-slot="import-result">
          <h4 className="bb-dt-subheading">Imported</h4>
          <ReportView report={phase.report} target={undefined} tables={tables} />
          <div className="bb-dt-actions">
            <button type="button" className="bb-te-button" onClick={reset}>
              Import another file
            </button>
          </div>
        </div>
      ) : null}
    </section>
  )
}

function confirmLabel(report: Report): string {
  if (!isCSVReport(report)) {
    return `Import ${plural(
      report.tables.reduce((sum, t) => sum + t.rows, 0),
      'row',
    )}`
  }
  if (report.complete === false) {
    // The preview read only its first rows: how many the file holds is known once it is read.
    const skip = report.rejectedCount > 0 ? ', skip rejected rows' : ''
    return `Import the whole file into ${report.table}${skip}`
  }
  const skip =
    report.rejectedCount > 0 ? `, skip ${plural(report.rejectedCount, 'rejected row')}` : ''
  return `Import ${plural(report.rows, 'row')} into ${report.table}${skip}`
}

/* ---- CSV target ---- */

// The CSV headers the engine matched to no column (its `details.unmatched`), if that was the error.
function unmatchedHeaders(error: unknown): string[] | undefined {
  const details = isBaseboxError(error)
    ? (error.details as { unmatched?: unknown } | undefined)
    : undefined
  return Array.isArray(details?.unmatched) ? details.unmatched.map(String) : undefined
}

// A column (or Leave out) for each CSV header that matches none, so the preview can run.
function UnmatchedFields({
  headers,
  columns,
  onMap,
}: {
  headers: string[]
  columns: { name: string; type: string }[]
  onMap: (header: string, column: string | null) => void
}) {
  return (
    <div className="bb-dt-fields" data-slot="import-unmatched">
      {headers.map((header) => (
        <label key={header} className="bb-dt-field">
          <span className="bb-dt-label">Column for {header}</span>
          <select
            className="bb-dt-select"
            defaultValue="?"
            onChange={(event) =>
              onMap(header, event.target.value === '' ? null : event.target.value)
            }
          >
            <option value="?" disabled>
              Choose…
            </option>
            <option value="">Leave out</option>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  )
}

function CSVTargetFields({
  tables,
  target,
  disabled,
  onChange,
}: {
  tables: TableInfo[]
  target: CSVTarget
  disabled: boolean
  onChange: (target: CSVTarget) => void
}) {
  return (
    <div className="bb-dt-fields">
      <label className="bb-dt-field">
        <span className="bb-dt-label">Into table</span>
        <select
          className="bb-dt-select"
          value={target.create ? '' : target.table}
          disabled={disabled}
          onChange={(event) =>
            onChange(
              event.target.value === ''
                ? {
                    ...target,
                    create: true,
                    table: tables.some((t) => t.name === target.table)
                      ? `${target.table}_import`
                      : target.table,
                    columns: {},
                  }
                : { ...target, create: false, table: event.target.value, columns: {} },
            )
          }
        >
          <option value="">A new table</option>
          {tables.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {target.create ? (
        <label className="bb-dt-field">
          <span className="bb-dt-label">New table's name</span>
          <input
            className="bb-dt-input"
            defaultValue={target.table}
            disabled={disabled}
            onBlur={(event) =>
              event.target.value !== target.table &&
              onChange({ ...target, table: event.target.value })
            }
            onKeyDown={(event) => event.key === 'Enter' && event.currentTarget.blur()}
          />
        </label>
      ) : null}
      <label className="bb-dt-field">
        <span className="bb-dt-label">Delimiter</span>
        <select
          className="bb-dt-select"
          value={target.delimiter}
          disabled={disabled}
          onChange={(event) => onChange({ ...target, delimiter: event.target.value })}
        >
          <option value=",">Comma</option>
          <option value=";">Semicolon</option>
          <option value={'\t'}>Tab</option>
          <option value="|">Pipe</option>
        </select>
      </label>
    </div>
  )
}
