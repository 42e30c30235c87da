import type { User } from '@basebox/auth'

/** A user as Supabase's auth server (GoTrue) shapes it, for apps written against supabase-js. @internal */
export function toGoTrueUser(user: User): Record<string, unknown> {
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: user.email_verified_at,
    confirmed_at: user.email_verified_at,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: user.user_metadata,
    identities: [],
    created_at: user.created_at,
    updated_at: user.updated_at,
    is_anonymous: false,
  }
}
