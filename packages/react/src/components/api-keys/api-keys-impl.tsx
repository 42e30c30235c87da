'use client'
// The APIKeys component itself, loaded lazily by ./api-keys.tsx (this module, the shared admin
// parts and its stylesheet form the lazy chunk). See APIKeysProps for the behaviour.
import type { APIKey, APIKeyKind, CreatedAPIKey } from '@basebox/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type CSSProperties, type FormEvent } from 'react'
import { useTables } from '../../hooks/use-tables.js'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'
import {
  Ago,
  Confirm,
  errorWords,
  Frame,
  useCopy,
  useMinuteClock,
  When,
} from '../admin-shared/admin-shared.js'
import { API_KEYS_CSS } from './api-keys.styles.js'
import type { APIKeysProps } from './api-keys.js'

const keysKey = (databaseId: string) => [...baseboxKeys.database(databaseId), 'api-keys'] as const

type Outcome = { kind: 'success' | 'error'; text: string } | undefined

export default function APIKeysImpl(props: APIKeysProps & { style: CSSProperties }) {
  const { databaseId, theme } = props
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  const tables = useTables(databaseId)
  const readOnly =
    props.readOnly ??
    (tables.data ?? []).some(
      (t) =>
        t.permissions !== undefined &&
        !t.permissions.insert &&
        !t.permissions.update &&
        !t.permissions.delete,
    )
  const keys = useQuery({
    queryKey: keysKey(databaseId),
    queryFn: ({ signal }) => client.listAPIKeys(databaseId, { signal }),
  })
  const [outcome, setOutcome] = useState<Outcome>(undefined)
  const [created, setCreated] = useState<CreatedAPIKey | undefined>(undefined)
  const [revoking, setRevoking] = useState<APIKey | undefined>(undefined)
  const [rotating, setRotating] = useState(false)
  const [keepPrevious, setKeepPrevious] = useState(true)
  const id = useId()
  const now = useMinuteClock()
  const refresh = () => queryClient.invalidateQueries({ queryKey: keysKey(databaseId) })

  const create = useMutation({
    mutationFn: (input: { name: string; kind: APIKeyKind }) =>
      client.createAPIKey(databaseId, input),
    onSuccess: (key) => {
      setCreated(key)
      setOutcome(undefined)
      void refresh()
    },
    onError: (error) => setOutcome({ kind: 'error', text: errorWords(error, 'create the key') }),
  })
  const revoke = useMutation({
    mutationFn: (key: APIKey) => client.revokeAPIKey(databaseId, key.id),
    onSuccess: (key) => {
      setRevoking(undefined)
      setOutcome({ kind: 'success', text: `Revoked the key “${key.name}”: it no longer works.` })
      void refresh()
    },
    onError: (error) => {
      setRevoking(undefined)
      setOutcome({ kind: 'error', text: errorWords(error, 'revoke the key') })
    },
  })
  const rotate = useMutation({
    mutationFn: (keep: boolean) => client.rotateJWTSecret(databaseId, { keepPrevious: keep }),
    onSuccess: (_, keep) => {
      setRotating(false)
      setOutcome({
        kind: 'success',
        text: keep
          ? 'Rotated the JWT secret. Tokens signed before keep working until they expire.'
          : 'Rotated the JWT secret. Every signed-in end user must sign in again.',
      })
    },
    onError: (error) => {
      setRotating(false)
      setOutcome({ kind: 'error', text: errorWords(error, 'rotate the JWT secret') })
    },
  })

  return (
    <Frame
      prefix="bb-ak"
      slot="api-keys"
      css={API_KEYS_CSS}
      label={props['aria-label'] ?? 'API keys'}
      theme={theme}
      className={props.className}
      style={props.style}
      busy={keys.isPending}
    >
      {readOnly ? (
        <p className="bb-admin-note" role="status">
          Read-only: you can see the keys but not create, revoke or rotate them.
        </p>
      ) : null}
      <section className="bb-admin-card" aria-labelledby={`${id}-keys`}>
        <h3 className="bb-admin-heading" id={`${id}-keys`}>
          API keys
        </h3>
        {keys.isError ? (
          <div role="alert" className="bb-admin-error">
            <p>{errorWords(keys.error, 'load the keys')}</p>
            <button type="button" className="bb-te-button" onClick={() => void keys.refetch()}>
              Retry
            </button>
          </div>
        ) : keys.isPending ? (
          <span className="bb-te-skeleton bb-admin-skeleton" />
        ) : keys.data.length === 0 ? (
          <p className="bb-admin-note">No API keys yet.</p>
        ) : (
          <div className="bb-admin-scroll">
            <table className="bb-admin-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="bb-admin-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <tr
                    key={key.id}
                    data-key={key.name}
                    data-revoked={key.revoked_at !== null ? '' : undefined}
                  >
                    <th scope="row">{key.name}</th>
                    <td>
                      <span className="bb-admin-badge" data-kind={key.kind}>
                        {key.kind}
                      </span>
                    </td>
                    <td>
                      <code>{key.prefix}…</code>
                    </td>
                    <td>
                      <When iso={key.created_at} />
                    </td>
                    <td data-slot="last-used">
                      {/* A fixed width: the words change every minute without moving the columns. */}
                      <span className="bb-ak-used">
                        {key.last_used_at === null ? (
                          'Never'
                        ) : (
                          <Ago iso={key.last_used_at} now={now} />
                        )}
                      </span>
                    </td>
                    <td data-slot="status">
                      {key.revoked_at !== null ? (
                        <>
                          Revoked <When iso={key.revoked_at} />
                        </>
                      ) : (
                        'Active'
                      )}
                    </td>
                    <td>
                      {key.revoked_at === null && !readOnly ? (
                        <button
                          type="button"
                          className="bb-te-button"
                          data-variant="danger"
                          aria-label={`Revoke ${key.name}`}
                          onClick={() => setRevoking(key)}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {created !== undefined ? (
          <NewKey created={created} onDone={() => setCreated(undefined)} />
        ) : readOnly ? null : (
          <CreateForm busy={create.isPending} onCreate={(input) => create.mutate(input)} />
        )}
      </section>
      <section className="bb-admin-card" aria-labelledby={`${id}-jwt`}>
        <h3 className="bb-admin-heading" id={`${id}-jwt`}>
          JWT secret
        </h3>
        <p className="bb-admin-note">
          End users’ access tokens are signed with this secret. Rotate it when it may have leaked.
        </p>
        <label className="bb-admin-check">
          <input
            type="checkbox"
            checked={keepPrevious}
            disabled={readOnly}
            onChange={(event) => setKeepPrevious(event.target.checked)}
          />
          Keep accepting tokens signed with the old secret until they expire (15 minutes at most)
        </label>
        <p className="bb-admin-warning">
          {keepPrevious
            ? 'Signed-in end users stay signed in; their next refresh uses the new secret.'
            : 'Every signed-in end user is signed out at once and must refresh or sign in again.'}
        </p>
        <div>
          <button
            type="button"
            className="bb-te-button"
            data-variant="danger"
            disabled={readOnly || rotate.isPending}
            onClick={() => setRotating(true)}
          >
            Rotate JWT secret
          </button>
        </div>
      </section>
      <p
        className="bb-admin-outcome"
        data-kind={outcome?.kind}
        role={outcome?.kind === 'error' ? 'alert' : 'status'}
        aria-live="polite"
      >
        {outcome?.text ?? ''}
      </p>
      <Confirm
        open={revoking !== undefined}
        onOpenChange={(open) => (open ? undefined : setRevoking(undefined))}
        title={`Revoke the key “${revoking?.name ?? ''}”?`}
        confirm="Revoke key"
        danger
        busy={revoke.isPending}
        onConfirm={() => revoking !== undefined && revoke.mutate(revoking)}
        theme={theme}
        slot="api-keys-confirm"
      >
        <p>Every app using this key stops working at once. This cannot be undone.</p>
      </Confirm>
      <Confirm
        open={rotating}
        onOpenChange={setRotating}
        title="Rotate the JWT secret?"
        confirm="Rotate secret"
        danger
        busy={rotate.isPending}
        onConfirm={() => rotate.mutate(keepPrevious)}
        theme={theme}
        slot="api-keys-rotate"
      >
        <p>
          {keepPrevious
            ? 'Tokens signed with the old secret keep working until they expire (15 minutes at most).'
            : 'Tokens signed with the old secret stop working now: every signed-in end user is signed out.'}
        </p>
      </Confirm>
    </Frame>
  )
}

function CreateForm({
  busy,
  onCreate,
}: {
  busy: boolean
  onCreate: (input: { name: string; kind: APIKeyKind }) => void
}) {
  const id = useId()
  const [name, setName] = useState('')
  const [kind, setKind] = useState<APIKeyKind>('anon')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim() !== '') {
      onCreate({ name: name.trim(), kind })
    }
  }
  return (
    <form className="bb-admin-form" onSubmit={submit} aria-label="Create an API key">
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        className="bb-input"
        value={name}
        maxLength={100}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <label htmlFor={`${id}-kind`}>Kind</label>
      <select
        id={`${id}-kind`}
        className="bb-input"
        value={kind}
        onChange={(event) => setKind(event.target.value as APIKeyKind)}
      >
        <option value="anon">anon (public, under the access rules)</option>
        <option value="service">service (secret, every row)</option>
      </select>
      <button
        type="submit"
        className="bb-te-button"
        data-variant="primary"
        disabled={busy || name.trim() === ''}
      >
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  )
}

function NewKey({ created, onDone }: { created: CreatedAPIKey; onDone: () => void }) {
  const [copied, copy] = useCopy()
  return (
    <div
      className="bb-ak-new"
      data-slot="api-keys-new"
      role="group"
      aria-label={`The new key ${created.name}`}
    >
      <p className="bb-admin-warning">
        <strong>Copy the key “{created.name}” now: you will not see it again.</strong> Only its
        digest is kept.
        {created.kind === 'service' ? ' It bypasses the access rules: keep it on a server.' : ''}
      </p>
      <div className="bb-ak-secret">
        <code aria-label="The new key" tabIndex={0}>
          {created.key}
        </code>
        <button type="button" className="bb-te-button" onClick={() => copy('key', created.key)}>
          Copy
        </button>
        <button type="button" className="bb-te-button" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="bb-admin-note" role="status" aria-live="polite">
        {copied ?? ''}
      </p>
    </div>
  )
}
