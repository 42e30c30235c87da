// The SQL page: the kit's SQLPanel on the database (runs as the database's own role).
import { SQLPanel } from '@basebox/react'
import type { Theme } from '../preferences.js'

/** SQLPanel over the whole page width. */
export function SQLPage({ databaseId, theme }: { databaseId: string; theme: Theme }) {
  return (
    <section aria-label="SQL" className="pg-section">
      <SQLPanel
        databaseId={databaseId}
        theme={theme}
        ai={false}
        initialSQL="select * from users limit 20;"
      />
    </section>
  )
}
