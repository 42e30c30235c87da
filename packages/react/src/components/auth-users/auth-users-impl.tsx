'use client'
// The AuthUsers component itself, loaded lazily by ./auth-users.tsx (this module, the shared
// admin parts and its stylesheet form the lazy chunk). See AuthUsersProps for the behaviour.
import {
  isBaseboxError,
  type BaseboxClient,
  type EndUser,
  type EndUserOrderColumn,
} from '@basebox/client'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  useDeferredValue,
  useEffect,
  useId,
  useState,
  type CSSProperties,
  type FormEvent,
} from 'react'
import { useTables } from '../../hooks/use-tables.js'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'
import { Confirm, errorWords, Frame, When } from '../admin-shared/admin-shared.js'
import { AUTH_USERS_CSS } from './auth-users.styles.js'
import type { AuthUsersProps } from './auth-users.js'

const usersKey = (databaseId: string) => [...baseboxKeys.database(databaseId), 'end-users'] as const

type Outcome = { kind: 'success' | 'error'; text: string } | undefined
type Sort = { column: EndUserOrderColumn; direction: 'asc' | 'desc' }

/** The outcome of a password reset in words: where it went, or why it did not. */
function resetError(error: unknown, email: string): string {
  if (isBaseboxError(error)) {
    if (error.code === 'UNSUPPORTED') {
      return `No reset email was sent to ${email}: this host has configured no mailer (sendEmail). (UNSUPPORTED)`
    }
    if (error.code === 'FORBIDDEN') {
      return `No reset email was sent to ${email}: the user is disabled, or you may not send one. (FORBIDDEN)`
    }
    if (error.code === 'LIMIT_EXCEEDED') {
      return `No reset email was sent to ${email}: too many emails to this address in the last hour; try later. (LIMIT_EXCEEDED)`
    }
  }
  return errorWords(error, `send a reset to ${email}`)
}

async function sendReset(
  client: BaseboxClient,
  databaseId: string,
  user: EndUser,
): Promise<Outcome> {
  try {
    const sent = await client.sendPasswordReset(databaseId, user.id)
    const expires = new Date(sent.expires_at).toLocaleTimeString('en', {
      hour: '2-digit',
      minute: '2-digit',
    })
    return {
      kind: 'success',
      text: `Sent a password reset to ${sent.email}; the link works until ${expires}.`,
    }
  } catch (error) {
    return { kind: 'error', text: resetError(error, user.email) }
  }
}

