// An error shown in words: a BaseboxError's message with its code.
import { BaseboxError } from '@basebox/client'

/** The error's message, as an alert. */
export function ErrorNote({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error)
  return (
    <p className="pg-error" role="alert">
      {error instanceof BaseboxError ? <code>{error.code}</code> : null} {message}
    </p>
  )
}
