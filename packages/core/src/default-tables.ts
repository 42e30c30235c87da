import { parseTableDefinition, type TableDefinition } from '@basebox/client'

/**
 * The `users` table every project database starts with, as in the original plan. `password_hash`
 * is a secret column: no record API returns it, and only the auth package writes it. It may be
 * null, so that users can be imported or invited without a password (they cannot sign in until
 * they set one).
 */
export const USERS_TABLE: TableDefinition = parseTableDefinition({
  name: 'users',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'email', type: 'text', unique: true, required: true },
    { name: 'password_hash', type: 'text', secret: true },
    { name: 'full_name', type: 'text' },
    { name: 'avatar_url', type: 'text' },
    { name: 'created_at', type: 'timestamptz', required: true, default: 'now()' },
    { name: 'updated_at', type: 'timestamptz', required: true, default: 'now()' },
  ],
})
