import { BaseboxError } from '@basebox/core'

/** What a failed sign-in says, whether the email is unknown or the password wrong. @internal */
export const INVALID_CREDENTIALS = 'invalid email or password'

/** An `UNAUTHENTICATED` error, with `details.reason` when given. @internal */
export function unauthenticated(message: string, reason?: string): BaseboxError {
  return new BaseboxError(
    'UNAUTHENTICATED',
    message,
    reason === undefined ? {} : { details: { reason } },
  )
}

/** The `FORBIDDEN` error of a disabled account. @internal */
export function userDisabled(): BaseboxError {
  return new BaseboxError('FORBIDDEN', 'this account is disabled', {
    details: { reason: 'user_disabled' },
  })
}
