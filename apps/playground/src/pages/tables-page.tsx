// The Tables page: the database's tables on the side, the chosen one in the kit's TableEditor,
// and a RecordForm in a dialog to add a record.
import { RecordForm, TableEditor, useTables } from '@basebox/react'
import { useRef, useState } from 'react'
import { ErrorNote } from '../error-note.js'
import type { Theme } from '../preferences.js'
import { toHash, type Route } from '../route.js'

/** The table list and the chosen table's editor (the first table when none is chosen). */
export function TablesPage({ databaseId, route, theme }: { databaseId: string; route: Extract<Route, { name: 'project' }>; theme: Theme }) {
  const tables = useTables(databaseId)
  if (tables.isPending) {
    return <p className="pg-muted">Loading tables…</p>
  }
  if (tables.error !== null) {
    return <ErrorNote error={tables.error} />
  }
  const names = tables.data.map((table) => table.name)
  const current = route.table !== null && names.includes(route.table) ? route.table : (names[0] ?? null)
  return (
    <div className="pg-split">
      <nav className="pg-side" aria-label="Tables">
        <h2 className="pg-side-title">Tables</h2>
        <ul>
          {names.map((name) => (
            <li key={name}>
              <a href={toHash({ ...route, page: 'tables', table: name })} aria-current={name === current ? 'page' : undefined}>
                {name}
              </a>
            </li>
          ))}
        </ul>
        <a className="pg-side-more" href={toHash({ ...route, page: 'schema', table: null })}>
          Add tables from a template
        </a>
      </nav>
      {current === null ? (
        <p className="pg-muted">No tables yet.</p>
      ) : (
        <section className="pg-section pg-grow" aria-label={`Table ${current}`}>
          <div className="pg-section-head">
            <h1>{current}</h1>
            <NewRecordButton key={current} databaseId={databaseId} table={current} theme={theme} />
          </div>
          <TableEditor key={current} databaseId={databaseId} table={current} theme={theme} height="min(70vh, 640px)" />
        </section>
      )}
    </div>
  )
}

/** "New record": a RecordForm for the table in a modal dialog (Escape closes it). */
function NewRecordButton({ databaseId, table, theme }: { databaseId: string; table: string; theme: Theme }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [open, setOpen] = useState(false)
  const close = () => {
    dialog.current?.close()
  }
  return (
    <>
      <button
        type="button"
        className="bb-button"
        data-variant="primary"
        onClick={() => {
          setOpen(true)
          dialog.current?.showModal()
        }}
      >
        New record
      </button>
      <dialog ref={dialog} className="pg-dialog pg-record-dialog" aria-label={`New ${table} record`} onClose={() => setOpen(false)}>
        <h2>New {table} record</h2>
        {open && <RecordForm databaseId={databaseId} table={table} theme={theme} onSaved={close} onCancel={close} />}
      </dialog>
    </>
  )
}
