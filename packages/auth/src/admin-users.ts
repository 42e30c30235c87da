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

/** A user as the project's admin sees it: the {@link User}, and whether the admin disabled it. */
export interface AdminUser extends User {
  /** Whether the user is disabled: no sign-in, refresh or password reset until enabled again. */
  disabled: boolean
  /** When the user was disabled (ISO 8601), or `null`. */
  disabled_at: string | null
}

/** What {@link AdminUsers.sendPasswordReset} reports: where the token went, never the token. */
export interface SentPasswordReset {
  /** The address the `password_reset` email went to. */
  email: string
  /** When the token expires (ISO 8601). */
  expires_at: string
}

/** The columns {@link AdminUsers.list} sorts by. */
export const ADMIN_USER_ORDER_COLUMNS = ['created_at', 'updated_at', 'email', 'full_name'] as const

/** How the admin reaches the token mail of its {@link DatabaseAuth}. @internal */
export interface AdminMail {
  /** Issues a reset token for the user and hands it to `sendEmail`, awaited. */
  sendPasswordReset(userId: string, email: string): Promise<SentPasswordReset>
}

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
    /** `true` disables the user (every session ends, pending reset tokens are void); `false` enables it again. */
    disabled: z.boolean().optional(),
  })
  .strict()
/** See {@link AdminUpdateUserInputSchema}. */
export type AdminUpdateUserInput = z.input<typeof AdminUpdateUserInputSchema>

/** Options of {@link AdminUsers.list}. */
export interface AdminListUsersOptions {
  /** 1-based. Default is `1`. Ignored when `offset` is given. */
  page?: number
  /** Default is `50`, at most {@link MAX_USERS_PER_PAGE}. Ignored when `limit` is given. */
  perPage?: number
  /** Default is none. Keeps users whose email or full name contains this text, ignoring case (no wildcards). */
  search?: string
  /** Default is `created_at` ascending (oldest first); the user id breaks ties. */
  orderBy?: { column: (typeof ADMIN_USER_ORDER_COLUMNS)[number]; direction?: 'asc' | 'desc' }
  /** At most {@link MAX_USERS_PER_PAGE}; instead of `perPage`. */
  limit?: number
  /** Users to skip; instead of `page`. */
  offset?: number
}

const ListOptionsSchema = z
  .object({
    page: z.number().int().min(1).max(1_000_000).optional(),
    perPage: z.number().int().min(1).max(MAX_USERS_PER_PAGE).optional(),
    search: z.string().max(200).optional(),
    orderBy: z
      .object({
        column: z.enum(ADMIN_USER_ORDER_COLUMNS),
        direction: z.enum(['asc', 'desc']).optional(),
      })
      .strict()
      .optional(),
    limit: z.number().int().min(1).max(MAX_USERS_PER_PAGE).optional(),
    offset: z.number().int().min(0).max(1_000_000_000).optional(),
  })
  .strict()

// LIKE's wildcards and its escape character, taken literally.
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
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
  readonly #mail: AdminMail

  /** @internal */
  constructor(ctx: AuthContext, db: DatabaseHandle, store: AuthStore, mail: AdminMail) {
    this.#ctx = ctx
    this.#db = db
    this.#store = store
    this.#mail = mail
  }

  /**
   * One page of users with the number of users that match (`total`): oldest first by default,
   * by `page`/`perPage` (GoTrue's paging) or `limit`/`offset`, optionally searched by email or
   * full name. Never a password hash.
   */
  async list(options: AdminListUsersOptions = {}): Promise<{ users: AdminUser[]; total: number }> {
    const parsed = ListOptionsSchema.safeParse(options)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      const field = first?.path.join('.') || 'options'
      throw new BaseboxError(
        'VALIDATION_FAILED',
        `invalid ${field}: ${first?.message ?? 'bad value'}`,
      )
    }
    const { page = 1, perPage = 50, search, orderBy, limit, offset } = parsed.data
    const take = limit ?? perPage
    const skip = offset ?? (page - 1) * perPage
    const text = search?.trim() ?? ''
    const where =
      text === ''
        ? {}
        : {
            or: [
              { email: { ilike: likePattern(text) } },
              { full_name: { ilike: likePattern(text) } },
            ],
          }
    const direction = orderBy?.direction ?? 'asc'
    const { rows, count } = await this.#db.select('users', {
      where,
      orderBy: [
        { column: orderBy?.column ?? 'created_at', direction },
        { column: 'id', direction },
      ],
      limit: take,
      offset: skip,
      count: 'exact',
    })
    return { users: await this.#toUsers(rows), total: count ?? rows.length }
  }

  /** One user; `NOT_FOUND` for an unknown id. */
  async get(id: string): Promise<AdminUser> {
    return (await this.#toUsers([await this.#row(id)]))[0]!
  }

  /**
   * Ends every session of a user (their refresh tokens stop working; access tokens already out
   * pass `verifyAccessToken` until they expire, as after any sign-out). Returns how many ended.
   * `NOT_FOUND` for an unknown id.
   */
  async revokeSessions(id: string): Promise<number> {
    const row = await this.#row(id)
    return this.#store.revokeSessions(String(row.id), 'all', 'admin_revoked', this.#ctx.now())
  }

  /**
   * Issues a password reset token for a user and hands it to auth's `sendEmail` (a
   * `password_reset` email, as `requestPasswordReset` sends), waiting for it; the token is never
   * returned. `UNSUPPORTED` without `sendEmail`, `FORBIDDEN` for a disabled user,
   * `LIMIT_EXCEEDED` past the per-address email limit, `NOT_FOUND` for an unknown id.
   */
  async sendPasswordReset(id: string): Promise<SentPasswordReset> {
    const row = await this.#row(id)
    if (this.#ctx.sendEmail === undefined) {
      throw new BaseboxError(
        'UNSUPPORTED',
        'no email is configured: pass sendEmail to createAuth',
        {
          details: { reason: 'no_mailer' },
        },
      )
    }
    if (await this.#store.isDisabled(String(row.id))) {
      throw new BaseboxError('FORBIDDEN', 'the user is disabled', {
        details: { reason: 'user_disabled' },
      })
    }
    return this.#mail.sendPasswordReset(String(row.id), String(row.email))
  }

  /** Creates a user; `CONFLICT` when the email has an account. */
  async create(input: AdminCreateUserInput): Promise<AdminUser> {
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
  async update(id: string, input: AdminUpdateUserInput): Promise<AdminUser> {
    const row = await this.#row(id)
    const { email, password, email_confirm, user_metadata, disabled } = parseInput(
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
    if (disabled !== undefined) {
      await this.#store.setDisabled(String(row.id), disabled, now)
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

  async #toUsers(rows: Row[]): Promise<AdminUser[]> {
    const ids = rows.map((r) => String(r.id))
    const metadata = await this.#store.metadata(ids)
    const disabled = await this.#store.disabledAt(ids)
    const verifications = await Promise.all(ids.map((id) => this.#store.verification(id)))
    return rows.map((row, i) => {
      const at = disabled.get(ids[i]!)
      return {
        ...toUser(row, verifications[i], metadata.get(ids[i]!)),
        disabled: at !== undefined,
        disabled_at: at === undefined ? null : at.toISOString(),
      }
    })
  }
}
