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

/** Input of `signUp`. */
export const SignUpInputSchema = z
  .object({ email: EmailSchema, password: PasswordSchema, ...ProfileFields })
  .strict()
/** See {@link SignUpInputSchema}. */
export type SignUpInput = z.input<typeof SignUpInputSchema>

/** An IP address or other client identifier given by the host, for throttling. */
const ClientIpSchema = z.string().min(1).max(100).optional()

/** Input of `signIn`. */
export const SignInInputSchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    /** The client's IP address, for per-address throttling. Give it whenever you know it. */
    ip: ClientIpSchema,
    /** The client's user agent, kept with the session. */
    user_agent: z.string().max(500).optional(),
  })
  .strict()
/** See {@link SignInInputSchema}. */
export type SignInInput = z.input<typeof SignInInputSchema>

/** Input of `updateUser`: the profile fields of the `users` table. */
export const UpdateUserInputSchema = z.object(ProfileFields).strict()
/** See {@link UpdateUserInputSchema}. */
export type UpdateUserInput = z.input<typeof UpdateUserInputSchema>

/** Input of `changePassword`. */
export const ChangePasswordInputSchema = z
  .object({ current_password: PasswordSchema, new_password: PasswordSchema, ip: ClientIpSchema })
  .strict()
/** See {@link ChangePasswordInputSchema}. */
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>

/** Input of `completePasswordReset`. */
export const CompletePasswordResetInputSchema = z
  .object({
    token: z.string().max(100),
    new_password: PasswordSchema,
    ip: ClientIpSchema,
    user_agent: z.string().max(500).optional(),
  })
  .strict()
/** See {@link CompletePasswordResetInputSchema}. */
export type CompletePasswordResetInput = z.input<typeof CompletePasswordResetInputSchema>

/** Input of `createApiKey`. */
export const CreateApiKeyInputSchema = z
  .object({ name: z.string().trim().min(1).max(100), kind: z.enum(['anon', 'service']) })
  .strict()
/** See {@link CreateApiKeyInputSchema}. */
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInputSchema>

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
