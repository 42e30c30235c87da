import { describe, expect, it } from 'vitest'
import { describeActivity, supabaseSnippet, timeAgo } from './overview-text.js'

describe('given audit log entries', () => {
  it('says what each action did in words', () => {
    expect(describeActivity({ action: 'database.create', details: {} })).toBe(
      'created the database',
    )
    expect(
      describeActivity({
        action: 'schema.apply',
        details: {
          steps: [
            { kind: 'add_column', table: 'posts', column: { name: 'views', type: 'integer' } },
            { kind: 'set_access', table: 'posts' },
          ],
        },
      }),
    ).toBe('changed the schema: add column posts.views (integer) and 1 more step')
    expect(
      describeActivity({
        action: 'sql.run',
        details: { text: 'select\n  1', read_only: true, outcome: 'ok' },
      }),
    ).toBe('ran read-only SQL: select 1')
    expect(
      describeActivity({
        action: 'sql.run',
        details: { text: 'x'.repeat(80), outcome: 'DATABASE_ERROR' },
      }),
    ).toBe(`ran SQL: ${'x'.repeat(59)}… (failed: DATABASE_ERROR)`)
    expect(describeActivity({ action: 'data.export', details: { format: 'json' } })).toBe(
      'exported the data as JSON',
    )
    expect(describeActivity({ action: 'keys.create', details: { name: 'ci' } })).toBe(
      'created an API key "ci"',
    )
    expect(describeActivity({ action: 'something.new', details: {} })).toBe('something.new')
  })

  it('says when, relative to now', () => {
    const now = Date.parse('2026-12-03T12:00:00Z')
    expect(timeAgo('2026-12-03T11:59:50Z', now)).toBe('just now')
    expect(timeAgo('2026-12-03T11:55:00Z', now)).toBe('5 minutes ago')
    expect(timeAgo('2026-12-03T09:00:00Z', now)).toBe('3 hours ago')
    expect(timeAgo('2026-12-02T12:00:00Z', now)).toBe('yesterday')
    expect(timeAgo('not a date', now)).toBe('not a date')
  })
})

describe('given a database for supabase-js', () => {
  it('writes the client and a select on the first table, quoting the values', () => {
    expect(supabaseSnippet('https://api.example.com/db', "a'b", 'posts')).toBe(
      [
        "import { createClient } from '@supabase/supabase-js'",
        '',
        "const supabase = createClient('https://api.example.com/db', 'a\\'b')",
        '',
        "const { data, error } = await supabase.from('posts').select('*').limit(10)",
      ].join('\n'),
    )
    expect(supabaseSnippet(undefined, undefined, undefined)).toContain(
      "createClient('YOUR_DATA_API_URL', 'YOUR_ANON_KEY')",
    )
  })
})
