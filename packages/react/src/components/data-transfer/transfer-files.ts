// What the DataTransfer panels share: file names and types of the formats, sizes in words, and
// error text. Part of the lazy chunk.
import { isBaseboxError, type TransferFormat } from '@basebox/client'

/** The media type of each format's file. @internal */
export const MIME_TYPES: Record<TransferFormat, string> = {
  json: 'application/json',
  sql: 'application/sql',
  csv: 'text/csv',
}

/** The format of a file from its name (`.json`, `.sql`, `.csv`, `.tsv`), else `undefined`. @internal */
export function formatOfFile(name: string): TransferFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase()
  return extension === 'json' || extension === 'sql' || extension === 'csv'
    ? extension
    : extension === 'tsv'
      ? 'csv'
      : undefined
}

/** A file size in words: `'512 B'`, `'1.5 kB'`, `'2.3 MB'`. @internal */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`
  }
  const units = ['kB', 'MB', 'GB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** An error as one line: `CODE: message` for a `BaseboxError`. @internal */
export function errorText(error: unknown): string {
  return isBaseboxError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error)
}

/** Whether `error` is the rejection of an aborted call. @internal */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

/** Starts the download of `blob` as `name` through a temporary link. @internal */
export function downloadBlob(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
