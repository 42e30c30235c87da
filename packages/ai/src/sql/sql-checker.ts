/**
 * Checks SQL against the real database without running it. Basebox's AI package never runs SQL
 * itself (DESIGN.md: `ai -> client`); the host gives it a checker over the project database.
 *
 * A correct implementation, for one statement `sql`:
 * 1. opens a transaction and makes it read-only (`set transaction read only`);
 * 2. switches to the project database's role and schema for that transaction only
 *    (`set_config('role', <role_name>, true)`, `set_config('search_path', <schema_name>, true)`);
 * 3. runs `EXPLAIN (FORMAT JSON) <sql>` through the extended query protocol (a prepared
 *    statement, which Postgres refuses to run with more than one statement in it);
 * 4. rolls back, and returns the plan (the `QUERY PLAN` value), or throws the database's error.
 *
 * EXPLAIN without ANALYZE parses and plans the statement but does not execute it, so a write is
 * planned, not done.
 *
 * ### Examples
 *
 * ```ts
 * const checker: SQLChecker = {
 *   async explain(sql) {
 *     let plan: unknown
 *     await pglite.transaction(async (tx) => {
 *       await tx.query('set transaction read only')
 *       await tx.query("select set_config('role', $1, true), set_config('search_path', $2, true)", [db.info.role_name, db.info.schema_name])
 *       plan = (await tx.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${sql}`)).rows[0]?.['QUERY PLAN']
 *       await tx.rollback()
 *     })
 *     return plan
 *   },
 * }
 * ```
 */
export interface SQLChecker {
  /**
   * Plans one statement without running it (see {@link SQLChecker}) and returns Postgres'
   * `EXPLAIN (FORMAT JSON)` plan; throws the database's error when the statement does not parse
   * or plan (unknown table or column, type mismatch, permission denied).
   */
  explain(sql: string): Promise<unknown>
}
