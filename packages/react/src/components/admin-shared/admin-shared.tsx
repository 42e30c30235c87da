'use client'
// What the lazy chunks of <APIKeys> and <AuthUsers> share (never imported by the main entry):
// a confirm dialog, copying to the clipboard, the typed errors in words, dates.
import { isBaseboxError } from '@basebox/client'
import { Dialog } from 'radix-ui'
import { useEffect, useState, type ReactNode } from 'react'
import { timeAgo } from '../database-overview/overview-text.js'

/** A typed error in words, for `action` ("revoke the key"), with the code for support. @internal */
export function errorWords(error: unknown, action: string): string {
  if (!isBaseboxError(error)) {
    return `Could not ${action}: ${error instanceof Error ? error.message : String(error)}`
  }
  const words: Partial<Record<string, string>> = {
    UNSUPPORTED: 'this host has not configured it',
    FORBIDDEN: 'you may not do this',
    NOT_FOUND: 'it no longer exists (it may have been deleted elsewhere)',
    CONFLICT: 'it already exists',
    LIMIT_EXCEEDED: 'too many attempts; try again later',
    VALIDATION_FAILED: 'the input is not valid',
    UNAVAILABLE: 'the service is not reachable; try again',
    TIMEOUT: 'it took too long; try again',
  }
  const why = words[error.code] ?? 'something went wrong'
  return `Could not ${action}: ${why}. ${error.message} (${error.code})`
}

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

/** An ISO timestamp as a `<time>`. @internal */
export function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{DATE.format(new Date(iso))}</time>
}

const DAY = new Intl.DateTimeFormat('en', { dateStyle: 'medium' })
const EXACT = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'long' })
const WEEK_MS = 7 * 86_400_000

/**
 * An ISO timestamp in words relative to `now` ("just now", "3 minutes ago", "yesterday"), or its
 * day once a week old, as a `<time>` whose title is the exact time. @internal
 */
export function Ago({ iso, now }: { iso: string; now: number }) {
  const at = Date.parse(iso)
  // A browser clock behind the server's would otherwise say "in 2 minutes".
  const reference = Math.max(now, at)
  return (
    <time dateTime={iso} title={EXACT.format(at)}>
      {reference - at < WEEK_MS ? timeAgo(iso, reference) : DAY.format(at)}
    </time>
  )
}

/** The current time, again every minute, so that "5 minutes ago" stays true. @internal */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/** Copies text, and says what happened for two seconds. @internal */
export function useCopy(): [string | undefined, (what: string, text: string) => void] {
  const [copied, setCopied] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (copied === undefined) {
      return
    }
    const timer = setTimeout(() => setCopied(undefined), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  const copy = (what: string, text: string) => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
    if (clipboard === undefined) {
      setCopied(`Copying is not available here; select the ${what} instead.`)
      return
    }
    clipboard.writeText(text).then(
      () => setCopied(`Copied the ${what}.`),
      () => setCopied(`Could not copy; select the ${what} instead.`),
    )
  }
  return [copied, copy]
}

/** A confirm dialog (radix Dialog, focus trapped, Escape cancels). @internal */
export function Confirm(props: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  children: ReactNode
  confirm: string
  danger?: boolean
  busy?: boolean
  onConfirm: () => void
  theme: 'light' | 'dark' | undefined
  slot: string
}) {
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="bb-root bb-te-overlay" data-theme={props.theme} />
        <Dialog.Content
          className="bb-root bb-te-dialog"
          data-slot={props.slot}
          data-theme={props.theme}
        >
          <Dialog.Title className="bb-te-dialog-title">{props.title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="bb-te-dialog-text">{props.children}</div>
          </Dialog.Description>
          <div className="bb-te-actions">
            <Dialog.Close className="bb-te-button">Cancel</Dialog.Close>
            <button
              type="button"
              className="bb-te-button"
              data-variant={props.danger === true ? 'danger' : 'primary'}
              disabled={props.busy === true}
              onClick={props.onConfirm}
            >
              {props.confirm}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

/** The frame of an admin component: the placeholder's size, theme, name, and the read-only note. @internal */
export function Frame(props: {
  prefix: string
  slot: string
  css: string
  label: string
  theme: 'light' | 'dark' | undefined
  className: string | undefined
  style: React.CSSProperties
  busy: boolean
  children: ReactNode
}) {
  return (
    <div
      className={['bb-root', 'bb-admin', props.prefix, props.className].filter(Boolean).join(' ')}
      data-theme={props.theme}
      data-slot={props.slot}
      style={props.style}
      role="region"
      aria-label={props.label}
      aria-busy={props.busy ? true : undefined}
    >
      <style href={`basebox-${props.slot}`} precedence="basebox">
        {props.css}
      </style>
      {props.children}
    </div>
  )
}
