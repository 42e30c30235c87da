/** The kinds of email auth asks the host to send. */
export const AUTH_EMAIL_KINDS = [
  'password_reset',
  'email_verification',
  'sign_up_existing_account',
] as const

/** One of {@link AUTH_EMAIL_KINDS}. */
export type AuthEmailKind = (typeof AUTH_EMAIL_KINDS)[number]

/**
 * An email for the host to send. Auth never builds links: the host puts `token` into its own
 * URL (for example `https://app.example/reset?token=…`) and the app passes it back to
 * `completePasswordReset` or `verifyEmail`.
 *
 * - `password_reset`: `token` resets the password, once, until `expires_at`.
 * - `email_verification`: `token` proves the address, once, until `expires_at`.
 * - `sign_up_existing_account`: someone tried to sign up with an address that already has an
 *   account (maybe its owner, who forgot). No token: suggest signing in or resetting the
 *   password. Sent so that sign-up can answer the same whether or not the address was taken.
 */
export interface AuthEmail {
  kind: AuthEmailKind
  /** The recipient, lowercase. */
  to: string
  /** The project database the account belongs to. */
  database_id: string
  /** The one-time token (absent for `sign_up_existing_account`). */
  token?: string
  /** When the token expires (ISO 8601). */
  expires_at?: string
}