export default function AuthUsersImpl(props: AuthUsersProps & { style: CSSProperties }) {
  const { databaseId, theme } = props
  const pageSize = props.pageSize ?? 20
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
  const searchId = useId()
  const [search, setSearch] = useState('')
  const deferredSearch = useDeferredValue(search.trim())
  const [sort, setSort] = useState<Sort>({ column: 'created_at', direction: 'asc' })
  const [page, setPage] = useState(0)
  const options = {
    search: deferredSearch === '' ? undefined : deferredSearch,
    orderBy: sort,
    limit: pageSize,
    offset: page * pageSize,
  }
  const users = useQuery({
    queryKey: [...usersKey(databaseId), options],
    queryFn: ({ signal }) => client.listEndUsers(databaseId, { ...options, signal }),
    placeholderData: keepPreviousData,
  })
  const [outcome, setOutcome] = useState<Outcome>(undefined)
  const [deleting, setDeleting] = useState<EndUser | undefined>(undefined)
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey(databaseId) })

  const act = useMutation({
    mutationFn: async (action: { run: () => Promise<Outcome> }) => action.run(),
    onSuccess: (result) => {
      setOutcome(result)
      void refresh()
    },
  })
  const run = (failure: string, work: () => Promise<string>) =>
    act.mutate({
      run: async () => {
        try {
          return { kind: 'success', text: await work() }
        } catch (error) {
          return { kind: 'error', text: errorWords(error, failure) }
        }
      },
    })

  const total = users.data?.total ?? 0
  const list = users.data?.users ?? []
  const pages = Math.max(1, Math.ceil(total / pageSize))
  // The last user of the last page deleted (or disabled away by someone else): go back a page.
  useEffect(() => {
    if (users.isSuccess && !users.isPlaceholderData && page > 0 && page + 1 > pages) {
      setPage(pages - 1)
    }
  }, [users.isSuccess, users.isPlaceholderData, page, pages])
  const sortBy = (column: EndUserOrderColumn) => {
    setSort((current) => ({
      column,
      direction: current.column === column && current.direction === 'asc' ? 'desc' : 'asc',
    }))
    setPage(0)
  }
  const header = (column: EndUserOrderColumn, label: string) => (
    <th
      scope="col"
      aria-sort={
        sort.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
      }
    >
      <button
        type="button"
        className="bb-admin-link bb-au-sort"
        aria-pressed={sort.column === column}
        onClick={() => sortBy(column)}
      >
        {label}
        {sort.column === column ? (sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}
      </button>
    </th>
  )

  return (
    <Frame
      prefix="bb-au"
      slot="auth-users"
      css={AUTH_USERS_CSS}
      label={props['aria-label'] ?? 'End users'}
      theme={theme}
      className={props.className}
      style={props.style}
      busy={users.isPending}
    >
      {readOnly ? (
        <p className="bb-admin-note" role="status">
          Read-only: you can see the users but not change them.
        </p>
      ) : null}
      <section className="bb-admin-card" aria-label="Users">
        <div className="bb-au-toolbar">
          <label htmlFor={searchId} className="bb-admin-hidden">
            Search users
          </label>
          <input
            id={searchId}
            type="search"
            className="bb-input"
            placeholder="Search by email or name"
            value={search}
            maxLength={200}
            onChange={(event) => {
              setSearch(event.target.value)
              setPage(0)
            }}
          />
        </div>
        {users.isError ? (
          <div role="alert" className="bb-admin-error">
            <p>{errorWords(users.error, 'load the users')}</p>
            <button type="button" className="bb-te-button" onClick={() => void users.refetch()}>
              Retry
            </button>
          </div>
        ) : users.isPending ? (
          <span className="bb-te-skeleton bb-admin-skeleton" />
        ) : list.length === 0 ? (
          <p className="bb-admin-note">
            {deferredSearch === '' ? 'No users yet.' : `No user matches “${deferredSearch}”.`}
          </p>
        ) : (
          <div className="bb-admin-scroll">
            <table className="bb-admin-table">
              <thead>
                <tr>
                  {header('email', 'Email')}
                  {header('full_name', 'Name')}
                  {header('created_at', 'Created')}
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="bb-admin-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((user) => (
                  <tr
                    key={user.id}
                    data-user={user.email}
                    data-disabled={user.disabled ? '' : undefined}
                  >
                    <th scope="row">{user.email}</th>
                    <td>{user.full_name ?? ''}</td>
                    <td>
                      <When iso={user.created_at} />
                    </td>
                    <td data-slot="status">
                      {user.disabled ? (
                        <span className="bb-admin-badge" data-kind="disabled">
                          Disabled
                        </span>
                      ) : user.email_verified_at !== null ? (
                        'Verified'
                      ) : (
                        'Not verified'
                      )}
                    </td>
                    <td>
                      {readOnly ? null : (
                        <div
                          className="bb-admin-actions"
                          role="group"
                          aria-label={`Actions for ${user.email}`}
                        >
                          <button
                            type="button"
                            className="bb-te-button"
                            disabled={act.isPending}
                            onClick={() =>
                              run(
                                user.disabled ? `enable ${user.email}` : `disable ${user.email}`,
                                async () => {
                                  await client.updateEndUser(databaseId, user.id, {
                                    disabled: !user.disabled,
                                  })
                                  return user.disabled
                                    ? `Enabled ${user.email}.`
                                    : `Disabled ${user.email}: every session ended.`
                                },
                              )
                            }
                          >
                            {user.disabled ? 'Enable' : 'Disable'}
                          </button>
                          <button
                            type="button"
                            className="bb-te-button"
                            disabled={act.isPending}
                            onClick={() =>
                              act.mutate({ run: () => sendReset(client, databaseId, user) })
                            }
                          >
                            Send reset
                          </button>
                          <button
                            type="button"
                            className="bb-te-button"
                            disabled={act.isPending}
                            onClick={() =>
                              run(`revoke the sessions of ${user.email}`, async () => {
                                await client.revokeEndUserSessions(databaseId, user.id)
                                return `Revoked every session of ${user.email}: they must sign in again.`
                              })
                            }
                          >
                            Revoke sessions
                          </button>
                          <button
                            type="button"
                            className="bb-te-button"
                            data-variant="danger"
                            disabled={act.isPending}
                            onClick={() => setDeleting(user)}
                          >
                            Delete
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="bb-au-pager" aria-label="Pages">
          <span data-slot="range">
            {total === 0
              ? '0 users'
              : `${page * pageSize + 1}–${page * pageSize + list.length} of ${total}`}
          </span>
          <button
            type="button"
            className="bb-te-button"
            disabled={page === 0}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </button>
          <button
            type="button"
            className="bb-te-button"
            disabled={page + 1 >= pages}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      </section>
      {readOnly ? null : (
        <CreateForm
          busy={act.isPending}
          onCreate={(input) =>
            act.mutate({
              run: async () => {
                let user: EndUser
                try {
                  user = await client.createEndUser(databaseId, input)
                } catch (error) {
                  return {
                    kind: 'error',
                    text:
                      isBaseboxError(error) && error.code === 'CONFLICT'
                        ? `Could not create ${input.email}: a user with this email already exists. (CONFLICT)`
                        : errorWords(error, `create ${input.email}`),
                  }
                }
                if (input.password !== undefined) {
                  return { kind: 'success', text: `Created ${user.email}.` }
                }
                // An invite: no password, so a reset email lets the user set one.
                const sent = await sendReset(client, databaseId, user)
                return sent?.kind === 'success'
                  ? { kind: 'success', text: `Invited ${user.email}: ${sent.text}` }
                  : {
                      kind: 'error',
                      text: `Created ${user.email}, but the invite failed. ${sent?.text ?? ''}`,
                    }
              },
            })
          }
        />
      )}
      <p
        className="bb-admin-outcome"
        data-kind={outcome?.kind}
        role={outcome?.kind === 'error' ? 'alert' : 'status'}
        aria-live="polite"
      >
        {outcome?.text ?? ''}
      </p>
      <Confirm
        open={deleting !== undefined}
        onOpenChange={(open) => (open ? undefined : setDeleting(undefined))}
        title={`Delete ${deleting?.email ?? ''}?`}
        confirm="Delete user"
        danger
        busy={act.isPending}
        onConfirm={() => {
          const user = deleting
          setDeleting(undefined)
          if (user !== undefined) {
            run(`delete ${user.email}`, async () => {
              await client.deleteEndUser(databaseId, user.id)
              return `Deleted ${user.email}.`
            })
          }
        }}
        theme={theme}
        slot="auth-users-confirm"
      >
        <p>
          The user’s row in the users table, sessions and metadata are deleted. This cannot be
          undone.
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
  onCreate: (input: { email: string; password?: string; email_confirm: boolean }) => void
}) {
  const id = useId()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirmed, setConfirmed] = useState(false)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (email.trim() === '') {
      return
    }
    onCreate({
      email: email.trim(),
      ...(password !== '' ? { password } : {}),
      email_confirm: confirmed,
    })
    setEmail('')
    setPassword('')
  }
  return (
    <section className="bb-admin-card" aria-labelledby={`${id}-title`}>
      <h3 className="bb-admin-heading" id={`${id}-title`}>
        Create or invite a user
      </h3>
      <form className="bb-admin-form" onSubmit={submit}>
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          className="bb-input"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          className="bb-input"
          autoComplete="new-password"
          minLength={8}
          value={password}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setPassword(event.target.value)}
        />
        <label className="bb-admin-check">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.target.checked)}
          />
          Email verified
        </label>
        <button
          type="submit"
          className="bb-te-button"
          data-variant="primary"
          disabled={busy || email.trim() === ''}
        >
          {password === '' ? 'Invite' : 'Create user'}
        </button>
      </form>
      <p className="bb-admin-note" id={`${id}-hint`}>
        Leave the password empty to invite: the user gets a reset email to set one.
      </p>
    </section>
  )
}
