// The Settings page: export and import the database's data (the kit's DataTransfer), and delete
// the database (the project stays, and can get a new one).
import { BaseboxError } from '@basebox/client'
import { baseboxKeys, DataTransfer, useBaseboxClient } from '@basebox/react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ErrorNote } from '../error-note.js'
import type { Theme } from '../preferences.js'

export function SettingsPage({
  databaseId,
  projectId,
  theme,
}: {
  databaseId: string
  projectId: string
  theme: Theme
}) {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const remove = useMutation({
    mutationFn: () => client.deleteDatabase(projectId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: baseboxKeys.database(databaseId) })
      await queryClient.invalidateQueries({ queryKey: baseboxKeys.project(projectId) })
    },
  })
  return (
    <div className="pg-stack">
      <section className="pg-section" aria-labelledby="pg-transfer-title">
        <h1 id="pg-transfer-title">Settings</h1>
        <h2>Export and import</h2>
        <DataTransfer databaseId={databaseId} theme={theme} />
      </section>
      <section className="pg-card" aria-labelledby="pg-delete-title">
        <h2 id="pg-delete-title">Delete the database</h2>
        <p>
          Drops every table and row, the database's role, its end users and API keys. The project
          stays and can get a new database. This cannot be undone.
        </p>
        {confirming ? (
          <div className="pg-dialog-actions" role="group" aria-label="Confirm the deletion">
            <button type="button" className="bb-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="bb-button"
              data-variant="danger"
              disabled={remove.isPending}
              aria-busy={remove.isPending}
              onClick={() => remove.mutate()}
            >
              {remove.isPending ? 'Deleting…' : 'Delete it for good'}
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="bb-button"
            data-variant="danger"
            onClick={() => setConfirming(true)}
          >
            Delete database…
          </button>
        )}
        {remove.error !== null &&
          !(remove.error instanceof BaseboxError && remove.error.code === 'NOT_FOUND') && (
            <ErrorNote error={remove.error} />
          )}
      </section>
    </div>
  )
}
