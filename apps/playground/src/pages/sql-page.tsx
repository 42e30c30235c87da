// The SQL page: the kit's SqlPanel on the database (runs as the database's own role).
import { SqlPanel } from '@basebox/react'
import type { Theme } from '../preferences.js'

/** SqlPanel over the whole page width. */
export function SQLPage({ databaseId, theme }: { databaseId: string; theme: Theme }) {
  return (
    <section aria-label="SQL" className="pg-section">
      <SqlPanel
        databaseId={databaseId}
        theme={theme}
        ai={false}
        initialSql="select * from users limit 20;"
      />
    </section>
  )
}
