// The reports of the DataTransfer import: a JSON or SQL dry run's tables, a CSV preview's
// mapping (editable for an existing table), rejected rows and first rows, and the result.
import type { CSVImportReport, DatabaseImportReport, TableInfo } from '@basebox/client'

/** What a check or an import of the panel returned. @internal */
export type Report = DatabaseImportReport | CSVImportReport

/** Whether `report` is a CSV one. @internal */
export const isCSVReport = (report: Report): report is CSVImportReport => 'rejectedCount' in report

/** `count` and the noun, in English. @internal */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${new Intl.NumberFormat('en').format(count)} ${count === 1 ? one : many}`

/** The CSV target: an existing table, or a new one with `create`. @internal */
export interface CSVTarget {
  table: string
  create: boolean
  delimiter: string
  /** The user's edits of the mapping: header -> column, `null` to leave it out. */
  columns: Record<string, string | null>
}

/* ---- Reports ---- */

export function ReportView({
  report,
  target,
  tables,
  onMap,
}: {
  report: Report
  target: CSVTarget | undefined
  tables: TableInfo[]
  onMap?: (header: string, column: string | null) => void
}) {
  return (
    <>
      {isCSVReport(report) ? (
        <CSVReportView report={report} target={target} tables={tables} onMap={onMap} />
      ) : (
        <ul className="bb-dt-list" aria-label="Tables">
          {report.tables.map((t) => (
            <li key={t.name} data-table={t.name} data-action={t.action}>
              <strong>{t.name}</strong>:{' '}
              {t.action === 'created'
                ? 'new table'
                : t.action === 'altered'
                  ? 'empty table changed to the file’s definition'
                  : 'rows appended'}
              , {plural(t.rows, 'row')}
            </li>
          ))}
          {report.tables.length === 0 ? <li>No tables in the file.</li> : null}
        </ul>
      )}
      {report.warnings.map((warning) => (
        <p key={warning} className="bb-dt-warning">
          {warning}
        </p>
      ))}
    </>
  )
}

function CSVReportView({
  report,
  target,
  tables,
  onMap,
}: {
  report: CSVImportReport
  target: CSVTarget | undefined
  tables: TableInfo[]
  onMap: ((header: string, column: string | null) => void) | undefined
}) {
  const existing = tables.find((t) => t.name === report.table)
  const editable =
    onMap !== undefined && target !== undefined && !target.create && existing !== undefined
  const types = new Map(report.definition.columns.map((c) => [c.name, c.type]))
  const preview = report.preview ?? []
  const shown = report.columns.flatMap((c) => (c.column === null ? [] : [c.column]))
  return (
    <>
      <p data-slot="import-summary">
        {report.complete === false
          ? `Of the first ${plural(report.rows + report.rejectedCount, 'row')} of the file, ${report.rows} would be imported into `
          : `${plural(report.rows, 'row')} ${onMap ? 'would be imported' : 'imported'} into `}
        {report.created ? 'the new table ' : ''}
        <strong>{report.table}</strong>
        {report.rejectedCount > 0 ? `; ${plural(report.rejectedCount, 'row')} rejected` : ''}.
        {report.complete === false ? ' The rest is checked as it is imported.' : ''}
      </p>
      <table className="bb-dt-table" aria-label="Column mapping">
        <thead>
          <tr>
            <th scope="col">CSV column</th>
            <th scope="col">Table column</th>
          </tr>
        </thead>
        <tbody>
          {report.columns.map(({ header, column }) => (
            <tr key={header} data-header={header}>
              <th scope="row">{header}</th>
              <td>
                {editable ? (
                  <select
                    className="bb-dt-select"
                    aria-label={`Column for ${header}`}
                    value={column ?? ''}
                    onChange={(event) =>
                      onMap(header, event.target.value === '' ? null : event.target.value)
                    }
                  >
                    <option value="">Leave out</option>
                    {existing.definition.columns.map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.name} ({c.type})
                      </option>
                    ))}
                  </select>
                ) : column === null ? (
                  'left out'
                ) : (
                  `${column} (${types.get(column) ?? '?'})`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.rejectedCount > 0 ? (
        <div data-slot="import-rejected">
          <h5 className="bb-dt-subheading">Rejected rows</h5>
          <ul className="bb-dt-list bb-dt-rejected" aria-label="Rejected rows">
            {report.rejected.map((r) => (
              <li key={r.row} data-row={r.row}>
                Row {r.row} (line {r.line}):{' '}
                {r.reasons
                  .map((reason) =>
                    reason.column ? `${reason.column}: ${reason.message}` : reason.message,
                  )
                  .join('; ')}
              </li>
            ))}
          </ul>
          {report.rejectedCount > report.rejected.length ? (
            <p className="bb-dt-note">
              and {plural(report.rejectedCount - report.rejected.length, 'more row')}.
            </p>
          ) : null}
        </div>
      ) : null}
      {preview.length > 0 ? (
        <div className="bb-dt-scroll">
          <table className="bb-dt-table" aria-label="First rows">
            <thead>
              <tr>
                {shown.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.map((row, index) => (
                <tr key={index}>
                  {shown.map((column) => (
                    <td key={column}>
                      {row[column] == null
                        ? ''
                        : typeof row[column] === 'object'
                          ? JSON.stringify(row[column])
                          : String(row[column])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  )
}
