import { migrateSchema, quoteIdentifier as q, type Basebox } from '@basebox/core'
import { authSchemaName } from './auth-schema.js'

/** One versioned change to the auth schema. Versions only grow; a migration never changes. */
export interface AuthMigration {
  version: number
  name: string
  statements: (names: { schema: string; catalog: string }) => string[]
}

/** Every migration of the auth schema, in order. */
export const AUTH_MIGRATIONS: readonly AuthMigration[] = [
  {
    version: 1,
    name: 'sessions, refresh tokens, one-time tokens, email verifications, api keys, jwt secrets, throttle',
    statements: ({ schema, catalog }) => {
      const s = q(schema)
      // Rows go when their project database goes (project deletion cascades through the catalog).
      const database = `database_id uuid not null references ${q(catalog)}.project_databases (id) on delete cascade`
      return [
        `create table ${s}.sessions (
           id text primary key,
           ${database},
           user_id uuid not null,
           created_at timestamptz not null,
           refreshed_at timestamptz not null,
           expires_at timestamptz not null,
           revoked_at timestamptz,
           revoked_reason text,
           ip text check (ip is null or length(ip) <= 100),
           user_agent text check (user_agent is null or length(user_agent) <= 500)
         )`,
        `create index sessions_user_idx on ${s}.sessions (database_id, user_id)`,
        `create table ${s}.refresh_tokens (
           token_hash text primary key,
           session_id text not null references ${s}.sessions (id) on delete cascade,
           created_at timestamptz not null,
           rotated_at timestamptz
         )`,
        `create index refresh_tokens_session_idx on ${s}.refresh_tokens (session_id)`,
        `create table ${s}.one_time_tokens (
           token_hash text primary key,
           ${database},
           user_id uuid not null,
           purpose text not null check (purpose in ('password_reset', 'email_verification')),
           email text not null,
           created_at timestamptz not null,
           expires_at timestamptz not null,
           used_at timestamptz
         )`,
        `create index one_time_tokens_user_idx on ${s}.one_time_tokens (database_id, user_id, purpose)`,
        `create table ${s}.email_verifications (
           ${database},
           user_id uuid not null,
           email text not null,
           verified_at timestamptz not null,
           primary key (database_id, user_id)
         )`,
        `create table ${s}.api_keys (
           id uuid primary key default gen_random_uuid(),
           ${database},
           name text not null check (length(name) between 1 and 100),
           kind text not null check (kind in ('anon', 'service')),
           prefix text not null unique,
           key_hash text not null,
           created_at timestamptz not null,
           revoked_at timestamptz
         )`,
        `create index api_keys_database_idx on ${s}.api_keys (database_id, created_at)`,
        `create table ${s}.jwt_secrets (
           ${database},
           kid text not null,
           secret text not null,
           created_at timestamptz not null,
           retired_at timestamptz,
           valid_until timestamptz,
           primary key (database_id, kid)
         )`,
        // One current secret per database: concurrent first uses agree on it.
        `create unique index jwt_secrets_current_idx on ${s}.jwt_secrets (database_id) where retired_at is null`,
        `create table ${s}.throttle (
           key text primary key,
           failures integer not null,
           last_failure_ms double precision not null,
           blocked_until_ms double precision not null,
           known_until_ms double precision not null,
           expires_ms double precision not null
         )`,
        `create index throttle_expires_idx on ${s}.throttle (expires_ms)`,
        // Records one failure per key, each under its own rule, atomically per key and in one
        // round trip. The arithmetic is nextThrottleState's (throttle-store.ts), in SQL.
        `create function ${s}.throttle_fail(hits jsonb, now_ms double precision)
           returns table (o_failures integer, o_blocked_until_ms double precision, o_known_until_ms double precision)
           language plpgsql set search_path = pg_catalog as $fn$
         declare
           h record;
           r record;
           v_failures integer;
           v_blocked double precision;
           v_known double precision;
         begin
           for h in select * from jsonb_to_recordset(hits)
               as x(key text, free integer, base double precision, cap double precision, forget double precision) loop
             -- Make sure the row exists, then lock it: concurrent failures on a key count one by one.
             insert into ${s}.throttle (key, failures, last_failure_ms, blocked_until_ms, known_until_ms, expires_ms)
               values (h.key, 0, 0, 0, 0, 0) on conflict (key) do nothing;
             select * into r from ${s}.throttle t where t.key = h.key for update;
             if r.expires_ms <= now_ms then
               v_failures := 1; v_blocked := 0; v_known := 0;
             else
               v_failures := case when r.last_failure_ms < now_ms - h.forget then 1 else r.failures + 1 end;
               v_blocked := r.blocked_until_ms;
               v_known := r.known_until_ms;
             end if;
             if v_failures > h.free then
               v_blocked := now_ms + least(h.cap, h.base * power(2, least(v_failures - h.free - 1, 40)));
             end if;
             update ${s}.throttle t set failures = v_failures, last_failure_ms = now_ms, blocked_until_ms = v_blocked,
               known_until_ms = v_known, expires_ms = greatest(now_ms + h.forget, v_blocked, v_known)
               where t.key = h.key;
             o_failures := v_failures;
             o_blocked_until_ms := v_blocked;
             o_known_until_ms := v_known;
             return next;
           end loop;
         end $fn$`,
        `revoke all on function ${s}.throttle_fail(jsonb, double precision) from public`,
        // Only the engine's own user reads these tables: no project role, no catalog role.
        `revoke all on schema ${s} from public`,
      ]
    },
  },
  {
    version: 2,
    name: 'user metadata',
    statements: ({ schema, catalog }) => {
      const s = q(schema)
      return [
        // GoTrue's user_metadata beyond the users table's own profile columns. Never read into
        // an access token's claims or a data API identity: it is the user's to write.
        `create table ${s}.user_metadata (
           database_id uuid not null references ${q(catalog)}.project_databases (id) on delete cascade,
           user_id uuid not null,
           data jsonb not null check (jsonb_typeof(data) = 'object' and length(data::text) <= 65536),
           updated_at timestamptz not null,
           primary key (database_id, user_id)
         )`,
      ]
    },
  },
  {
    version: 3,
    name: 'disabled users',
    statements: ({ schema, catalog }) => {
      const s = q(schema)
      return [
        // A disabled user cannot sign in, refresh or reset a password; the row goes when the
        // user is enabled again or deleted.
        `create table ${s}.disabled_users (
           database_id uuid not null references ${q(catalog)}.project_databases (id) on delete cascade,
           user_id uuid not null,
           disabled_at timestamptz not null,
           primary key (database_id, user_id)
         )`,
      ]
    },
  },
  {
    version: 4,
    name: 'api key last use',
    statements: ({ schema }) => [
      // Null for keys made before this version and for keys never used since: both read "never".
      // Written at most once per LAST_USED_INTERVAL_MS per key (api-keys.ts), so it is that coarse.
      `alter table ${q(schema)}.api_keys add column last_used_at timestamptz`,
    ],
  },
]

/** The newest auth schema version this build knows. */
export const AUTH_SCHEMA_VERSION = AUTH_MIGRATIONS[AUTH_MIGRATIONS.length - 1]!.version

/**
 * Brings the auth schema up to {@link AUTH_SCHEMA_VERSION} in one transaction, as the engine's
 * own user, under a lock on its `migrations` table (which no tenant can take; an advisory lock
 * only for the very first creation) so that two processes starting at once apply each migration
 * exactly once. Returns the versions applied now.
 */
export async function migrateAuth(basebox: Basebox): Promise<number[]> {
  const schema = authSchemaName(basebox.catalog.schema)
  return migrateSchema(basebox.kysely, {
    schema,
    lockKey: `basebox auth ${schema}`,
    migrations: AUTH_MIGRATIONS,
    names: { schema, catalog: basebox.catalog.schema },
  })
}
