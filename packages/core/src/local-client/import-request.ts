import { BaseboxError, type TableDefinitionInput } from '@basebox/client'
import type { z } from 'zod'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { TransferProgress } from '../transfer/export-format.js'
import type { CSVImportResult } from '../transfer/import-csv.js'
import { importDatabase } from '../transfer/import-database.js'
import type { DatabaseImportResult } from '../transfer/import-tables.js'
import type { MANAGEMENT_REQUEST_SCHEMAS } from './check-arguments.js'

/** A checked import request of the management API (`POST /api/database/:id/import`). */
export type ImportRequest = z.output<(typeof MANAGEMENT_REQUEST_SCHEMAS)['importDatabase']>

/**
 * Runs an import request as the management API and the local client both do: JSON and SQL all
 * or nothing (`dryRun` checks and plans, writing nothing); CSV into one table, with `preview`
 * (the first rows and the rejected ones, writing nothing). A CSV `dryRun` is refused rather than
 * ignored: a CSV import previews with `preview`. `run` cancels the import and follows its
 * progress (see `DatabaseImportOptions`). @internal
 */
export async function importFromRequest(
  db: DatabaseHandle,
  input: ImportRequest,
  run: {
    signal?: AbortSignal | undefined
    onProgress?: ((progress: TransferProgress) => void) | undefined
  } = {},
): Promise<DatabaseImportResult | CSVImportResult> {
  const options = input.options ?? {}
  const { dryRun, includeSecrets, definition, ...csvOptions } = options
  const shared = {
    ...(includeSecrets === true ? { includeSecrets: true } : {}),
    ...(dryRun === true ? { dryRun: true } : {}),
    ...(run.signal === undefined ? {} : { signal: run.signal }),
    ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
  }
  if (input.format === 'csv') {
    if (typeof input.data !== 'string' || options.table === undefined) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'a CSV import needs the CSV text in data and a table in options',
      )
    }
    if (dryRun === true) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'a CSV import has no dryRun: preview it with preview (the first rows, writing nothing)',
      )
    }
    return importDatabase(db, input.data, {
      ...csvOptions,
      ...(includeSecrets === true ? { includeSecrets: true } : {}),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
      ...(definition === undefined
        ? {}
        : { definition: definition as Omit<TableDefinitionInput, 'name'> }),
      format: 'csv',
      table: options.table,
    })
  }
  const unused = Object.keys(csvOptions).filter(
    (key) => csvOptions[key as keyof typeof csvOptions] !== undefined,
  )
  if (unused.length > 0 || definition !== undefined) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `${[...unused, ...(definition === undefined ? [] : ['definition'])].join(', ')}: CSV import options only`,
    )
  }
  if (input.format === 'sql') {
    if (typeof input.data !== 'string') {
      throw new BaseboxError('VALIDATION_FAILED', 'an SQL import takes the script as a string')
    }
    return importDatabase(db, input.data, { format: 'sql', ...shared })
  }
  return importDatabase(db, input.data as string, { format: 'json', ...shared })
}
