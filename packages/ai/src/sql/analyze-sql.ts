/** One lexical token of SQL text. @internal */
export interface SQLToken {
  kind: 'word' | 'quoted_identifier' | 'string' | 'number' | 'parameter' | 'symbol'
  /** Words lower-cased; quoted identifiers unquoted; strings as written. */
  text: string
  /** Parenthesis depth at the token. */
  depth: number
  /** Offset of the token's first character in the text. */
  start: number
  /** Offset after the token's last character. */
  end: number
}

/** What kind of statement a piece of SQL is. */
export type SQLStatementKind = 'read' | 'write' | 'other'

/** What {@link analyzeSQL} finds in SQL text, before Postgres sees it. */
export interface SQLAnalysis {
  /** The statement alone: without comments or semicolons before or after it. */
  sql: string
  /** `read` (SELECT, WITH, VALUES, TABLE), `write` (INSERT, UPDATE, DELETE, MERGE, or a read that locks or modifies in a CTE), `other` (everything else). */
  kind: SQLStatementKind
  /** Why the text cannot be used at all (more than one statement, unterminated quote), if so. */
  problem: string | undefined
  /** The tokens of the statement. */
  tokens: SQLToken[]
}

const WRITE_WORDS = new Set(['insert', 'update', 'delete', 'merge'])
const READ_STARTS = new Set(['select', 'with', 'values', 'table'])

/**
 * Splits SQL into tokens the way Postgres' lexer does for what matters here: comments (nested
 * block comments too), string literals ('', E'', dollar-quoted), quoted identifiers, words,
 * numbers, `$1` parameters and symbols. Returns the problem for an unterminated quote or comment.
 * @internal
 */
export function tokenizeSQL(text: string): { tokens: SQLToken[]; problem: string | undefined } {
  const tokens: SQLToken[] = []
  let depth = 0
  let i = 0
  const push = (kind: SQLToken['kind'], value: string, start: number, end: number) => {
    tokens.push({ kind, text: value, depth, start, end })
  }
  const n = text.length
  while (i < n) {
    const c = text[i]!
    const next = text[i + 1]
    if (/\s/.test(c)) {
      i += 1
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i)
      i = end === -1 ? n : end + 1
    } else if (c === '/' && next === '*') {
      let level = 1
      i += 2
      while (i < n && level > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          level += 1
          i += 2
        } else if (text[i] === '*' && text[i + 1] === '/') {
          level -= 1
          i += 2
        } else {
          i += 1
        }
      }
      if (level > 0) {
        return { tokens, problem: 'unterminated comment' }
      }
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'")) {
      const escapes = c !== "'"
      let j = escapes ? i + 2 : i + 1
      let closed = false
      while (j < n) {
        if (escapes && text[j] === '\\') {
          j += 2
        } else if (text[j] === "'" && text[j + 1] === "'") {
          j += 2
        } else if (text[j] === "'") {
          closed = true
          break
        } else {
          j += 1
        }
      }
      if (!closed) {
        return { tokens, problem: 'unterminated string literal' }
      }
      push('string', text.slice(i, j + 1), i, j + 1)
      i = j + 1
    } else if (c === '"') {
      let j = i + 1
      let name = ''
      while (j < n && !(text[j] === '"' && text[j + 1] !== '"')) {
        name += text[j]
        j += text[j] === '"' ? 2 : 1
      }
      if (j >= n) {
        return { tokens, problem: 'unterminated quoted identifier' }
      }
      push('quoted_identifier', name, i, j + 1)
      i = j + 1
    } else if (c === '$' && /[0-9]/.test(next ?? '')) {
      const match = /^\$[0-9]+/.exec(text.slice(i))!
      push('parameter', match[0], i, i + match[0].length)
      i += match[0].length
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i))
      if (tag === null) {
        push('symbol', c, i, i + 1)
        i += 1
        continue
      }
      const end = text.indexOf(tag[0], i + tag[0].length)
      if (end === -1) {
        return { tokens, problem: 'unterminated dollar-quoted string' }
      }
      push('string', text.slice(i, end + tag[0].length), i, end + tag[0].length)
      i = end + tag[0].length
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i))!
      push('word', match[0].toLowerCase(), i, i + match[0].length)
      i += match[0].length
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (next ?? '') : c)) {
      const match = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!
      push('number', match[0], i, i + match[0].length)
      i += match[0].length
    } else {
      if (c === ')') {
        depth -= 1
        if (depth < 0) {
          return { tokens, problem: 'unbalanced parentheses' }
        }
      }
      push('symbol', c, i, i + 1)
      if (c === '(') {
        depth += 1
      }
      i += 1
    }
  }
  return { tokens, problem: depth !== 0 ? 'unbalanced parentheses' : undefined }
}

function classify(tokens: readonly SQLToken[]): SQLStatementKind {
  const first = tokens.find((t) => !(t.kind === 'symbol' && t.text === '('))
  if (first === undefined || first.kind !== 'word') {
    return 'other'
  }
  if (WRITE_WORDS.has(first.text)) {
    return 'write'
  }
  if (!READ_STARTS.has(first.text)) {
    return 'other'
  }
  const words = tokens.filter((t) => t.kind === 'word')
  // SELECT ... INTO creates a table.
  if (first.text === 'select' && words.some((t) => t.text === 'into' && t.depth === first.depth)) {
    return 'other'
  }
  // A data-modifying CTE, or a read that locks rows (FOR UPDATE / FOR SHARE).
  const locks = words.some(
    (t, i) =>
      t.text === 'for' && ['update', 'share', 'no', 'key'].includes(words[i + 1]?.text ?? ''),
  )
  return locks || words.some((t) => WRITE_WORDS.has(t.text)) ? 'write' : 'read'
}

/**
 * Reads SQL text without running it: one statement or not, and its kind. A first line of
 * defence only; Postgres' own plan (see `SQLChecker`) has the last word on reads and writes.
 * @internal
 */
export function analyzeSQL(text: string): SQLAnalysis {
  const { tokens, problem } = tokenizeSQL(text)
  const sql = text
    .trim()
    .replace(/(;\s*)+$/, '')
    .trim()
  if (problem !== undefined) {
    return { sql, kind: 'other', problem, tokens }
  }
  const statements: SQLToken[][] = [[]]
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === ';') {
      statements.push([])
    } else {
      statements[statements.length - 1]!.push(token)
    }
  }
  const nonEmpty = statements.filter((s) => s.length > 0)
  if (nonEmpty.length === 0) {
    return { sql, kind: 'other', problem: 'the SQL is empty', tokens }
  }
  if (nonEmpty.length > 1) {
    return { sql, kind: 'other', problem: 'it holds more than one statement', tokens }
  }
  const statement = nonEmpty[0]!
  return {
    sql: text.slice(statement[0]!.start, statement[statement.length - 1]!.end),
    kind: classify(statement),
    problem: undefined,
    tokens: statement,
  }
}

/**
 * Whether a Postgres plan (the JSON of `EXPLAIN (FORMAT JSON)`) modifies data anywhere: a
 * `ModifyTable` node at any depth (a data-modifying CTE included).
 * @internal
 */
export function planModifiesData(plan: unknown, depth = 0): boolean {
  if (depth > 100 || plan === null || typeof plan !== 'object') {
    return false
  }
  if (Array.isArray(plan)) {
    return plan.some((item) => planModifiesData(item, depth + 1))
  }
  const node = plan as Record<string, unknown>
  if (node['Node Type'] === 'ModifyTable') {
    return true
  }
  return Object.values(node).some((value) => planModifiesData(value, depth + 1))
}
