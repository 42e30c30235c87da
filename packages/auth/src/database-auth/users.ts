import type { Row } from '@basebox/core'
import type { Verification } from '../storage/auth-store.js'
import { toUser, type User } from '../user.js'
import { unauthenticated } from './auth-errors.js'
import type { DatabaseAuthScope } from './auth-scope.js'

/** The `users` row with this email or id, with its password hash when `withSecret`. @internal */
export async function userBy(
  scope: DatabaseAuthScope,
  where: { email: string } | { id: string },
  withSecret = false,
): Promise<Row | undefined> {
  const { rows } = await scope.db.select('users', { where, limit: 1 }, { allowSecret: withSecret })
  return rows[0]
}

/** The `users` row with this id; `UNAUTHENTICATED` when it is gone. @internal */
export async function requireUser(
  scope: DatabaseAuthScope,
  id: string,
  withSecret = false,
): Promise<Row> {
  const row = await userBy(scope, { id }, withSecret)
  if (row === undefined) {
    throw unauthenticated('user not found', 'user')
  }
  return row
}

/** The {@link User} of a `users` row, with its verification and user metadata. @internal */
export async function toUserWithMetadata(
  scope: DatabaseAuthScope,
  row: Row,
  verification: Verification | undefined,
): Promise<User> {
  const id = String(row.id)
  return toUser(row, verification, (await scope.store.metadata([id])).get(id))
}
