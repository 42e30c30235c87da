// The local sign-in: a name is enough. It stands for the host product's user, whose id owns the
// projects (Basebox never keeps platform users of its own).
import { useState, type FormEvent } from 'react'

/** Asks for a name and signs in as it. */
export function SignInPage({ onSignIn }: { onSignIn: (name: string) => void }) {
  const [name, setName] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed !== '') {
      onSignIn(trimmed)
    }
  }
  return (
    <section className="pg-card pg-sign-in" aria-labelledby="pg-sign-in-title">
      <h1 id="pg-sign-in-title">Sign in</h1>
      <p>
        Act as a user of a host product that embeds Basebox. The name stays in this browser;
        everything you make is kept here too, in IndexedDB, with no server.
      </p>
      <form onSubmit={submit} className="pg-form-row">
        <label htmlFor="pg-user-name">Your name</label>
        <input
          id="pg-user-name"
          className="bb-input"
          autoFocus
          autoComplete="username"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button
          type="submit"
          className="bb-button"
          data-variant="primary"
          disabled={name.trim() === ''}
        >
          Sign in
        </button>
      </form>
    </section>
  )
}
