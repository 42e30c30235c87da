import type { DatabaseHandle } from '@basebox/core'
import { BaseboxError } from '@basebox/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataBlock } from '../prompts/prompts.js'
import { answeringModel, promptOf } from '../testing/mock-model.js'
import {
  createPGliteSQLChecker,
  startProjectEngine,
  type ProjectEngine,
} from '../testing/pglite-project.js'
import { generateSQL } from './generate-sql.js'
import type { SQLChecker } from './sql-checker.js'

let engine: ProjectEngine
let db: DatabaseHandle
let other: DatabaseHandle
/** Every statement that reached the database, in order. */
const explained: string[] = []
let checker: SQLChecker

beforeAll(async () => {
  engine = await startProjectEngine()
  db = await engine.freshDatabase()
  other = await engine.freshDatabase()
  for (const target of [db, other]) {
    await target.createTable({
      name: 'posts',
      columns: [
        { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
        {
          name: 'author_id',
          type: 'uuid',
          references: { table: 'users', column: 'id', on_delete: 'cascade' },
        },
        { name: 'title', type: 'text', required: true },
        { name: 'views', type: 'integer', required: true, default: 0 },
      ],
    })
  }
  const [author] = await db.insert('users', { email: 'ada@example.com', full_name: 'Ada' })
  await db.insert('posts', [
    { title: 'Launch plans nobody should see', author_id: author!.id, views: 10 },
    { title: 'Second post', author_id: author!.id, views: 3 },
  ])
  const inner = createPGliteSQLChecker(engine.pglite, db)
  checker = {
    explain: (sql) => {
      explained.push(sql)
      return inner.explain(sql)
    },
  }
})

afterAll(async () => {
  await engine?.close()
})

async function rejection(promise: Promise<unknown>): Promise<BaseboxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BaseboxError)
  return error as BaseboxError
}

async function titles(): Promise<string[]> {
  const { rows } = await db.select('posts', { orderBy: [{ column: 'title', direction: 'asc' }] })
  return rows.map((r) => String(r.title))
}

const answer = (sql: string, explanation = 'Does the thing.') => ({ sql, explanation })
const TOP_POSTS = 'select title, views from posts order by views desc limit 5'

