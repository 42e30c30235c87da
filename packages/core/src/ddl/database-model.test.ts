import { describe, expect, it } from 'vitest'
import { findColumn, findTable, referencesTo } from './database-model.js'
import { BLOG } from './test-models.js'

describe('findTable, findColumn, referencesTo', () => {
  it('find by name and list the columns that reference a table or a column', () => {
    expect(findTable(BLOG, 'posts')!.name).toBe('posts')
    expect(findTable(BLOG, 'nope')).toBeUndefined()
    expect(findColumn(findTable(BLOG, 'users')!, 'email')!.unique).toBe(true)
    expect(referencesTo(BLOG, 'users')).toEqual([
      { table: 'posts', column: 'author_id' },
      { table: 'comments', column: 'author_id' },
    ])
    expect(referencesTo(BLOG, 'posts', 'id')).toEqual([{ table: 'comments', column: 'post_id' }])
    expect(referencesTo(BLOG, 'posts', 'title')).toEqual([])
  })
})
