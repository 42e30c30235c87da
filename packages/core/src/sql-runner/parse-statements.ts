import { BaseboxError } from '@basebox/client'
import { loadSQLParser, SQLParseError, type SQLParser } from './sql-parser.js'

/** One statement of an SQL text as Postgres' own grammar sees it. */
export interface ParsedStatement {
  /** The statement's text, without the semicolon that ends it. */
  text: string
  /** Offset (in characters) of the statement in the whole text. */
  offset: number
  /** The parse node's type, e.g. `SelectStmt`, `InsertStmt`, `TransactionStmt`. */
  kind: string
  /** The command tag Postgres would report, when the driver does not (`SELECT`, `CREATE TABLE`...). */
  command: string
  /** Whether it is an INSERT, UPDATE or DELETE without a RETURNING clause (a dry run adds `returning *`). */
  writesWithoutReturning: boolean
}

// Each call is one transaction the engine owns, run as the database's role: statements that
// end or outlive that transaction, switch identity, or act on the whole server are refused by
// their parse node, before anything runs.
const REFUSED: Record<string, string> = {
  TransactionStmt:
    'transaction control cannot run here: each call runs in one transaction of its own',
  PrepareStmt: 'prepared statements cannot be used: each call runs on a session of its own',
  ExecuteStmt: 'prepared statements cannot be used: each call runs on a session of its own',
  DeallocateStmt: 'prepared statements cannot be used: each call runs on a session of its own',
  DeclareCursorStmt:
    'cursors cannot be used: each call returns whole results, capped by maxRows and maxBytes',
  FetchStmt:
    'cursors cannot be used: each call returns whole results, capped by maxRows and maxBytes',
  ClosePortalStmt:
    'cursors cannot be used: each call returns whole results, capped by maxRows and maxBytes',
  CopyStmt: 'COPY cannot run here: use select, insert or the import and export APIs',
  CreateRoleStmt: 'roles cannot be managed from SQL',
  AlterRoleStmt: 'roles cannot be managed from SQL',
  AlterRoleSetStmt: 'roles cannot be managed from SQL',
  DropRoleStmt: 'roles cannot be managed from SQL',
  GrantRoleStmt: 'roles cannot be managed from SQL',
  DropOwnedStmt: 'roles cannot be managed from SQL',
  ReassignOwnedStmt: 'roles cannot be managed from SQL',
  AlterSystemStmt: 'server settings cannot be changed from SQL',
  AlterDatabaseStmt: 'databases cannot be managed from SQL',
  AlterDatabaseSetStmt: 'databases cannot be managed from SQL',
  AlterDatabaseRefreshCollStmt: 'databases cannot be managed from SQL',
  CreatedbStmt: 'databases cannot be managed from SQL',
  DropdbStmt: 'databases cannot be managed from SQL',
  LoadStmt: 'libraries cannot be loaded from SQL',
  ListenStmt: 'notifications cannot be used: each call runs on a session of its own',
  UnlistenStmt: 'notifications cannot be used: each call runs on a session of its own',
  NotifyStmt: 'notifications cannot be used: each call runs on a session of its own',
  DiscardStmt: 'DISCARD cannot run here: the engine resets the session after each call',
  CheckPointStmt: 'CHECKPOINT acts on the whole server',
  VacuumStmt: 'VACUUM and ANALYZE cannot run inside a transaction block, and each call is one',
  CreateTableSpaceStmt: 'tablespaces cannot be managed from SQL',
  DropTableSpaceStmt: 'tablespaces cannot be managed from SQL',
  AlterTableSpaceOptionsStmt: 'tablespaces cannot be managed from SQL',
  CreateExtensionStmt: 'extensions cannot be managed from SQL',
  AlterExtensionStmt: 'extensions cannot be managed from SQL',
  AlterExtensionContentsStmt: 'extensions cannot be managed from SQL',
  CreateEventTrigStmt: 'event triggers cannot be managed from SQL',
  AlterEventTrigStmt: 'event triggers cannot be managed from SQL',
  CreateSubscriptionStmt: 'replication cannot be managed from SQL',
  AlterSubscriptionStmt: 'replication cannot be managed from SQL',
  DropSubscriptionStmt: 'replication cannot be managed from SQL',
  CreatePublicationStmt: 'replication cannot be managed from SQL',
  AlterPublicationStmt: 'replication cannot be managed from SQL',
  CreateFdwStmt: 'foreign data cannot be managed from SQL',
  AlterFdwStmt: 'foreign data cannot be managed from SQL',
  CreateForeignServerStmt: 'foreign data cannot be managed from SQL',
  AlterForeignServerStmt: 'foreign data cannot be managed from SQL',
  CreateUserMappingStmt: 'foreign data cannot be managed from SQL',
  AlterUserMappingStmt: 'foreign data cannot be managed from SQL',
  DropUserMappingStmt: 'foreign data cannot be managed from SQL',
  ImportForeignSchemaStmt: 'foreign data cannot be managed from SQL',
}

