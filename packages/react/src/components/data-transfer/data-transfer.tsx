'use client'
// The public <DataTransfer>: a small wrapper that lazy-loads the export and import panel (a chunk
// of its own, with its stylesheet) behind a placeholder of the same size.
import type { CSVImportReport, DatabaseImportReport, TransferFormat } from '@basebox/client'
import { lazy } from 'react'
import { LazyPanel } from '../lazy-panel.js'

/** One file exported by {@link DataTransfer}, as `onExport` gets it. */
export interface DataTransferExport {
  format: TransferFormat
  /** The table exported; none for a whole-database JSON or SQL export. */
  table?: string
  /** E.g. `'basebox.json'` or `'posts.csv'`. */
  fileName: string
  blob: Blob
}

/** Props of {@link DataTransfer}. */
export interface DataTransferProps {
  /** The database exported and imported into. */
  databaseId: string
  /**
   * Default is `false`, or `true` when the client is a read-only owner (the tables'
   * `permissions`). Read-only exports and never imports.
   */
  readOnly?: boolean
  /** Called with each exported file after its download has started. Default is none. */
  onExport?: (file: DataTransferExport) => void
  /** Default is `true`. Whether Export downloads the file (set `false` to only get `onExport`). */
  download?: boolean
  /** The name of a whole-database export, without extension. Default is `'basebox'`. */
  fileName?: string
  /** Called with the engine's report after an import (not a dry run or preview). Default is none. */
  onImported?: (report: DatabaseImportReport | CSVImportReport) => void
  /** The component's height (CSS length or pixels). Default is the `--bb-data-transfer-height` token (560px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default is the host page's `data-theme`, else `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Default is `'Export and import'`. The accessible name of the component. */
  'aria-label'?: string
  className?: string
}

const DataTransferImpl = lazy(() => import('./data-transfer-impl.js'))

/**
 * Export and import of a database: a download as SQL, JSON or one table's CSV, and an import of
 * a JSON or SQL export (checked with the engine's dry run first) or of a CSV file (with the
 * engine's preview, an editable column mapping and the rejected rows with their reasons), run
 * only once confirmed. Large files show what is happening, their size, and a cancel.
 *
 * The component's code and styles are a lazy chunk; until they load a placeholder of the same
 * size is shown.
 *
 * ### Examples
 *
 * ```tsx
 * <DataTransfer databaseId={db.id} onImported={() => toast('Imported')} />
 * ```
 */
export function DataTransfer(props: DataTransferProps) {
  return (
    <LazyPanel
      Impl={DataTransferImpl}
      props={props}
      slot="data-transfer"
      label="Export and import"
      defaultHeight="var(--bb-data-transfer-height, 560px)"
    />
  )
}
