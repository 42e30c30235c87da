import { BaseboxError, isBaseboxError, type DatabaseHandle, type Row } from '@basebox/core'
import { z } from 'zod'
import type { AuthContext } from './create-auth.js'
import {
  EmailSchema,
  parseInput,
  PasswordSchema,
  splitUserMetadata,
  UserMetadataSchema,
} from './inputs.js'
import type { AuthStore } from './storage/auth-store.js'
import { toUser, type User } from './user.js'

/** The most users one page of {@link AdminUsers.list} holds. */
export const MAX_USERS_PER_PAGE = 1000

const UserIdSchema = z.uuid()

/** Input of {@link AdminUsers.create}. */
export const AdminCreateUserInputSchema = z
  .object({
    email: EmailSchema,
    /** Without one, the user cannot sign in until a password is set (by reset or an update). */
    password: PasswordSchema.optional(),
    /** Whether the email counts as verified at once. Default is `false`. */
    email_confirm: z.boolean().optional(),
    user_metadata: UserMetadataSchema.optional(),
  })
  .strict()
/** See {@link AdminCreateUserInputSchema}. */
export type AdminCreateUserInput = z.input<typeof AdminCreateUserInputSchema>

/** Input of {@link AdminUsers.update}. */
export const AdminUpdateUserInputSchema = z
  .object({
    email: EmailSchema.optional(),
    password: PasswordSchema.optional(),
    email_confirm: z.boolean().optional(),
    /** Merged into the stored keys; a key set to `null` is removed. */
    user_metadata: UserMetadataSchema.optional(),
  })
  .strict()
/** See {@link AdminUpdateUserInputSchema}. */
export type AdminUpdateUserInput = z.input<typeof AdminUpdateUserInputSchema>

/** Options of {@link AdminUsers.list}. */
export interface AdminListUsersOptions {
  /** 1-based. Default is `1`. */
  page?: number
  /** Default is `50`, at most {@link MAX_USERS_PER_PAGE}. */
  perPage?: number
}

/**
 * The users of one project database as its service access manages them (GoTrue's
 * `auth.admin`): list, get, create, update, delete. Nothing here checks who calls: the server
 * only reaches it with the project's service key. Get it as `auth.forDatabase(db).admin`.
 */
export class AdminUsers {
  readonly #ctx: AuthContext
  readonly #db: DatabaseHandle
  readonly #store: AuthStore

  /** @internal */
  constructor(ctx: AuthContext, db: DatabaseHandle, store: AuthStore) {
    this.#ctx = ctx
    this.#db = db
    this.#store = store
  }

  /** One page of users, oldest first, with the total number of users. */
  async list(options: AdminListUsersOptions = {}): Promise<{ users: User[]; total: number }> {
    const page = options.page ?? 1
    const perPage = options.perPage ?? 50
    if (!Number.isInteger(page) || page < 1 || page > 1_000_000) {
      throw new BaseboxError('VALIDATION_FAILED', 'page must be a whole number from 1')
    }
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_USERS_PER_PAGE) {
      throw new BaseboxError('VALIDATION_FAILED', `perPage must be from 1 to ${MAX_USERS_PER_PAGE}`)
    }
    const { rows, count } = await this.#db.select('users', {
      orderBy: [{ column: 'created_at' }, { column: 'id' }],
      limit: perPage,
      offset: (page - 1) * perPage,
      count: 'exact',
    })
    return { users: await this.#toUsers(rows), total: count ?? rows.length }
  }

  /** One user; `NOT_FOUND` for an unknown id. */
  async get(id: string): Promise<User> {
    return (await this.#toUsers([await this.#row(id)]))[0]!
  }

  /** Creates a user; `CONFLICT` when the email has an account. */
  async create(input: AdminCreateUserInput): Promise<User> {
    const { email, password, email_confirm, user_metadata } = parseInput(
      AdminCreateUserInputSchema,
      input,
      'user',
    )
    const metadata = splitUserMetadata(user_metadata)
    const password_hash = password === undefined ? undefined : await this.#ctx.hasher.hash(password)
    let row: Row | undefined
    try {
      ;[row] = await this.#db.insert(
        'users',
        { email, ...metadata.profile, ...(password_hash === undefined ? {} : { password_hash }) },
        { allowSecret: true },
      )
    } catch (error) {
      if (isBaseboxError(error) && error.code === 'CONFLICT') {
        throw new BaseboxError(
          'CONFLICT',
          'a user with this email address has already been registered',
          {
            details: { reason: 'email_exists' },
          },
        )
      }
      throw error
    }
    const id = String(row!.id)
    const now = this.#ctx.now()
    if (Object.keys(metadata.rest).length > 0) {
      await this.#store.writeMetadata(id, metadata.rest, now)
    }
    if (email_confirm === true) {
      await this.#store.markVerified(id, email, now)
    }
    return this.get(id)
  }

  /**
   * Changes a user: email, password (every session of the user ends), email confirmation, and
   * metadata (merged key by key). `NOT_FOUND` for an unknown id.
   */
  async update(id: string, input: AdminUpdateUserInput): Promise<User> {
    const row = await this.#row(id)
    const { email, password, email_confirm, user_metadata } = parseInput(
      AdminUpdateUserInputSchema,
      input,
      'user update',
    )
    const metadata = splitUserMetadata(user_metadata)
    const now = this.#ctx.now()
    const changes: Row = { ...metadata.profile }
    if (email !== undefined) {
      changes.email = email
    }
    if (password !== undefined) {
      changes.password_hash = await this.#ctx.hasher.hash(password)
      await this.#store.revokeSessions(String(row.id), 'all', 'password_change', now)
      await this.#store.voidOneTimeTokens(String(row.id), 'password_reset', now)
    }
    if (Object.keys(changes).length > 0) {
      await this.#db.update('users', { id: row.id }, changes, {
        allowSecret: true,
        returning: false,
      })
    }
    if (user_metadata !== undefined) {
      await this.#store.mergeMetadata(String(row.id), metadata.rest, now)
    }
    if (email_confirm === true) {
      await this.#store.markVerified(String(row.id), email ?? String(row.email), now)
    }
    return this.get(String(row.id))
  }

  /** Deletes a user: the `users` row goes, and every session, its metadata and verification. */
  async delete(id: string): Promise<void> {
    const row = await this.#row(id)
    await this.#db.delete('users', { id: row.id }, { returning: false })
    await this.#store.forgetUser(String(row.id), this.#ctx.now())
  }

  async #row(id: string): Promise<Row> {
    const parsed = UserIdSchema.safeParse(id)
    const { rows } = parsed.success
      ? await this.#db.select('users', { where: { id: parsed.data }, limit: 1 })
      : { rows: [] }
    if (rows[0] === undefined) {
      throw new BaseboxError('NOT_FOUND', 'user not found', {
        details: { reason: 'user_not_found' },
      })
    }
    return rows[0]
  }

  async #toUsers(rows: Row[]): Promise<User[]> {
    const ids = rows.map((r) => String(r.id))
    const metadata = await this.#store.metadata(ids)
    const verifications = await Promise.all(ids.map((id) => this.#store.verification(id)))
    return rows.map((row, i) => toUser(row, verifications[i], metadata.get(ids[i]!)))
  }
}