describe('generateSQL', () => {
  it('answers with SQL that Postgres planned under the database role, and an explanation', async () => {
    explained.length = 0
    const model = answeringModel(answer(`${TOP_POSTS};`, 'Lists the five most viewed posts.'))
    const result = await generateSQL({
      question: 'Which posts are read most?',
      database: db,
      checker,
      model,
    })

    expect(result).toMatchObject({
      sql: TOP_POSTS,
      explanation: 'Lists the five most viewed posts.',
      isWrite: false,
      attempts: 1,
      retries: [],
    })
    expect(JSON.stringify(result.plan)).toContain('"Node Type":"Limit"')
    expect(explained).toEqual([TOP_POSTS])
  })

  it('shows the model tables, types and relations, never secret columns and never rows', async () => {
    const model = answeringModel(answer(TOP_POSTS))
    await generateSQL({
      question: 'Which posts are read most?',
      database: { definitions: await db.definitions() },
      checker,
      model,
    })
    const prompt = promptOf(model.doGenerateCalls[0]!)
    const text = prompt.messages[0]!.text
    expect(text).toContain('table posts\n')
    expect(text).toContain('author_id uuid references users(id) on delete cascade')
    expect(text).toContain('table users -- has hidden columns')
    expect(text).not.toContain('password_hash')
    expect(text).not.toContain('Launch plans')
    expect(text).not.toContain('ada@example.com')
    expect(text).toContain(dataBlock('question', 'Which posts are read most?'))
    expect(prompt.system).toContain('Only reads are allowed')
  })

  it('shows sample rows only when the caller gives them, without secret columns', async () => {
    const model = answeringModel(answer(TOP_POSTS))
    const sampleRows = {
      users: [{ id: 'u1', email: 'ada@example.com', password_hash: 'argon2-secret' }],
      posts: [{ title: 'Hello' }],
    }
    await generateSQL({ question: 'Which posts?', database: db, checker, model, sampleRows })
    const text = promptOf(model.doGenerateCalls[0]!).messages[0]!.text
    expect(text).toContain(
      '<rows>{"users":[{"id":"u1","email":"ada@example.com"}],"posts":[{"title":"Hello"}]}</rows>',
    )
    expect(text).not.toContain('argon2-secret')
  })

  it("sends SQL that does not plan back with Postgres' error, and uses the fix", async () => {
    const model = answeringModel(answer('select titel from posts'), answer(TOP_POSTS))
    const result = await generateSQL({ question: 'titles', database: db, checker, model })
    expect(result.attempts).toBe(2)
    expect(result.retries).toEqual(['Postgres could not plan it: column "titel" does not exist'])
    expect(promptOf(model.doGenerateCalls[1]!).messages[2]!.text).toContain(
      'column "titel" does not exist',
    )
  })

  it('fails with AI_GENERATION_FAILED when no answer plans within the retries', async () => {
    const bad = answer('select * from nowhere')
    const model = answeringModel(bad, bad)
    const error = await rejection(
      generateSQL({ question: 'x', database: db, checker, model, maxRetries: 1 }),
    )
    expect(error.code).toBe('AI_GENERATION_FAILED')
    expect(error.details).toMatchObject({
      reason: 'invalid_sql',
      attempts: 2,
      sql: 'select * from nowhere',
    })
    expect(String(error.details!.problem)).toContain('relation "nowhere" does not exist')
  })

  it("cannot reach another project's tables or the catalog: they do not plan under this role", async () => {
    const foreign = [
      `select title from "${other.info.schema_name}".posts`,
      `select name from "${engine.bb.catalog.schema}".projects`,
    ]
    const model = answeringModel(answer(foreign[0]!), answer(foreign[1]!))
    const error = await rejection(
      generateSQL({ question: 'everything', database: db, checker, model, maxRetries: 1 }),
    )
    expect(error.code).toBe('AI_GENERATION_FAILED')
    for (const problem of [
      ...(error.details!.retries as string[]),
      String(error.details!.problem),
    ]) {
      expect(problem).toMatch(/permission denied/)
    }
  })

  it('refuses writes unless allowed, before they reach the database', async () => {
    explained.length = 0
    for (const sql of [
      'delete from posts',
      'with gone as (delete from posts returning id) select count(*) from gone',
    ]) {
      const error = await rejection(
        generateSQL({
          question: 'delete everything',
          database: db,
          checker,
          model: answeringModel(answer(sql)),
        }),
      )
      expect(error.code).toBe('FORBIDDEN')
      expect(error.details).toMatchObject({ reason: 'write_not_allowed', sql })
    }
    expect(explained).toEqual([])
    expect(await titles()).toEqual(['Launch plans nobody should see', 'Second post'])
  })

  it('returns an allowed write marked as a write, planned but not run', async () => {
    const sql = "update posts set title = 'renamed' where views > 5 returning id"
    const model = answeringModel(answer(sql))
    const result = await generateSQL({
      question: 'rename popular posts',
      database: db,
      checker,
      model,
      allowWrites: true,
    })
    expect(result.isWrite).toBe(true)
    expect(JSON.stringify(result.plan)).toContain('"Node Type":"ModifyTable"')
    expect(await titles()).toEqual(['Launch plans nobody should see', 'Second post'])
    expect(promptOf(model.doGenerateCalls[0]!).system).toContain(
      'may be answered with one INSERT, UPDATE or DELETE',
    )
  })

  it('never lets several statements, DDL or hidden columns reach the database', async () => {
    explained.length = 0
    const model = answeringModel(
      answer('select 1; drop table posts'),
      answer('drop table posts'),
      answer('select email, password_hash from users'),
      answer('select * from users'),
      answer('select u.* from users u'),
      answer('select email from users limit 100'),
    )
    const result = await generateSQL({
      question: 'emails',
      database: db,
      checker,
      model,
      maxRetries: 5,
    })
    expect(result.sql).toBe('select email from users limit 100')
    expect(result.retries).toEqual([
      'it holds more than one statement',
      'it is not a SELECT statement',
      'it uses the hidden column "password_hash"; use only the listed columns',
      'it selects * from a query over "users", which has hidden columns; name the columns',
      'it selects * from a query over "users", which has hidden columns; name the columns',
    ])
    expect(explained).toEqual(['select email from users limit 100'])
    expect(await engine.tablesInSchema(db)).toEqual(['posts', 'users'])
  })

  it("reports a question it cannot answer as UNSUPPORTED, with the model's reason", async () => {
    const model = answeringModel(answer('', 'Deleting needs a write.'))
    const error = await rejection(
      generateSQL({ question: 'delete old posts', database: db, checker, model }),
    )
    expect(error.code).toBe('UNSUPPORTED')
    expect(error.message).toContain('Deleting needs a write.')
  })

  it('checks its input before calling anything', async () => {
    const model = answeringModel()
    expect(
      (await rejection(generateSQL({ question: '', database: db, checker, model }))).code,
    ).toBe('VALIDATION_FAILED')
    expect(
      (await rejection(generateSQL({ question: 'x', database: db, checker: {} as never, model })))
        .code,
    ).toBe('VALIDATION_FAILED')
    expect(
      (await rejection(generateSQL({ question: 'x', database: {} as never, checker, model }))).code,
    ).toBe('VALIDATION_FAILED')
    expect(model.doGenerateCalls).toHaveLength(0)
  })
})