// Settings that are the session's identity: `SET ROLE`, `SET SESSION AUTHORIZATION`, their
// RESET forms, and the same names in a function's or a role's SET clause.
const IDENTITY_SETTINGS = new Set(['role', 'session_authorization'])

const TRANSACTION_KINDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
}

const COMMANDS: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  CreateStmt: 'CREATE TABLE',
  ViewStmt: 'CREATE VIEW',
  IndexStmt: 'CREATE INDEX',
  CreateFunctionStmt: 'CREATE FUNCTION',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  ExplainStmt: 'EXPLAIN',
  DropStmt: 'DROP',
  TruncateStmt: 'TRUNCATE',
  GrantStmt: 'GRANT',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  AlterTableStmt: 'ALTER TABLE',
  CreateTableAsStmt: 'CREATE TABLE AS',
  FetchStmt: 'FETCH',
}

function commandOf(kind: string, node: Record<string, unknown>): string {
  if (kind === 'TransactionStmt') {
    return TRANSACTION_KINDS[String(node.kind)] ?? 'TRANSACTION'
  }
  if (kind === 'FetchStmt' && node.ismove === true) {
    return 'MOVE'
  }
  return (
    COMMANDS[kind] ??
    kind
      .replace(/Stmt$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase()
  )
}

/** Why a parse node must not run, or `undefined`. */
function refusalOf(
  kind: string,
  node: Record<string, unknown>,
): { kind: string; command: string; reason: string } | undefined {
  const reason = REFUSED[kind]
  if (reason !== undefined) {
    return { kind, command: commandOf(kind, node), reason }
  }
  if (kind === 'VariableSetStmt' && IDENTITY_SETTINGS.has(String(node.name).toLowerCase())) {
    const name = String(node.name).toLowerCase() === 'role' ? 'ROLE' : 'SESSION AUTHORIZATION'
    return {
      kind,
      command: `${String(node.kind).startsWith('VAR_RESET') ? 'RESET' : 'SET'} ${name}`,
      reason: 'the session identity cannot be changed: SQL runs as the database role',
    }
  }
  return undefined
}

/**
 * The first refused node of a parse tree, searched depth first, so that a refused statement
 * inside another one (`EXPLAIN EXECUTE`, `CREATE TABLE AS EXECUTE`, a function's
 * `SET role` clause) is found too.
 */
function refusal(tree: unknown): { kind: string; command: string; reason: string } | undefined {
  // Iterative: a long `1 + 1 + ...` nests thousands of levels deep.
  const stack: unknown[] = [tree]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push(value[i])
      }
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
      for (const [key, child] of entries) {
        if (/^[A-Z]/.test(key) && child !== null && typeof child === 'object') {
          const found = refusalOf(key, child as Record<string, unknown>)
          if (found !== undefined) {
            return found
          }
        }
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push(entries[i]![1])
      }
    }
  }
  return undefined
}

/**
 * Maps UTF-8 byte offsets (what libpg_query reports) to string indexes. Identity for ASCII text.
 */
