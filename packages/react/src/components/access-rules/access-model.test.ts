import { describe, expect, it } from 'vitest'
import {
  accessProblem,
  accessSQLByTable,
  guessOwnerColumn,
  normalizeAccess,
  mergePolicySQL,
  policyVariants,
  sameAccess,
  withAccess,
} from './access-model.js'

const POSTS = {
  name: 'posts',
  columns: [
    { name: 'id', type: 'uuid' as const, primary_key: true },
    { name: 'author_id', type: 'uuid' as const },
    { name: 'title', type: 'text' as const },
  ],
}

describe('given access rules compared by meaning', () => {
  it('treats a missing operation as nobody', () => {
    expect(normalizeAccess({ select: 'public', insert: 'nobody' })).toEqual({ select: 'public' })
    expect(normalizeAccess({ delete: 'nobody' })).toBeUndefined()
    expect(sameAccess(undefined, { select: 'nobody' })).toBe(true)
    expect(sameAccess({ select: 'public' }, { select: 'authenticated' })).toBe(false)
  })
})

describe('given the stored rules of a table', () => {
  it('writes them another way with the same meaning, so planning them compiles the current policies', () => {
    expect(policyVariants(undefined)).toEqual([
      { select: 'nobody', insert: 'nobody', update: 'nobody', delete: 'nobody' },
    ])
    expect(policyVariants({ select: 'public' })).toEqual([
      { select: 'public', insert: 'nobody', update: 'nobody', delete: 'nobody' },
    ])
    expect(
      policyVariants({ select: 'public', insert: 'nobody', update: 'nobody', delete: 'nobody' }),
    ).toEqual([{ select: 'public' }])
    expect(
      policyVariants({ select: 'nobody', insert: 'nobody', update: 'nobody', delete: 'nobody' }),
    ).toEqual([undefined])
    const open = {
      select: 'public',
      insert: 'authenticated',
      update: 'authenticated',
      delete: 'authenticated',
    } as const
    expect(policyVariants({ ...open, owner_column: 'author_id' })).toEqual([open])
    // Every operation open: two plans, one operation closed in each.
    expect(policyVariants(open)).toEqual([
      { ...open, select: 'nobody' },
      { ...open, insert: 'nobody' },
    ])
  })

  it('puts the statements of the two plans together in order', () => {
    const whole = [
      'revoke',
      'grant select',
      'policy select',
      'grant insert',
      'policy insert',
      'grant update',
      'policy update',
    ]
    const withoutSelect = whole.filter((line) => !line.endsWith('select'))
    const withoutInsert = whole.filter((line) => !line.endsWith('insert'))
    expect(mergePolicySQL(withoutSelect, withoutInsert)).toEqual(whole)
    expect(mergePolicySQL(whole, [])).toEqual(whole)
  })

  it('replaces only the named tables, and removes access set to undefined', () => {
    const tables = [
      { ...POSTS, access: { select: 'public' as const } },
      { name: 'tags', columns: [{ name: 'id', type: 'integer' as const }] },
    ]
    expect(withAccess(tables, { posts: undefined })[0]).not.toHaveProperty('access')
    expect(withAccess(tables, { tags: { select: 'authenticated' } })).toEqual([
      tables[0],
      { ...tables[1], access: { select: 'authenticated' } },
    ])
  })

  it("reads each set_access step's SQL off a plan by table", () => {
    const plan = {
      steps: [
        { kind: 'add_column', table: 'posts' },
        { kind: 'set_access', table: 'posts' },
      ],
      sql: [['alter table'], ['revoke all', 'create policy']],
    }
    expect(accessSQLByTable(plan)).toEqual(new Map([['posts', ['revoke all', 'create policy']]]))
  })

  it('needs an owner column for the owner rule, and guesses a likely one', () => {
    expect(guessOwnerColumn(POSTS)).toBe('author_id')
    expect(accessProblem(POSTS, { update: 'owner' })).toMatch(/^Pick the owner column/)
    expect(accessProblem(POSTS, { update: 'owner', owner_column: 'author_id' })).toBeUndefined()
    expect(
      accessProblem(
        { name: 'tags', columns: [{ name: 'id', type: 'integer' }] },
        { select: 'owner' },
      ),
    ).toMatch(/tags has none/)
  })
})
