import { BaseboxError } from '@basebox/client'
import { describe, expect, it } from 'vitest'
import { parseStatements } from './parse-statements.js'

async function refusal(text: string): Promise<BaseboxError> {
  const error = await parseStatements(text).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BaseboxError)
  return error as BaseboxError
}

describe('parseStatements', () => {
  it('splits with the grammar: text, offset, kind and command of each statement', async () => {
    const text = "select 1;\n  insert into t values ('a;b') ;; -- done\n"
    const statements = await parseStatements(text)
    expect(statements).toEqual([
      {
        text: 'select 1',
        offset: 0,
        kind: 'SelectStmt',
        command: 'SELECT',
        writesWithoutReturning: false,
      },
      {
        text: "insert into t values ('a;b')",
        offset: 12,
        kind: 'InsertStmt',
        command: 'INSERT',
        writesWithoutReturning: true,
      },
    ])
    const returning = await parseStatements(
      'delete from t returning id; update t set a = 1; with x as (select 1) delete from t',
    )
    expect(returning.map((s) => s.writesWithoutReturning)).toEqual([false, true, true])
    for (const s of statements) {
      expect(text.slice(s.offset, s.offset + s.text.length)).toBe(s.text)
    }
  })

  it('keeps offsets in characters when the text is not ASCII', async () => {
    const text = "select 'héllo 🙂'; select 2"
    const [, second] = await parseStatements(text)
    expect(second!.text).toBe('select 2')
    expect(text.slice(second!.offset)).toBe('select 2')
  })

  it('drops empty statements and comment-only text', async () => {
    expect(await parseStatements(';;')).toEqual([])
    expect(await parseStatements('-- only\n/* a /* nested */ comment */')).toEqual([])
    expect((await parseStatements(';; select 1;;')).map((s) => s.text)).toEqual(['select 1'])
  })

  it('names commands from the parse node', async () => {
    const commands = (
      await parseStatements(
        'with x as (select 1) select * from x; show work_mem; set work_mem = 1; do $$ begin end $$',
      )
    ).map((s) => s.command)
    expect(commands).toEqual(['SELECT', 'SHOW', 'SET', 'DO'])
  })

  describe('comments, strings and quotes hide nothing', () => {
    it.each([
      ['/* -- */ commit; insert into t values (1)', 0, 'COMMIT'],
      ['/* -- */ commit; create table sneaky (id int)', 0, 'COMMIT'],
      ["select '--'; commit", 1, 'COMMIT'],
      ["select E'\\''; commit", 1, 'COMMIT'],
      ["select 'it''s'; rollback", 1, 'ROLLBACK'],
      ['select $x$ ; $x$; begin', 1, 'BEGIN'],
      ['select "a;b" from t; savepoint s', 1, 'SAVEPOINT'],
      ['select 1 -- ; \n; release s', 1, 'RELEASE'],
      ['/* /* */ */ end', 0, 'COMMIT'],
    ])('refuses %j at statement %i', async (text, index, command) => {
      const error = await refusal(text)
      expect(error.code).toBe('UNSUPPORTED')
      expect(error.details).toMatchObject({ statement: index })
      expect(error.message).toContain(`statement ${index + 1} (${command}`)
    })

    it('lets comments and quoted text that only look like statements through', async () => {
      expect((await parseStatements('/* /* */ commit */ select 1')).map((s) => s.kind)).toEqual([
        'SelectStmt',
      ])
      expect((await parseStatements('select $x$ commit $x$')).map((s) => s.kind)).toEqual([
        'SelectStmt',
      ])
      expect((await parseStatements("select E'\\'; commit; --'")).map((s) => s.kind)).toEqual([
        'SelectStmt',
      ])
      expect((await parseStatements("select '-- '; select 'x'")).map((s) => s.kind)).toEqual([
        'SelectStmt',
        'SelectStmt',
      ])
    })
  })

  describe('refusals by kind', () => {
    it.each([
      ['begin', 'BEGIN'],
      ['start transaction read write', 'START TRANSACTION'],
      ['commit', 'COMMIT'],
      ['end', 'COMMIT'],
      ['abort', 'ROLLBACK'],
      ['savepoint a', 'SAVEPOINT'],
      ['release savepoint a', 'RELEASE'],
      ['rollback to savepoint a', 'ROLLBACK TO SAVEPOINT'],
      ["prepare transaction 'x'", 'PREPARE TRANSACTION'],
      ["commit prepared 'x'", 'COMMIT PREPARED'],
      ["rollback prepared 'x'", 'ROLLBACK PREPARED'],
      ['prepare p as select 1', 'PREPARE'],
      ['execute p', 'EXECUTE'],
      ['deallocate all', 'DEALLOCATE'],
      ['declare c cursor for select 1', 'DECLARE CURSOR'],
      ['fetch c', 'FETCH'],
      ['move next in c', 'MOVE'],
      ['close c', 'CLOSE PORTAL'],
      ['copy t to stdout', 'COPY'],
      ["copy t from program 'id'", 'COPY'],
      ['set role postgres', 'SET ROLE'],
      ['set local role postgres', 'SET ROLE'],
      ['reset role', 'RESET ROLE'],
      ['set session authorization postgres', 'SET SESSION AUTHORIZATION'],
      ['reset session authorization', 'RESET SESSION AUTHORIZATION'],
      ['set role = default', 'SET ROLE'],
      ['create role evil', 'CREATE ROLE'],
      ['create user evil', 'CREATE ROLE'],
      ['alter role current_user superuser', 'ALTER ROLE'],
      ['alter role current_user set search_path = x', 'ALTER ROLE SET'],
      ['drop role evil', 'DROP ROLE'],
      ['grant postgres to current_user', 'GRANT ROLE'],
      ['reassign owned by a to b', 'REASSIGN OWNED'],
      ["alter system set work_mem = '1GB'", 'ALTER SYSTEM'],
      ['alter database test connection limit 1', 'ALTER DATABASE'],
      ['alter database test set work_mem = 1', 'ALTER DATABASE SET'],
      ['create database x', 'CREATEDB'],
      ['drop database x', 'DROPDB'],
      ["load 'x'", 'LOAD'],
      ['listen x', 'LISTEN'],
      ['unlisten *', 'UNLISTEN'],
      ['notify x', 'NOTIFY'],
      ['discard all', 'DISCARD'],
      ['checkpoint', 'CHECK POINT'],
      ['vacuum', 'VACUUM'],
      ['analyze', 'VACUUM'],
      ["create tablespace x location '/tmp'", 'CREATE TABLE SPACE'],
      ['create extension hstore', 'CREATE EXTENSION'],
      ['create event trigger x on ddl_command_start execute function f()', 'CREATE EVENT TRIG'],
      ["create subscription s connection 'host=x' publication p", 'CREATE SUBSCRIPTION'],
      ['create publication p for all tables', 'CREATE PUBLICATION'],
      ['create server s foreign data wrapper w', 'CREATE FOREIGN SERVER'],
    ])('refuses %j', async (text, command) => {
      const error = await refusal(`select 1; ${text}`)
      expect(error.code).toBe('UNSUPPORTED')
      expect(error.details).toMatchObject({ statement: 1 })
      expect(error.message).toContain(`statement 2 (${command}`)
    })

    it('finds refused statements nested inside others', async () => {
      for (const text of [
        'explain execute p',
        'create table x as execute p',
        'explain declare c cursor for select 1',
        'create function f() returns int language sql set role = postgres as $$ select 1 $$',
        'alter function f() set session_authorization = postgres',
      ]) {
        const error = await refusal(text)
        expect(error.code).toBe('UNSUPPORTED')
        expect(error.message).toMatch(/inside/)
      }
    })

    it('lets ordinary statements and settings through', async () => {
      const kinds = (
        await parseStatements(
          "set search_path = a; set local work_mem = '1MB'; reset all; select set_config('x.y', '1', true); create temp view v as select 1; do $$ begin perform 1; end $$; explain select 1",
        )
      ).map((s) => s.kind)
      expect(kinds).toEqual([
        'VariableSetStmt',
        'VariableSetStmt',
        'VariableSetStmt',
        'SelectStmt',
        'ViewStmt',
        'DoStmt',
        'ExplainStmt',
      ])
    })
  })

  describe('large texts', () => {
    it('walks a deeply nested tree, and finds what hides at its end', async () => {
      const deep = `select ${'1 + '.repeat(4_000)}1`
      expect((await parseStatements(deep)).map((s) => s.kind)).toEqual(['SelectStmt'])
      const error = await refusal(`${deep}; explain execute p`)
      expect(error.details).toMatchObject({ statement: 1 })
    })

    it('answers a text nested deeper than the parser can go with LIMIT_EXCEEDED, then parses again', async () => {
      const error = await refusal(`select ${'1 + '.repeat(100_000)}1`)
      expect(error.code).toBe('LIMIT_EXCEEDED')
      expect(await parseStatements('select 1; commit').catch((e: BaseboxError) => e.code)).toBe(
        'UNSUPPORTED',
      )
    })

    it('keeps working after a text that grew the parser past the heap it keeps', async () => {
      const big = `insert into t values ${'(1),'.repeat(240_000)}(1)`
      expect(await parseStatements(big)).toHaveLength(1)
      expect((await parseStatements('select 1; select 2')).map((s) => s.offset)).toEqual([0, 10])
    })
  })

  describe('syntax errors', () => {
    it('are VALIDATION_FAILED with the statement and the 1-based character position', async () => {
      const text = 'select 1;\nselec 2'
      const error = await refusal(text)
      expect(error.code).toBe('VALIDATION_FAILED')
      expect(error.details).toMatchObject({ statement: 1, position: 11 })
      expect(text[Number(error.details!.position) - 1]).toBe('s')
    })

    it('count positions in characters past non-ASCII text', async () => {
      const text = "select 'ééé'; selec 2"
      const error = await refusal(text)
      expect(error.details).toMatchObject({ statement: 1, position: text.indexOf('selec 2') + 1 })
    })

    it.each(["select 'unterminated", 'select $$ x', '/* open', 'select "x'])(
      'refuses %j',
      async (text) => {
        expect((await refusal(text)).code).toBe('VALIDATION_FAILED')
      },
    )

    it('a dollar quote that is a whole statement is a syntax error, not a statement', async () => {
      expect((await refusal('$x$ commit $x$')).code).toBe('VALIDATION_FAILED')
    })
  })
})
