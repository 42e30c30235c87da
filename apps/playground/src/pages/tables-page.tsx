// The Tables page: the database's tables on the side, the chosen one in the kit's TableEditor,
// and a RecordForm (in the kit's side sheet) to add a record.
import { RecordFormPanel, TableEditor, useTables } from '@basebox/react'
import { useState } from 'react'
import { ErrorNote } from '../error-note.js'
import type { Theme } from '../preferences.js'
import { toHash, type Route } from '../route.js'

/** The table list and the chosen table's editor (the first table when none is chosen). */
export function TablesPage({
  databaseId,
  route,
  theme,
}: {
  databaseId: string
  route: Extract<Route, { name: 'project' }>
  theme: Theme
}) {
  const tables = useTables(databaseId)
  if (tables.isPending) {
    return <p className="pg-muted">Loading tables…</p>
  }
  if (tables.error !== null) {
    return <ErrorNote error={tables.error} />
  }
  const names = tables.data.map((table) => table.name)
  const current =
    route.table !== null && names.includes(route.table) ? route.table : (names[0] ?? null)
  return (
    <div className="pg-split">
      <nav className="pg-side" aria-label="Tables">
        <h2 className="pg-side-title">Tables</h2>
        <ul>
          {names.map((name) => (
            <li key={name}>
              <a
                href={toHash({ ...route, page: 'tables', table: name })}
                aria-current={name === current ? 'page' : undefined}
              >
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
          <TableEditor
            key={current}
            databaseId={databaseId}
            table={current}
            theme={theme}
            height="min(70vh, 640px)"
          />
        </section>
      )}
    </div>
  )
}

/** "New record": the kit's RecordFormPanel (a side sheet; Escape with unsaved changes asks first). */
function NewRecordButton({
  databaseId,
  table,
  theme,
}: {
  databaseId: string
  table: string
  theme: Theme
}) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        className="bb-button"
        data-variant="primary"
        onClick={() => setOpen(true)}
      >
        New record
      </button>
      <RecordFormPanel
        open={open}
        onOpenChange={setOpen}
        databaseId={databaseId}
        table={table}
        theme={theme}
        title={`New ${table} record`}
        onSaved={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      />
    </>
  )
}
