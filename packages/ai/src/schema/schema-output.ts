import { Identifier, TableDefinition } from '@basebox/client'
import { jsonSchema, Output, type JSONSchema7 } from 'ai'
import { z } from 'zod'
import type { MergeMode, ProposalChanges } from './merge-proposal.js'
import type { RepairLog } from './repair-log.js'
import { isRecord } from './table-draft.js'

/**
 * What `generateSchema` asks the model for: table definitions in the public format of
 * `@basebox/client` (the same zod schema validates them), and a note for the user.
 */
export const SchemaProposal = z
  .object({
    tables: z
      .array(TableDefinition)
      .max(60)
      .describe('every table to create, and every existing table to extend with its new columns'),
    notes: z
      .string()
      .max(2000)
      .optional()
      .describe('one or two sentences for the user about the design'),
  })
  .strict()

/** What `refineSchema` asks the model for: changed tables in full, drops and renames. */
export const SchemaChangeProposal = z
  .object({
    tables: z
      .array(TableDefinition)
      .max(60)
      .describe('every table to create or change, in full; leave out tables that do not change'),
    drop_tables: z.array(Identifier).max(60).optional().describe('tables to drop'),
    rename_tables: z
      .array(z.object({ from: Identifier, to: Identifier }).strict())
      .max(60)
      .optional()
      .describe('tables to rename, keeping their rows'),
    rename_columns: z
      .array(z.object({ table: Identifier, from: Identifier, to: Identifier }).strict())
      .max(200)
      .optional()
      .describe(
        'columns to rename, keeping their values; "table" is the table name after any rename',
      ),
    notes: z
      .string()
      .max(2000)
      .optional()
      .describe('one or two sentences for the user about what changes'),
  })
  .strict()

function toJSONSchema(schema: z.ZodType): JSONSchema7 {
  return z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
  }) as JSONSchema7
}

/**
 * The structured output of a schema call: the JSON Schema of {@link SchemaProposal} (or
 * {@link SchemaChangeProposal}) is what the model is given, but any JSON is accepted back, so
 * that safe repairs can run before the real validation, and the problems can be sent back.
 * @internal
 */
export function proposalOutput(mode: MergeMode) {
  const schema = jsonSchema<unknown>(
    toJSONSchema(mode === 'extend' ? SchemaProposal : SchemaChangeProposal),
    {
      validate: (value) => ({ success: true, value }),
    },
  )
  return Output.object({
    schema,
    name: mode === 'extend' ? 'database_schema' : 'database_schema_change',
    description: 'Basebox table definitions',
  })
}

/** A model's output read leniently: the raw tables, the changes, and the notes. @internal */
export interface RawProposal {
  tables: unknown[]
  changes: ProposalChanges
  notes: string | undefined
}

function readPairs<K extends string>(
  value: unknown,
  keys: readonly K[],
  field: string,
  log: RepairLog,
): Record<K, string>[] {
  if (value === undefined || value === null) {
    return []
  }
  if (!Array.isArray(value)) {
    log.issue([field], `"${field}" must be a list`)
    return []
  }
  return value.filter((item): item is Record<K, string> => {
    const ok = isRecord(item) && keys.every((k) => typeof item[k] === 'string')
    if (!ok) {
      log.issue([field], `each entry of "${field}" needs ${keys.map((k) => `"${k}"`).join(', ')}`)
    }
    return ok
  })
}

/**
 * Reads a model's output without trusting it: an object with `tables` (a bare list of tables,
 * or an object wrapping one, is accepted and logged as a repair), optional changes, and notes.
 * @internal
 */
export function readProposal(raw: unknown, mode: MergeMode, log: RepairLog): RawProposal {
  let value = raw
  if (Array.isArray(value)) {
    log.repair('format', '', undefined, 'read a bare list of tables as { "tables": [...] }')
    value = { tables: value }
  } else if (isRecord(value) && !Array.isArray(value.tables)) {
    const inner = Object.values(value).find((v) => isRecord(v) && Array.isArray(v.tables))
    if (inner !== undefined) {
      log.repair('format', '', undefined, 'read the tables from a wrapping object')
      value = inner
    }
  }
  if (!isRecord(value) || !Array.isArray(value.tables)) {
    log.issue(['tables'], 'the answer must be a JSON object with a "tables" list')
    return {
      tables: [],
      changes: { dropTables: [], renameTables: [], renameColumns: [] },
      notes: undefined,
    }
  }
  const changes: ProposalChanges = {
    dropTables: readPairs(
      Array.isArray(value.drop_tables)
        ? value.drop_tables.map((name) => ({ name }))
        : value.drop_tables,
      ['name'],
      'drop_tables',
      log,
    ).map((d) => d.name),
    renameTables: readPairs(value.rename_tables, ['from', 'to'], 'rename_tables', log),
    renameColumns: readPairs(value.rename_columns, ['table', 'from', 'to'], 'rename_columns', log),
  }
  const asked =
    changes.dropTables.length + changes.renameTables.length + changes.renameColumns.length
  if (mode === 'extend' && asked > 0) {
    log.warn(
      'ignored the drops and renames in the answer: generating a schema only adds (use refineSchema to change)',
    )
    changes.dropTables = []
    changes.renameTables = []
    changes.renameColumns = []
  }
  const notes = typeof value.notes === 'string' ? value.notes.slice(0, 2000) : undefined
  return { tables: value.tables as unknown[], changes, notes }
}
