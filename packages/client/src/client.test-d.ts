// Type tests (vitest typecheck) of the client's public generics: rows typed by the caller, table
// definitions as their input and parsed types, and errors narrowed by code.
import { describe, expectTypeOf, it } from 'vitest'
import {
  isBaseboxError,
  parseTableDefinition,
  type BaseboxClient,
  type ColumnReference,
  type ErrorCode,
  type SelectResult,
  type TableDefinition,
  type TableDefinitionInput,
} from './index.js'

interface Post {
  id: string
  title: string
}

declare const client: BaseboxClient

describe('BaseboxClient generics', () => {
  it('types rows by the row type the caller gives, and as records by default', () => {
    expectTypeOf(client.selectRows<Post>('db', 'posts')).resolves.toEqualTypeOf<
      SelectResult<Post>
    >()
    expectTypeOf(client.selectRows('db', 'posts')).resolves.toEqualTypeOf<
      SelectResult<Record<string, unknown>>
    >()
    expectTypeOf(client.insertRows<Post>('db', 'posts', { title: 'x' })).resolves.toEqualTypeOf<
      Post[]
    >()
    expectTypeOf(
      client.updateRows<Post>('db', 'posts', { id: '1' }, { title: 'y' }),
    ).resolves.toEqualTypeOf<Post[]>()
    expectTypeOf(client.deleteRows<Post>('db', 'posts', { id: '1' })).resolves.toEqualTypeOf<
      Post[]
    >()
  })
})

describe('table definitions', () => {
  it('accepts references without their defaults as input, and fills them when parsed', () => {
    expectTypeOf<{
      name: 't'
      columns: [{ name: 'a'; type: 'uuid'; references: { table: 'users' } }]
    }>().toExtend<TableDefinitionInput>()
    expectTypeOf(parseTableDefinition).returns.toEqualTypeOf<TableDefinition>()
    expectTypeOf<
      NonNullable<TableDefinition['columns'][number]['references']>
    >().toEqualTypeOf<ColumnReference>()
    expectTypeOf<ColumnReference['column']>().toEqualTypeOf<string>()
  })

  it('refuses a column type that is not one of the ten', () => {
    expectTypeOf<{
      name: 't'
      columns: [{ name: 'a'; type: 'varchar' }]
    }>().not.toExtend<TableDefinitionInput>()
  })
})

describe('errors', () => {
  it('narrows an unknown error to BaseboxError with a typed code', () => {
    const error: unknown = new Error('x')
    if (isBaseboxError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<ErrorCode>()
    }
  })
})
