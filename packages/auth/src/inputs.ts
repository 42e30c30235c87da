import { toValidationError } from '@basebox/core'
import { z } from 'zod'
import { normalizePassword } from './password/password-policy.js'

/** The longest email address accepted (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254

/**
 * An email address as auth stores and looks it up: trimmed and lowercased, so `Ada@Example.com`
 * and `ada@example.com` are one account.
 */
export const EmailSchema = z
  .string()
  .max(MAX_EMAIL_LENGTH + 64)
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.email().max(MAX_EMAIL_LENGTH))

/** A password: checked and NFKC-normalized by {@link normalizePassword} before any hashing. */
export const PasswordSchema = z.string().transform((value, ctx) => {
  try {
    return normalizePassword(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
    return z.NEVER
  }
})

const ProfileFields = {
  full_name: z.string().max(200).nullable().optional(),
  avatar_url: z.string().max(2048).nullable().optional(),
}

/** The most bytes user metadata takes as JSON, and the most levels it nests. */
export const MAX_USER_METADATA_BYTES = 16_384
export const MAX_USER_METADATA_DEPTH = 8

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object' || limit < 0) {
    return 0
  }
  let deepest = 0
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, limit - 1))
    if (deepest > limit) {
      break
    }
  }
  return deepest + 1
}

/**
 * GoTrue's `user_metadata`: any JSON object the user writes (`signUp({ options: { data } })`,
 * `updateUser({ data })`), at most {@link MAX_USER_METADATA_BYTES} as JSON. It is the user's
 * own data: it never becomes a claim of the access token or a role; `full_name` and
 * `avatar_url` are kept in the `users` table's columns.
 */
export const UserMetadataSchema = z
  .record(z.string().min(1).max(100), z.unknown())
  .superRefine((value, ctx) => {
    if (new TextEncoder().encode(JSON.stringify(value)).length > MAX_USER_METADATA_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `user metadata is at most ${MAX_USER_METADATA_BYTES} bytes as JSON`,
      })
    } else if (depthOf(value, MAX_USER_METADATA_DEPTH) > MAX_USER_METADATA_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        message: `user metadata nests at most ${MAX_USER_METADATA_DEPTH} levels`,
      })
    }
  })

/** Input of `signUp`. */
export const SignUpInputSchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    ...ProfileFields,
    user_metadata: UserMetadataSchema.optional(),
  })
  .strict()
/** See {@link SignUpInputSchema}. */
export type SignUpInput = z.input<typeof SignUpInputSchema>

/** An IP address or other client identifier given by the host, for throttling. */
const ClientIPSchema = z.string().min(1).max(100).optional()

/** Input of `signIn`. */
export const SignInInputSchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    /** The client's IP address, for per-address throttling. Give it whenever you know it. */
    ip: ClientIPSchema,
    /** The client's user agent, kept with the session. */
    user_agent: z.string().max(500).optional(),
  })
  .strict()
/** See {@link SignInInputSchema}. */
export type SignInInput = z.input<typeof SignInInputSchema>

/** Input of `updateUser`: the profile fields of the `users` table, and user metadata. */
export const UpdateUserInputSchema = z
  .object({
    ...ProfileFields,
    /** Merged into the stored keys; a key set to `null` is removed. */
    user_metadata: UserMetadataSchema.optional(),
  })
  .strict()

/**
 * Splits metadata into the `users` table's profile columns (`full_name`, `avatar_url`, checked
 * as those fields are) and the other keys. @internal
 */
export function splitUserMetadata(metadata: Record<string, unknown> | undefined): {
  profile: { full_name?: string | null; avatar_url?: string | null }
  rest: Record<string, unknown>
} {
  const { full_name, avatar_url, ...rest } = metadata ?? {}
  const profile = parseInput(
    z.object(ProfileFields),
    {
      ...(full_name !== undefined ? { full_name } : {}),
      ...(avatar_url !== undefined ? { avatar_url } : {}),
    },
    'user metadata',
  )
  return { profile, rest }
}
/** See {@link UpdateUserInputSchema}. */
export type UpdateUserInput = z.input<typeof UpdateUserInputSchema>

/** Input of `setPassword`. */
export const SetPasswordInputSchema = z.object({ password: PasswordSchema }).strict()
/** See {@link SetPasswordInputSchema}. */
export type SetPasswordInput = z.input<typeof SetPasswordInputSchema>

/** Input of `changePassword`. */
export const ChangePasswordInputSchema = z
  .object({ current_password: PasswordSchema, new_password: PasswordSchema, ip: ClientIPSchema })
  .strict()
/** See {@link ChangePasswordInputSchema}. */
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>

/** Input of `completePasswordReset`. */
export const CompletePasswordResetInputSchema = z
  .object({
    token: z.string().max(100),
    new_password: PasswordSchema,
    ip: ClientIPSchema,
    user_agent: z.string().max(500).optional(),
  })
  .strict()
/** See {@link CompletePasswordResetInputSchema}. */
export type CompletePasswordResetInput = z.input<typeof CompletePasswordResetInputSchema>

/** Input of `createAPIKey`. */
export const CreateAPIKeyInputSchema = z
  .object({ name: z.string().trim().min(1).max(100), kind: z.enum(['anon', 'service']) })
  .strict()
/** See {@link CreateAPIKeyInputSchema}. */
export type CreateAPIKeyInput = z.input<typeof CreateAPIKeyInputSchema>

/** Parses input with a schema; a `ValidationError` (`VALIDATION_FAILED`) listing every issue otherwise. @internal */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(input)
  if (!result.success) {
    throw toValidationError(`invalid ${what}`, result.error)
  }
  return result.data
}
