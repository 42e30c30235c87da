'use client'
// The import under way: how far it is (a progress bar and its words) and a Cancel button, in one
// row as tall as the buttons it replaces, its text in a reserved width, so nothing moves as the
// numbers change.
import type { ImportProgress } from '@basebox/client'
import { useEffect, useRef } from 'react'
import { formatBytes } from './transfer-files.js'

/** The bar's value in percent, or `undefined` while how far is unknown (an indeterminate bar). */
export function progressPercent(progress: ImportProgress | undefined): number | undefined {
  if (progress === undefined || progress.total <= 0) {
    return undefined
  }
  // The remote client knows only "sent" and "answered": its 0 means "under way", not "0 %".
  if (progress.unit === 'bytes' && progress.done < progress.total) {
    return undefined
  }
  return Math.min(100, Math.floor((progress.done / progress.total) * 100))
}

function progressText(progress: ImportProgress | undefined, cancelling: boolean): string {
  if (cancelling) {
    return 'Cancelling: rolling the import back…'
  }
  if (progress === undefined) {
    return 'Importing…'
  }
  if (progress.unit === 'bytes') {
    return progress.done < progress.total
      ? `Sending ${formatBytes(progress.total)}; the server imports it…`
      : `Sent ${formatBytes(progress.total)}`
  }
  return `${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} rows written`
}

export function ImportProgressRow({
  progress,
  cancelling,
  onCancel,
}: {
  progress: ImportProgress | undefined
  cancelling: boolean
  onCancel: () => void
}) {
  const cancel = useRef<HTMLButtonElement>(null)
  // The Import button this row replaces had the focus: Cancel takes it, so Enter or Space cancels.
  useEffect(() => cancel.current?.focus(), [])
  const percent = progressPercent(progress)
  const text = progressText(progress, cancelling)
  return (
    <div className="bb-dt-actions bb-dt-importing" data-slot="import-progress">
      <div
        className="bb-dt-bar"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
        data-state={percent === undefined ? 'indeterminate' : 'determinate'}
      >
        <span
          className="bb-dt-bar-fill"
          style={percent === undefined ? undefined : { width: `${percent}%` }}
        />
      </div>
      <span className="bb-dt-bar-text" data-slot="import-progress-text">
        {text}
      </span>
      <button
        ref={cancel}
        type="button"
        className="bb-te-button"
        aria-disabled={cancelling ? true : undefined}
        onClick={() => !cancelling && onCancel()}
      >
        Cancel import
      </button>
    </div>
  )
}
