// A failed call of the demo app in words: what the error's code means for an end user, then the
// engine's own message (with its code) below.
import { BaseboxError, type ErrorCode } from '@basebox/client'

const MEANINGS: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN: 'The access rules refused this.',
  UNAUTHENTICATED: 'You are not signed in, or your session ended.',
  VALIDATION_FAILED: 'A value does not fit its column.',
  CONFLICT: 'Another row already has this value, or a referenced row is missing.',
  NOT_FOUND: 'It is not there (any more).',
  LIMIT_EXCEEDED: 'Too many attempts: wait a little and try again.',
}

/** The error's meaning and message, as an alert. */
export function DemoError({ error }: { error: unknown }) {
  const meaning = error instanceof BaseboxError ? MEANINGS[error.code] : undefined
  const message = error instanceof Error ? error.message : String(error)
  return (
    <div className="pg-error pg-demo-error" role="alert" data-slot="demo-error">
      {meaning !== undefined && <p>{meaning}</p>}
      <p>
        {error instanceof BaseboxError ? <code>{error.code}</code> : null} {message}
      </p>
    </div>
  )
}
