import {
  BaseboxError,
  type CallOptions,
  type Filter,
  type FilteredRowsOptions,
  type InsertRowsOptions,
  type SelectQuery,
  type SelectResult,
  type UpsertRowsOptions,
} from '@basebox/client'
import type { Basebox } from '../basebox.js'
import type { RecordIdentity, RecordOperations } from '../records/record-operations.js'
import { checkInput, checkPathSegment } from './check-arguments.js'
import { abortable, guarded } from './guarded.js'
import type { LocalClientAuth } from './local-auth.js'

type Rows = Record<string, unknown> | Record<string, unknown>[]

/** Options of {@link createLocalDataClient}. */
export interface LocalDataClientOptions {
  /** End-user auth on the same engine: `await createAuth({ basebox: engine })` from `@basebox/auth`. */
  auth: LocalClientAuth
  /**
   * The end user's access token (`session.access_token` of a sign-in), checked on every call
   * as the data API checks `Authorization: Bearer`: an expired, tampered or foreign token is
   * `UNAUTHENTICATED`. `null` acts as the anonymous role (the data API with the anon key alone).
   */
  accessToken: string | null
}

/**
 * The rows of one project database as one of its app's end users reaches them: what the data API
 * (`/db/:databaseId/rest/v1/…`) does for a request with that user's access token, in the same
 * process. Every call runs as the database's client role under the tables' access rules
 * (row-level security), with the user's id in `auth_uid()`; a signed-in user's new rows get
 * their id in the table's owner column when the row names none. Rows an access rule hides are
 * not there (a read skips them, an update or delete changes none of them); a write an access
 * rule refuses is `FORBIDDEN`.
 */
export interface LocalDataClient {
  /** A page of rows the user may see. See `BaseboxClient.selectRows`. */
  selectRows<TRow = Record<string, unknown>>(
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>>
  /** Inserts one row or many, as the user; returns the stored rows (none with `returning: false`). */
  insertRows<TRow = Record<string, unknown>>(
    table: string,
    rows: Rows,
    options?: InsertRowsOptions,
  ): Promise<TRow[]>
  /** Inserts, or merges into (or keeps) the conflicting rows, as the user. */
  upsertRows<TRow = Record<string, unknown>>(
    table: string,
    rows: Rows,
    options?: UpsertRowsOptions,
  ): Promise<TRow[]>
  /** Updates the rows matching `where` that the user may change; returns them (maybe none). */
  updateRows<TRow = Record<string, unknown>>(
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]>
  /** Deletes the rows matching `where` that the user may delete; returns them (maybe none). */
  deleteRows<TRow = Record<string, unknown>>(
    table: string,
    where: Filter,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]>
}

class LocalData implements LocalDataClient {
  readonly #engine: Basebox
  readonly #databaseId: string
  readonly #auth: LocalClientAuth
  readonly #token: string | null

  constructor(engine: Basebox, databaseId: string, options: LocalDataClientOptions) {
    if (typeof options?.auth?.forDatabase !== 'function') {
      throw new BaseboxError(
        'UNSUPPORTED',
        'the data of end users needs end-user auth: pass auth to createLocalDataClient',
      )
    }
    if (options.accessToken !== null && typeof options.accessToken !== 'string') {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'accessToken is an access token (a string) or null',
      )
    }
    this.#engine = engine
    this.#databaseId = databaseId
    this.#auth = options.auth
    this.#token = options.accessToken
  }

  // As the server's data API, per call: the database (NOT_FOUND once deleted), then the token.
  async #records(): Promise<RecordOperations> {
    const db = await this.#engine.databaseById(checkPathSegment(this.#databaseId, 'databaseId'))
    let identity: RecordIdentity = { role: 'anon' }
    if (this.#token !== null) {
      const claims = await this.#auth.forDatabase(db).verifyAccessToken(this.#token)
      identity = { role: 'authenticated', userId: claims.sub }
    }
    return db.as(identity)
  }

  selectRows<TRow = Record<string, unknown>>(
    table: string,
    query?: SelectQuery,
    options?: CallOptions,
  ): Promise<SelectResult<TRow>> {
    return abortable(options?.signal, async () => {
      const checked = checkInput('queryRecords', { table, query })
      return (await (
        await this.#records()
      ).select(checked.table, checked.query ?? {})) as SelectResult<TRow>
    })
  }

  insertRows<TRow = Record<string, unknown>>(
    table: string,
    rows: Rows,
    options?: InsertRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const {
        table: name,
        rows: checked,
        ...given
      } = checkInput('insertRecords', {
        table,
        rows,
        ...(options?.returning === undefined ? {} : { returning: options.returning }),
      })
      return (await (await this.#records()).insert(name, checked, given)) as TRow[]
    })
  }

  upsertRows<TRow = Record<string, unknown>>(
    table: string,
    rows: Rows,
    options?: UpsertRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const {
        table: name,
        rows: checked,
        ...given
      } = checkInput('upsertRecords', {
        table,
        rows,
        ...(options?.onConflict === undefined ? {} : { onConflict: options.onConflict }),
        ...(options?.resolution === undefined ? {} : { resolution: options.resolution }),
      })
      return (await (await this.#records()).upsert(name, checked, given)) as TRow[]
    })
  }

  updateRows<TRow = Record<string, unknown>>(
    table: string,
    where: Filter,
    patch: Record<string, unknown>,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const checked = checkInput('updateRecords', { table, where, patch, all: options?.all })
      return (await (
        await this.#records()
      ).update(checked.table, checked.where as Filter, checked.patch, {
        all: checked.all ?? false,
      })) as TRow[]
    })
  }

  deleteRows<TRow = Record<string, unknown>>(
    table: string,
    where: Filter,
    options?: FilteredRowsOptions,
  ): Promise<TRow[]> {
    return guarded(async () => {
      const checked = checkInput('deleteRecords', { table, where, all: options?.all })
      return (await (
        await this.#records()
      ).delete(checked.table, checked.where as Filter, { all: checked.all ?? false })) as TRow[]
    })
  }
}

/**
 * Creates a {@link LocalDataClient}: one database's rows for one end user, over the engine in
 * the same process, with the semantics of the server's data API for that user's access token
 * (the browser-only mode's app side, as {@link createLocalClient} is its management side). The
 * host gives the database id (a server finds it from the URL; there is no API key in-process).
 * Each call checks its arguments, finds the database, checks the token, then runs as the user;
 * errors are `BaseboxError`s, anything else becomes `INTERNAL`.
 *
 * ### Examples
 *
 * ```ts
 * import { createAuth } from '@basebox/auth'
 * import { createLocalDataClient } from '@basebox/core'
 *
 * const auth = await createAuth({ basebox: engine })
 * const users = auth.forDatabase(await engine.databaseById(databaseId))
 * await users.signUp({ email: 'ada@example.com', password: 'correct horse battery staple' })
 * const session = await users.signIn({ email: 'ada@example.com', password: 'correct horse battery staple' })
 * const data = createLocalDataClient(engine, databaseId, { auth, accessToken: session.access_token })
 * await data.insertRows('notes', { body: 'mine' }) // owner column filled with the user's id
 * const { rows } = await data.selectRows('notes') // only the rows the access rules show this user
 * ```
 */
export function createLocalDataClient(
  engine: Basebox,
  databaseId: string,
  options: LocalDataClientOptions,
): LocalDataClient {
  return new LocalData(engine, databaseId, options)
}
