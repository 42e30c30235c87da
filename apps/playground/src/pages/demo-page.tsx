// The Demo app page: an app of the database's end users, running in this page. Sign up or sign
// in as one (@basebox/auth on the page's engine), then use a table's rows as that user, under the
// table's access rules, with the semantics of the data API (createLocalDataClient).
import type { AuthEmail } from '@basebox/auth'
import { useTables } from '@basebox/react'
import { useMutation } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useDemoEngine } from '../demo/demo-engine.js'
import { DemoError } from '../demo/demo-error.js'
import { DemoRows } from '../demo/demo-rows.js'
import {
  signIn,
  signOut,
  signUp,
  useEndUserSession,
  verifyEmail,
} from '../demo/end-user-session.js'
import { outbox } from '../engine.js'
import { toHash, type Route } from '../route.js'

function SignInForm({ databaseId }: { databaseId: string }) {
  const demo = useDemoEngine()
  const id = useId()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const account = useMutation({
    mutationFn: (kind: 'sign-up' | 'sign-in') =>
      (kind === 'sign-up' ? signUp : signIn)(demo, databaseId, email.trim(), password),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    account.mutate('sign-in')
  }
  return (
    <form onSubmit={submit} aria-label="Sign up or sign in">
      <div className="pg-demo-fields">
        <label htmlFor={`${id}-email`}>
          <span>Email</span>
          <input
            id={`${id}-email`}
            className="bb-input"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label htmlFor={`${id}-password`}>
          <span>Password</span>
          <input
            id={`${id}-password`}
            className="bb-input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
      </div>
      <div className="pg-dialog-actions">
        <button
          type="button"
          className="bb-button"
          disabled={account.isPending}
          onClick={() => account.mutate('sign-up')}
        >
          Sign up
        </button>
        <button
          type="submit"
          className="bb-button"
          data-variant="primary"
          disabled={account.isPending}
        >
          Sign in
        </button>
      </div>
      <div aria-live="polite">
        {account.isPending && <p className="pg-muted">Hashing the password…</p>}
      </div>
      {account.error !== null && <DemoError error={account.error} />}
    </form>
  )
}

/** The emails auth would send for this database (there is no mailer), with their links as buttons. */
function Outbox({ databaseId }: { databaseId: string }) {
  const demo = useDemoEngine()
  // The outbox is a plain list: the page reads it again when it mounts (a new session) and after
  // a confirmation.
  const confirm = useMutation({
    mutationFn: (email: AuthEmail) => verifyEmail(demo, databaseId, email.token!),
  })
  const emails = outbox.filter((email) => email.database_id === databaseId)
  return (
    <section className="pg-card" aria-labelledby={`pg-outbox-${databaseId}`}>
      <h2 id={`pg-outbox-${databaseId}`}>Outbox</h2>
      <p className="pg-muted">
        The emails auth would send to this app's users. The playground has no mailer: they are kept
        here (and in the console).
      </p>
      {emails.length === 0 ? (
        <p className="pg-muted">No emails yet.</p>
      ) : (
        <ul className="pg-demo-outbox">
          {emails.map((email, index) => (
            <li key={`${email.kind}-${index}`}>
              <span>
                <strong>{email.kind.replaceAll('_', ' ')}</strong> to {email.to}
              </span>
              {email.kind === 'email_verification' && email.token !== undefined && (
                <button
                  type="button"
                  className="bb-button"
                  disabled={confirm.isPending}
                  onClick={() => confirm.mutate(email)}
                >
                  Confirm {email.to}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div aria-live="polite">{confirm.isSuccess && <p>Confirmed {confirm.variables.to}.</p>}</div>
      {confirm.error !== null && <DemoError error={confirm.error} />}
    </section>
  )
}

/** The page: who is signed in, the table picker and its rows, the outbox. */
export function DemoPage({
  databaseId,
  route,
}: {
  databaseId: string
  route: Extract<Route, { name: 'project' }>
}) {
  const demo = useDemoEngine()
  const session = useEndUserSession(databaseId)
  const tables = useTables(databaseId)
  const [table, setTable] = useState<string | null>(null)
  const leave = useMutation({ mutationFn: () => signOut(demo, databaseId) })
  const userId = session?.user.id ?? null
  const picked =
    tables.data?.find((t) => t.name === table) ??
    tables.data?.find((t) => t.definition.access?.owner_column !== undefined) ??
    tables.data?.[0]
  const access = picked?.definition.access
  return (
    <section className="pg-section pg-stack" aria-labelledby="pg-demo-title">
      <div>
        <h1 id="pg-demo-title">Demo app</h1>
        <p className="pg-muted">
          An app of this database's end users, running in this page: sign up or sign in as one, then
          use a table as that user. Every call goes through the table's{' '}
          <a href={toHash({ ...route, page: 'access', table: null })}>access rules</a>, as it would
          on the data API.
        </p>
      </div>
      <section className="pg-card" aria-labelledby="pg-demo-user">
        <h2 id="pg-demo-user">End user</h2>
        {session === null ? (
          <>
            <p>Signed out: you act as the anonymous role.</p>
            <SignInForm databaseId={databaseId} />
          </>
        ) : (
          <div className="pg-form-row pg-demo-who">
            <p className="pg-grow" data-slot="demo-signed-in">
              Signed in as <strong>{session.user.email}</strong>{' '}
              <span className="pg-muted">
                (id <code>{session.user.id}</code>)
              </span>
            </p>
            <button
              type="button"
              className="bb-button"
              disabled={leave.isPending}
              onClick={() => leave.mutate()}
            >
              Sign out of the app
            </button>
          </div>
        )}
        {leave.error !== null && <DemoError error={leave.error} />}
      </section>
      <section className="pg-card" aria-labelledby="pg-demo-data">
        <h2 id="pg-demo-data">Data</h2>
        {tables.error !== null ? (
          <DemoError error={tables.error} />
        ) : picked === undefined ? (
          <p className="pg-muted">{tables.isPending ? 'Loading the tables…' : 'No tables yet.'}</p>
        ) : (
          <>
            <div className="pg-form-row pg-demo-pick">
              <label htmlFor="pg-demo-table">Table</label>
              <select
                id="pg-demo-table"
                className="bb-input"
                value={picked.name}
                onChange={(event) => setTable(event.target.value)}
              >
                {tables.data?.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <p className="pg-muted" data-slot="demo-rules">
              {access === undefined
                ? `${picked.name} has no access rules: its rows are closed to end users.`
                : `Access rules of ${picked.name}: ${(
                    ['select', 'insert', 'update', 'delete'] as const
                  )
                    .map((op) => `${op} ${access[op] ?? 'nobody'}`)
                    .join(
                      ', ',
                    )}${access.owner_column === undefined ? '' : ` (owner column ${access.owner_column})`}.`}
            </p>
            <DemoRows
              key={`${picked.name}-${userId}`}
              databaseId={databaseId}
              definition={picked.definition}
              userId={userId}
            />
          </>
        )}
      </section>
      <Outbox key={session?.access_token ?? 'signed-out'} databaseId={databaseId} />
    </section>
  )
}
