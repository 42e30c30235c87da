/**
 * Named prepared statements, per connection, for the drivers' atomic batches.
 *
 * The engine sends the same few statements over and over (the enter statement of every record
 * operation, a select of each shape it has cached). Sent unnamed, Postgres parses, analyses and
 * plans each of them every time, which for a read by primary key is most of its work. Sent once
 * with a name (Parse), later runs only Bind and Execute the name: no parsing, and once Postgres
 * settles on a generic plan (after five runs, when it is no worse), no planning. The columns a
 * statement returns are described once, with its first run, and reused.
 *
 * Postgres keeps a prepared statement correct by itself: it re-plans when a table it uses is
 * altered, or when the role or `search_path` differ from the last run. What it refuses is a
 * plan whose columns changed (`cached plan must not change result type`), and a name that is
 * gone (another user of the connection ran `DISCARD ALL` or `DEALLOCATE`); a batch that fails
 * that way is retried once with fresh statements ({@link isStalePreparedStatement}). Nothing
 * committed: the batch is one implicit transaction.
 */

/** A column of a statement's result, as the wire protocol describes it. */
export interface ResultField {
  name: string
  dataTypeID: number
}

/** A statement prepared on one connection: its name and the columns it returns. */
export interface PreparedStatement {
  readonly name: string
  readonly fields: readonly ResultField[]
}

/** At most this many statements stay prepared per connection; the oldest are closed first. */
const MAX_PREPARED = 256

let counter = 0

/**
 * The statements prepared on one connection, by SQL text. A statement is recorded only once the
 * server has confirmed it (its first run completed), so a batch that fails half-way never
 * leaves a name behind that a later batch would count on. Names whose fate is unknown, and
 * names pushed out by newer ones, are closed with the next batch (closing a name that does not
 * exist is not an error).
 */
export class PreparedStatements {
  readonly #ready = new Map<string, PreparedStatement>()
  #closing: string[] = []

  /** The prepared statement for `sql`, when the server has confirmed one. */
  get(sql: string): PreparedStatement | undefined {
    return this.#ready.get(sql)
  }

  /** A name no other statement of this process uses. */
  newName(): string {
    counter = (counter + 1) % Number.MAX_SAFE_INTEGER
    return `basebox_${counter.toString(36)}`
  }

  /** Records `name` as prepared for `sql`, its first run having completed. */
  add(sql: string, name: string, fields: readonly ResultField[]): void {
    if (this.#ready.has(sql)) {
      // Another batch prepared the same statement meanwhile (both were written before either
      // completed): keep the first, close this one.
      this.#closing.push(name)
      return
    }
    this.#ready.set(sql, { name, fields })
    if (this.#ready.size > MAX_PREPARED) {
      const [oldest, statement] = this.#ready.entries().next().value!
      this.#ready.delete(oldest)
      this.#closing.push(statement.name)
    }
  }

  /** Closes `name` with the next batch (a Parse whose outcome is unknown). */
  close(name: string): void {
    this.#closing.push(name)
  }

  /** Forgets every statement: their names are closed with the next batch. */
  clear(): void {
    for (const statement of this.#ready.values()) {
      this.#closing.push(statement.name)
    }
    this.#ready.clear()
  }

  /**
   * Records, after statement `sql` of a batch completed, what it ran: a name it was prepared
   * under (its first run) is now confirmed.
   */
  completed(sql: string, ran: PreparedStatement | string, fields: readonly ResultField[]): void {
    if (typeof ran === 'string') {
      this.add(sql, ran, fields)
    }
  }

  /**
   * After the statement at `failed` of a batch raised `error`: the names of that statement and
   * the ones after it (skipped) may or may not have been prepared, so they are closed with the
   * next batch. Returns whether the batch failed only because a prepared statement went stale
   * (then every statement is forgotten, and the batch may be sent again).
   */
  failed(ran: readonly (PreparedStatement | string)[], failed: number, error: unknown): boolean {
    for (let i = failed; i < ran.length; i++) {
      const name = ran[i]
      if (typeof name === 'string') {
        this.close(name)
      }
    }
    if (typeof ran[failed] === 'object' && isStalePreparedStatement(error)) {
      this.clear()
      return true
    }
    return false
  }

  /** The names to close before the next batch's statements, and forgets them. */
  takeClosing(): string[] {
    if (this.#closing.length === 0) {
      return this.#closing
    }
    const names = this.#closing
    this.#closing = []
    return names
  }

  /** How many statements are prepared (for tests). */
  get size(): number {
    return this.#ready.size
  }
}

/** A batch that failed only because a prepared statement went stale: nothing committed, send it again. */
export class StalePreparedStatement extends Error {}

/** Runs `send`, and once more when it fails with {@link StalePreparedStatement}. */
export async function retryingStale<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (error instanceof StalePreparedStatement) {
      return send()
    }
    throw error
  }
}

const caches = new WeakMap<object, PreparedStatements>()

/** The prepared statements of `connection` (any object that stands for one session). */
export function preparedStatementsOf(connection: object): PreparedStatements {
  let cache = caches.get(connection)
  if (cache === undefined) {
    cache = new PreparedStatements()
    caches.set(connection, cache)
  }
  return cache
}

/**
 * Whether a statement that ran by name failed only because its prepared statement is no
 * longer usable: the name is gone (`26000`), or the columns it returns changed under it
 * (`0A000` raised by Postgres's `RevalidateCachedQuery`, "cached plan must not change result
 * type"). Read from the error's SQLSTATE and the server routine that raised it, never from its
 * message: the message is translated under a non-English `lc_messages`, and `0A000` (feature
 * not supported) is raised by many other routines.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, routine } = (error ?? {}) as { code?: unknown; routine?: unknown }
  return code === '26000' || (code === '0A000' && routine === 'RevalidateCachedQuery')
}