function byteIndexer(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) {
    return (byte) => Math.min(byte, text.length)
  }
  const starts: number[] = []
  const indexes: number[] = []
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!
    starts.push(bytes)
    indexes.push(i)
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
    if (code >= 0x10000) {
      i++
    }
  }
  starts.push(bytes)
  indexes.push(text.length)
  return (byte) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= byte) {
        low = mid
      } else {
        high = mid - 1
      }
    }
    return indexes[low]!
  }
}

// Postgres 18 parses RETURNING as `returningClause.exprs`; earlier grammars as `returningList`.
function hasReturning(node: {
  returningClause?: { exprs?: unknown[] }
  returningList?: unknown[]
}): boolean {
  return (node.returningClause?.exprs?.length ?? 0) > 0 || (node.returningList?.length ?? 0) > 0
}

/** The number of non-empty statements that end before character `position`, by the scanner. */
function statementAt(
  parser: SQLParser,
  text: string,
  charAt: (byte: number) => number,
  position: number,
): number | undefined {
  try {
    let index = 0
    let tokens = 0
    for (const token of parser.scan(text)) {
      if (charAt(token.start) >= position) {
        break
      }
      if (token.text === ';') {
        if (tokens > 0) {
          index++
        }
        tokens = 0
      } else if (!/COMMENT$/.test(token.tokenName)) {
        tokens++
      }
    }
    return index
  } catch {
    return undefined
  }
}

/**
 * Splits SQL text into statements with Postgres' own grammar (libpg_query), so comments, nested
 * comments, dollar quotes and escape strings are read exactly as the server reads them. Each
 * statement is checked before anything runs: transaction control, prepared statements, cursors,
 * COPY, role and session identity changes, and server-level statements are refused with an
 * `UNSUPPORTED` error whose `details.statement` is the statement's index. Text that does not
 * parse is a `VALIDATION_FAILED` error with the 1-based character `position` in `details`, as
 * Postgres' own syntax errors carry. Empty statements (`;;`, comments only) are dropped.
 */
export async function parseStatements(text: string): Promise<ParsedStatement[]> {
  const parser = await loadSQLParser()
  if (text.trim().length === 0) {
    return []
  }
  const charAt = byteIndexer(text)
  let tree: {
    stmts?: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[]
  }
  try {
    tree = parser.parse(text) as typeof tree
  } catch (error) {
    if (!(error instanceof SQLParseError)) {
      throw error
    }
    // Postgres reports the cursor position in characters (0-based here).
    const at = error.cursorPosition
    const statement = at === undefined ? undefined : statementAt(parser, text, charAt, at)
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `${statement === undefined ? '' : `statement ${statement + 1}: `}${error.message}`,
      {
        cause: error,
        details: {
          ...(statement === undefined ? {} : { statement }),
          ...(at === undefined ? {} : { position: at + 1 }),
        },
      },
    )
  }
  const out: ParsedStatement[] = []
  for (const raw of tree.stmts ?? []) {
    const [kind, node] = Object.entries(raw.stmt ?? {})[0] ?? ['', {}]
    const startByte = raw.stmt_location ?? 0
    const start = charAt(startByte)
    const end = raw.stmt_len ? charAt(startByte + raw.stmt_len) : text.length
    const slice = text.slice(start, end)
    const trimmed = slice.trimStart()
    const index = out.length
    const refused = refusal(raw.stmt)
    if (refused !== undefined) {
      const inside =
        refused.kind === kind ? '' : ` inside ${commandOf(kind, node as Record<string, unknown>)}`
      throw new BaseboxError(
        'UNSUPPORTED',
        `statement ${index + 1} (${refused.command}${inside}) is refused: ${refused.reason}`,
        { details: { statement: index, kind: refused.kind } },
      )
    }
    out.push({
      text: trimmed.trimEnd(),
      offset: start + slice.length - trimmed.length,
      kind,
      command: commandOf(kind, node as Record<string, unknown>),
      writesWithoutReturning:
        (kind === 'InsertStmt' || kind === 'UpdateStmt' || kind === 'DeleteStmt') &&
        !hasReturning(
          node as { returningClause?: { exprs?: unknown[] }; returningList?: unknown[] },
        ),
    })
  }
  return out
}
