import { describe, expect, it } from 'vitest'
import {
  BaseboxError,
  DatabaseError,
  ERROR_CODES,
  isBaseboxError,
  isErrorCode,
  toBaseboxError,
  ValidationError,
  type ErrorCode,
} from './errors.js'

describe('ERROR_CODES', () => {
  it('is the stable list of STYLE B5, in order', () => {
    expect(ERROR_CODES).toEqual([
      'VALIDATION_FAILED',
      'INVALID_IDENTIFIER',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'UNSUPPORTED',
      'TIMEOUT',
      'LIMIT_EXCEEDED',
      'AI_GENERATION_FAILED',
      'UNAVAILABLE',
      'DATABASE_ERROR',
      'INTERNAL',
      'AI_NOT_CONFIGURED',
      'AI_QUOTA_EXCEEDED',
    ])
  })

  it('isErrorCode accepts exactly those codes', () => {
    for (const code of ERROR_CODES) {
      expect(isErrorCode(code)).toBe(true)
    }
    for (const value of ['conflict', 'ENOENT', '', 'toString', 'constructor', undefined, 1, null]) {
      expect(isErrorCode(value), String(value)).toBe(false)
    }
  })
})

describe('BaseboxError', () => {
  it('is an Error with a name, a code, a message and a stack', () => {
    const error = new BaseboxError('NOT_FOUND', 'table "posts" does not exist')
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(BaseboxError)
    expect(error.name).toBe('BaseboxError')
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe('table "posts" does not exist')
    expect(error.details).toBeUndefined()
    expect(error.stack).toMatch(/BaseboxError: table "posts" does not exist/)
    expect(String(error)).toBe('BaseboxError: table "posts" does not exist')
  })

  it('keeps the cause and the details', () => {
    const cause = new Error('boom')
    const error = new BaseboxError('DATABASE_ERROR', 'failed', {
      cause,
      details: { table: 'posts' },
    })
    expect(error.cause).toBe(cause)
    expect(error.details).toEqual({ table: 'posts' })
  })

  it('has no own cause property when none is given', () => {
    expect(Object.hasOwn(new BaseboxError('INTERNAL', 'x'), 'cause')).toBe(false)
    expect(Object.hasOwn(new BaseboxError('INTERNAL', 'x', { cause: null }), 'cause')).toBe(true)
  })

  describe('toJSON', () => {
    it('is the wire body: code and message, plus details when there are any', () => {
      expect(new BaseboxError('CONFLICT', 'taken').toJSON()).toEqual({
        code: 'CONFLICT',
        message: 'taken',
      })
      expect(
        new BaseboxError('CONFLICT', 'taken', { details: { column: 'email' } }).toJSON(),
      ).toEqual({
        code: 'CONFLICT',
        message: 'taken',
        details: { column: 'email' },
      })
    })

    it('never puts the cause or the stack on the wire', () => {
      const secret = new Error('password=hunter2 at 10.0.0.1')
      const error = new BaseboxError('INTERNAL', 'Internal error', { cause: secret })
      const text = JSON.stringify(error)
      expect(JSON.parse(text)).toEqual({ code: 'INTERNAL', message: 'Internal error' })
      expect(text).not.toMatch(/hunter2|stack|cause/)
    })
  })
})

describe('ValidationError', () => {
  const issues = [
    { path: ['columns', 0, 'type'], message: 'invalid column type "varchar(x)"' },
    { path: ['name'], message: 'a name cannot be empty' },
  ]

  it('is a BaseboxError with code VALIDATION_FAILED by default', () => {
    const error = new ValidationError('invalid table definition', issues)
    expect(error).toBeInstanceOf(BaseboxError)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.name).toBe('ValidationError')
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.issues).toBe(issues)
  })

  it('may carry INVALID_IDENTIFIER instead', () => {
    expect(new ValidationError('bad name', issues, { code: 'INVALID_IDENTIFIER' }).code).toBe(
      'INVALID_IDENTIFIER',
    )
  })

  it('puts the issues in details, next to any other details, so they reach the wire', () => {
    const error = new ValidationError('invalid', issues, { details: { table: 'posts' } })
    expect(error.details).toEqual({ table: 'posts', issues })
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'invalid',
      details: { table: 'posts', issues },
    })
  })

  it('keeps issues over a details.issues given by the caller', () => {
    const error = new ValidationError('invalid', issues, { details: { issues: 'nope' } })
    expect(error.details!.issues).toBe(issues)
  })
})

describe('DatabaseError', () => {
  it('is a BaseboxError that carries the SQLSTATE', () => {
    const cause = Object.assign(new Error('duplicate key value'), { code: '23505' })
    const error = new DatabaseError('CONFLICT', 'duplicate key value', '23505', {
      cause,
      details: { sql_state: '23505' },
    })
    expect(error).toBeInstanceOf(BaseboxError)
    expect(error.name).toBe('DatabaseError')
    expect(error.code).toBe('CONFLICT')
    expect(error.sqlState).toBe('23505')
    expect(error.cause).toBe(cause)
    expect(error.toJSON()).toEqual({
      code: 'CONFLICT',
      message: 'duplicate key value',
      details: { sql_state: '23505' },
    })
  })

  it('may have no SQLSTATE', () => {
    expect(new DatabaseError('DATABASE_ERROR', 'x', undefined).sqlState).toBeUndefined()
  })
})

describe('isBaseboxError', () => {
  it('recognizes every Basebox error class', () => {
    expect(isBaseboxError(new BaseboxError('INTERNAL', 'x'))).toBe(true)
    expect(isBaseboxError(new ValidationError('x', []))).toBe(true)
    expect(isBaseboxError(new DatabaseError('CONFLICT', 'x', '23505'))).toBe(true)
  })

  it('recognizes an error from another copy of this package by its name and code', () => {
    class OtherCopy extends Error {
      readonly code: ErrorCode = 'NOT_FOUND'
      override name = 'BaseboxError'
    }
    expect(isBaseboxError(new OtherCopy('x'))).toBe(true)
    for (const name of ['ValidationError', 'DatabaseError']) {
      expect(
        isBaseboxError(Object.assign(new Error('x'), { name, code: 'VALIDATION_FAILED' })),
        name,
      ).toBe(true)
    }
  })

  it('refuses look-alikes', () => {
    const cases: unknown[] = [
      undefined,
      null,
      'BaseboxError',
      { name: 'BaseboxError', code: 'NOT_FOUND', message: 'plain object' },
      new Error('x'),
      Object.assign(new Error('x'), { code: 'CONFLICT' }),
      Object.assign(new Error('x'), { name: 'BaseboxError', code: 'ENOENT' }),
      Object.assign(new Error('x'), { name: 'BaseboxError', code: 404 }),
      Object.assign(new Error('x'), { name: 'BaseboxError' }),
      Object.assign(new TypeError('x'), { code: 'NOT_FOUND' }),
    ]
    for (const value of cases) {
      expect(isBaseboxError(value), JSON.stringify(value)).toBe(false)
    }
  })
})

describe('toBaseboxError', () => {
  it('keeps a BaseboxError, and makes anything else INTERNAL without its message', () => {
    const known = new BaseboxError('CONFLICT', 'taken')
    expect(toBaseboxError(known)).toBe(known)
    const secret = new Error('password=hunter2 at 10.0.0.3')
    const mapped = toBaseboxError(secret)
    expect(mapped.toJSON()).toEqual({ code: 'INTERNAL', message: 'Internal error' })
    expect(mapped.cause).toBe(secret)
    expect(toBaseboxError('a string').code).toBe('INTERNAL')
  })
})
