import { describe, expect, it } from 'vitest'
import { analyzeSQL, planModifiesData, tokenizeSQL } from './analyze-sql.js'

describe('analyzeSQL', () => {
  it.each([
    ['select id, title from posts', 'read'],
    ['  (select 1) ', 'read'],
    ['with recent as (select * from posts) select count(*) from recent', 'read'],
    ['values (1), (2)', 'read'],
    ['table posts', 'read'],
    ['insert into posts (title) values ($$a; b$$) returning id', 'write'],
    ["update posts set title = 'x'", 'write'],
    ['delete from posts where id = $1', 'write'],
    ['merge into posts using x on true when matched then delete', 'write'],
    ['with gone as (delete from posts returning id) select count(*) from gone', 'write'],
    ['select * from posts for update', 'write'],
    ['select * into backup from posts', 'other'],
    ['drop table posts', 'other'],
    ['create table x (id int)', 'other'],
    ['explain analyze delete from posts', 'other'],
    ['set role postgres', 'other'],
    ['copy posts to stdout', 'other'],
    ['begin', 'other'],
  ])('%s is a %s', (sql, kind) => {
    const analysis = analyzeSQL(sql)
    expect(analysis.problem).toBeUndefined()
    expect(analysis.kind).toBe(kind)
  })

  it('refuses more than one statement, however it is hidden', () => {
    for (const sql of [
      'select 1; drop table posts',
      'select 1;;select 2',
      "select 'a'; delete from posts",
    ]) {
      expect(analyzeSQL(sql).problem).toBe('it holds more than one statement')
    }
  })

  it('is not fooled by semicolons and keywords inside strings, identifiers and comments', () => {
    const sql = `select 'a;b', "weird;name", $tag$ delete; $tag$, E'it\\'s; fine' /* ; delete /* nested */ */ from posts -- ; drop`
    const analysis = analyzeSQL(sql)
    expect(analysis.problem).toBeUndefined()
    expect(analysis.kind).toBe('read')
    expect(analysis.sql).toBe(sql.slice(0, sql.indexOf(' -- ')))
  })

  it('strips trailing semicolons and comments around the statement', () => {
    expect(analyzeSQL('  -- top\nselect 1 ;  ; -- bottom\n').sql).toBe('select 1')
  })

  it('reports unterminated quotes, comments and parentheses', () => {
    expect(analyzeSQL("select 'open").problem).toBe('unterminated string literal')
    expect(analyzeSQL('select "open').problem).toBe('unterminated quoted identifier')
    expect(analyzeSQL('select /* open').problem).toBe('unterminated comment')
    expect(analyzeSQL('select $x$ open').problem).toBe('unterminated dollar-quoted string')
    expect(analyzeSQL('select (1').problem).toBe('unbalanced parentheses')
    expect(analyzeSQL('select 1)').problem).toBe('unbalanced parentheses')
    expect(analyzeSQL('  ').problem).toBe('the SQL is empty')
  })

  it('keeps quoted identifiers unquoted and words lower-cased', () => {
    const { tokens } = tokenizeSQL('SELECT "Password_Hash", Email FROM Users')
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'select'],
      ['quoted_identifier', 'Password_Hash'],
      ['symbol', ','],
      ['word', 'email'],
      ['word', 'from'],
      ['word', 'users'],
    ])
  })
})

describe('planModifiesData', () => {
  it('finds a ModifyTable node at any depth', () => {
    expect(planModifiesData([{ Plan: { 'Node Type': 'Seq Scan' } }])).toBe(false)
    expect(
      planModifiesData([
        {
          Plan: {
            'Node Type': 'CTE Scan',
            Plans: [{ 'Node Type': 'ModifyTable', Operation: 'Delete' }],
          },
        },
      ]),
    ).toBe(true)
    expect(planModifiesData(null)).toBe(false)
  })
})
