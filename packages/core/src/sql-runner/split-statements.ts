import { BaseboxError } from '@basebox/client'

/** One statement of an SQL text, with where it starts. */
export interface SplitStatement {
  /** The statement's text, without the trailing semicolon. */
  text: string
  /** Offset of the statement in the whole text. */
  offset: number
  /** The statement's first key word, upper-cased (`SELECT`, `WITH`, `CREATE`...). */
  keyword: string
}

/**
 * Splits SQL text into statements at top-level semicolons, the way Postgres' own lexer sees
 * them: semicolons inside '…', E'…', "…", $tag$…$tag$ strings, -- and nested /* *\/ comments do
 * not split. Empty statements are dropped. Unterminated strings or comments are an error.
 *
 * A lexical helper for trusted scripts (a dump to replay, one statement to wrap): it is not what
 * decides what user SQL may run. `db.sql()` splits and checks statements with Postgres' own
 * grammar instead (see `parseStatements`).
 */
export function splitStatements(sql: string): SplitStatement[] {
  const out: SplitStatement[] = []
  let start = 0
  let i = 0
  const push = (end: number) => {
    const raw = sql.slice(start, end)
    const text = raw.trim()
    if (text.length > 0 && stripComments(text).trim().length > 0) {
      out.push({ text, offset: start + raw.indexOf(text), keyword: firstKeyword(text) })
    }
  }
  const unterminated = (what: string) =>
    new BaseboxError('VALIDATION_FAILED', `unterminated ${what} in SQL`, {
      details: { position: i + 1 },
    })
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end + 1
    } else if (c === '/' && next === '*') {
      let depth = 1
      i += 2
      while (depth > 0) {
        if (i >= sql.length) {
          throw unterminated('comment')
        }
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++
          i += 2
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--
          i += 2
        } else {
          i++
        }
      }
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !/[\w$]/.test(sql[i - 2]!))
      i++
      for (;;) {
        if (i >= sql.length) {
          throw unterminated('string')
        }
        if (escapes && sql[i] === '\\') {
          i += 2
        } else if (sql[i] === "'" && sql[i + 1] === "'") {
          i += 2
        } else if (sql[i] === "'") {
          i++
          break
        } else {
          i++
        }
      }
    } else if (c === '"') {
      i++
      for (;;) {
        if (i >= sql.length) {
          throw unterminated('quoted identifier')
        }
        if (sql[i] === '"' && sql[i + 1] === '"') {
          i += 2
        } else if (sql[i] === '"') {
          i++
          break
        } else {
          i++
        }
      }
    } else if (c === '$' && (i === 0 || !/[\w$]/.test(sql[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))
      if (tag === null) {
        i++
        continue
      }
      const end = sql.indexOf(tag[0], i + tag[0].length)
      if (end === -1) {
        throw unterminated('dollar-quoted string')
      }
      i = end + tag[0].length
    } else if (c === ';') {
      push(i)
      i++
      start = i
    } else {
      i++
    }
  }
  push(sql.length)
  return out
}

function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '')
}

function firstKeyword(text: string): string {
  const match = /^[\s(]*([A-Za-z]+)/.exec(stripComments(text))
  return match ? match[1]!.toUpperCase() : ''
}
