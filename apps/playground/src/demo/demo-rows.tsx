// The demo app's data: one table's rows as the signed-in end user sees them (or the anonymous
// role), with a form to add a row and buttons to edit or delete one, every call through the
// user's data client, so the table's access rules apply as on the data API.
import type { ColumnDefinition, TableDefinition } from '@basebox/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { dataClient } from './end-user-session.js'
import { useDemoEngine } from './demo-engine.js'
import { DemoError } from './demo-error.js'

type Row = Record<string, unknown>

/** How a value shows in a cell and in a field. */
function toText(value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** A short label of a row for buttons: its primary key, else its first value. */
function rowLabel(row: Row, keys: ColumnDefinition[], columns: ColumnDefinition[]): string {
  const shown = (keys.length > 0 ? keys : columns.slice(0, 1)).map((c) => toText(row[c.name]))
  return shown.join(', ')
}

function Fields({
  columns,
  values,
  ownerColumn,
  onChange,
  autoFocus = false,
}: {
  columns: ColumnDefinition[]
  values: Record<string, string>
  ownerColumn: string | undefined
  onChange: (column: string, value: string) => void
  /** Default is `false`. Focuses the first field (an edit form that just opened). */
  autoFocus?: boolean
}) {
  const id = useId()
  return (
    <div className="pg-demo-fields">
      {columns.map((column, index) => (
        <label key={column.name} htmlFor={`${id}-${column.name}`}>
          <span>
            {column.name} <span className="pg-muted">{column.type}</span>
          </span>
          <input
            id={`${id}-${column.name}`}
            // The edit form the user just opened takes the focus.
            autoFocus={autoFocus && index === 0}
            className="bb-input"
            value={values[column.name] ?? ''}
            placeholder={
              column.name === ownerColumn
                ? 'you (filled in)'
                : column.default !== undefined
                  ? `default: ${toText(column.default)}`
                  : column.required === true
                    ? 'required'
                    : ''
            }
            onChange={(event) => onChange(column.name, event.target.value)}
          />
        </label>
      ))}
    </div>
  )
}

/** The rows of `definition` for the demo app's current end user. */
export function DemoRows({
  databaseId,
  definition,
  userId,
}: {
  databaseId: string
  definition: TableDefinition
  userId: string | null
}) {
  const demo = useDemoEngine()
  const queryClient = useQueryClient()
  const table = definition.name
  const columns = definition.columns.filter((c) => c.secret !== true)
  const keys = columns.filter((c) => c.primary_key === true)
  const ownerColumn = definition.access?.owner_column
  const queryKey = ['playground-demo', databaseId, userId, table]
  const rows = useQuery({
    queryKey,
    queryFn: async () =>
      (await dataClient(demo, databaseId)).selectRows(table, { limit: 100, count: 'exact' }),
    retry: false,
  })
  const [draft, setDraft] = useState<Record<string, string>>({})
  const [editing, setEditing] = useState<{ row: Row; values: Record<string, string> } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const done = async (message: string) => {
    setNotice(message)
    await queryClient.invalidateQueries({ queryKey })
  }
  const whereOf = (row: Row) => Object.fromEntries(keys.map((c) => [c.name, row[c.name]]))

  const insert = useMutation({
    mutationFn: async () => {
      const row = Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== ''))
      return (await dataClient(demo, databaseId)).insertRows(table, row)
    },
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setDraft({})
      await done(`Inserted a row into ${table}.`)
    },
  })
  const update = useMutation({
    mutationFn: async (edit: { row: Row; values: Record<string, string> }) => {
      const patch = Object.fromEntries(
        Object.entries(edit.values)
          .filter(([column, value]) => value !== toText(edit.row[column]))
          .map(([column, value]) => [column, value === '' ? null : value]),
      )
      return (await dataClient(demo, databaseId)).updateRows(table, whereOf(edit.row), patch)
    },
    onMutate: () => setNotice(null),
    onSuccess: async (changed) => {
      setEditing(null)
      await done(
        changed.length === 0
          ? 'Nothing was updated: the access rules let you change no row that matched.'
          : `Saved the row of ${table}.`,
      )
    },
  })
  const remove = useMutation({
    mutationFn: async (row: Row) =>
      (await dataClient(demo, databaseId)).deleteRows(table, whereOf(row)),
    onMutate: () => setNotice(null),
    onSuccess: async (deleted) =>
      done(
        deleted.length === 0
          ? 'Nothing was deleted: the access rules let you delete no row that matched.'
          : `Deleted a row of ${table}.`,
      ),
  })
  const failed = insert.error ?? update.error ?? remove.error

  const submitInsert = (event: FormEvent) => {
    event.preventDefault()
    update.reset()
    remove.reset()
    insert.mutate()
  }
  const submitEdit = (event: FormEvent) => {
    event.preventDefault()
    insert.reset()
    remove.reset()
    if (editing !== null) {
      update.mutate(editing)
    }
  }

  return (
    <div className="pg-stack">
      <div className="pg-demo-table" role="region" aria-label={`Rows of ${table}`} tabIndex={0}>
        {rows.error !== null ? (
          <DemoError error={rows.error} />
        ) : rows.data === undefined ? (
          <p className="pg-muted">Loading the rows…</p>
        ) : rows.data.rows.length === 0 ? (
          <p className="pg-muted" data-slot="demo-empty">
            No rows of {table} that {userId === null ? 'anyone signed out' : 'you'} can see.
          </p>
        ) : (
          <table>
            <caption className="pg-muted">
              {(rows.data.count ?? rows.data.rows.length) === 1
                ? '1 row'
                : `${rows.data.count ?? rows.data.rows.length} rows`}{' '}
              of {table} {userId === null ? 'anyone signed out' : 'you'} can see
            </caption>
            <thead>
              <tr>
                {keys.length > 0 && <th scope="col">Actions</th>}
                {columns.map((column) => (
                  <th key={column.name} scope="col">
                    {column.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.data.rows.map((row, index) => {
                const label = rowLabel(row, keys, columns)
                return (
                  <tr
                    key={keys.length > 0 ? label : index}
                    data-mine={ownerColumn !== undefined && row[ownerColumn] === userId}
                  >
                    {keys.length > 0 && (
                      <td className="pg-demo-actions">
                        <button
                          type="button"
                          className="bb-button"
                          aria-label={`Edit row ${label}`}
                          onClick={() =>
                            setEditing({
                              row,
                              values: Object.fromEntries(
                                columns.map((c) => [c.name, toText(row[c.name])]),
                              ),
                            })
                          }
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="bb-button"
                          data-variant="danger"
                          aria-label={`Delete row ${label}`}
                          disabled={remove.isPending}
                          onClick={() => {
                            insert.reset()
                            update.reset()
                            remove.mutate(row)
                          }}
                        >
                          Delete
                        </button>
                      </td>
                    )}
                    {columns.map((column) => (
                      <td key={column.name}>{toText(row[column.name])}</td>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </div>
      {keys.length === 0 && (
        <p className="pg-muted">
          {table} has no primary key: its rows can be listed and added here, not edited.
        </p>
      )}
      <div role="status" aria-live="polite">
        {notice !== null && <p data-slot="demo-notice">{notice}</p>}
      </div>
      {failed !== null && <DemoError error={failed} />}
      {editing !== null ? (
        <form
          className="pg-card"
          onSubmit={submitEdit}
          aria-label={`Edit row ${rowLabel(editing.row, keys, columns)}`}
        >
          <h3>Edit row {rowLabel(editing.row, keys, columns)}</h3>
          <Fields
            columns={columns}
            values={editing.values}
            ownerColumn={ownerColumn}
            autoFocus
            onChange={(column, value) =>
              setEditing({ ...editing, values: { ...editing.values, [column]: value } })
            }
          />
          <div className="pg-dialog-actions">
            <button type="button" className="bb-button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button
              type="submit"
              className="bb-button"
              data-variant="primary"
              disabled={update.isPending}
            >
              Save
            </button>
          </div>
        </form>
      ) : (
        <form className="pg-card" onSubmit={submitInsert} aria-label={`New row of ${table}`}>
          <h3>New row of {table}</h3>
          <p className="pg-muted">Empty fields are left out: Postgres fills the defaults.</p>
          <Fields
            columns={columns}
            values={draft}
            ownerColumn={ownerColumn}
            onChange={(column, value) => setDraft({ ...draft, [column]: value })}
          />
          <div className="pg-dialog-actions">
            <button
              type="submit"
              className="bb-button"
              data-variant="primary"
              disabled={insert.isPending}
            >
              Insert
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
