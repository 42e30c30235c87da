import { PGlite, protocol } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BackendError, keepErrorFields, readBackendMessages } from './backend-messages.js'

// The reader is checked against PGlite's own parser (pg-protocol) on the same bytes.
let pglite: PGlite

beforeAll(async () => {
  pglite = await PGlite.create()
  await pglite.exec(
    `create table t (id integer primary key, name text not null unique, data jsonb)`,
  )
  await pglite.exec(`insert into t values (1, 'one', '{"a":[1,2]}'), (2, 'two', null)`)
})

afterAll(async () => {
  await pglite.close()
})

function plain(message: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { name: (message as { name: string }).name }
  for (const [key, value] of Object.entries(message as object)) {
    // pg-protocol's fixed messages say length 5, its parsed ones the length field: not compared.
    if (value !== undefined && key !== 'stack' && key !== 'length') {
      out[key] = value
    }
  }
  if (message instanceof Error) {
    out.message = message.message
  }
  return out
}

describe('readBackendMessages', () => {
  it('reads what PGlite answers as pg-protocol does: rows, nulls, unicode, parameters, errors', async () => {
    const statements = [
      protocol.serialize.query(`select id, name, data, 'é ☃ 😀' as u from t order by id`),
      protocol.serialize.parse({ name: 's1', text: 'select $1::int + 1 as n', types: [] }),
      protocol.serialize.describe({ type: 'S', name: 's1' }),
      protocol.serialize.bind({ statement: 's1', values: ['41'] }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
      protocol.serialize.query(`insert into t values (1, 'again', null)`),
      protocol.serialize.query(`insert into t values (3, null, null)`),
      protocol.serialize.query(``),
    ]
    for (const bytes of statements) {
      // Each request runs once; both readers read the same answer.
      const raw = await pglite.execProtocolRaw(bytes)
      const theirs: unknown[] = []
      new protocol.Parser().parse(raw, (message) => theirs.push(message))
      const ours = readBackendMessages(raw)
      expect(ours.length).toBeGreaterThan(0)
      expect(ours.map(plain)).toEqual(theirs.map(plain))
    }
  })

  it('keeps the SQLSTATE, table, column and constraint of an error', async () => {
    const [error] = readBackendMessages(
      await pglite.execProtocolRaw(protocol.serialize.query(`insert into t values (1, 'x', null)`)),
    ).filter((message) => message instanceof BackendError) as BackendError[]
    expect(error).toMatchObject({
      name: 'error',
      code: '23505',
      table: 't',
      constraint: 't_pkey',
      severity: 'ERROR',
    })
    expect(error?.message).toContain('duplicate key')
  })
})

describe('keepErrorFields', () => {
  it('makes execProtocol and execProtocolStream throw the error with its fields, or return it when throwOnError is off', async () => {
    // A stand-in for PGliteWorker's RPC: execProtocolRaw answers, execProtocol would lose fields.
    const worker = keepErrorFields({
      execProtocolRaw: (message: Uint8Array) => pglite.execProtocolRaw(message),
      execProtocol: async (
        _message: Uint8Array,
        _options?: object,
      ): Promise<{ messages: unknown[]; data: Uint8Array }> => {
        throw new Error('only the message')
      },
      execProtocolStream: async (_message: Uint8Array, _options?: object): Promise<unknown[]> => {
        throw new Error('only the message')
      },
    })
    const duplicate = protocol.serialize.query(`insert into t values (2, 'dup', null)`)
    await expect(worker.execProtocolStream(duplicate)).rejects.toMatchObject({
      code: '23505',
      table: 't',
    })
    await expect(worker.execProtocol(duplicate)).rejects.toMatchObject({ code: '23505' })
    const { messages } = await worker.execProtocol(duplicate, { throwOnError: false })
    expect(
      messages.some((message) => message instanceof BackendError && message.code === '23505'),
    ).toBe(true)
    const rows = await worker.execProtocolStream(
      protocol.serialize.query(`select name from t where id = 1`),
    )
    expect(rows.find((message) => (message as { name: string }).name === 'dataRow')).toMatchObject({
      fields: ['one'],
    })
  })
})
