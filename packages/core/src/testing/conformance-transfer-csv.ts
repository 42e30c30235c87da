import { ValidationError, type TableDefinitionInput } from '@basebox/client'
import { expect, it } from 'vitest'
import type { Basebox } from '../basebox.js'
import type { DatabaseHandle } from '../database/database-handle.js'
import type { RejectedRow } from '../transfer/import-csv.js'
import { exportCSV } from '../transfer/export-csv.js'
import { exportDatabase } from '../transfer/export-database.js'
import { importDatabase } from '../transfer/import-database.js'
import {
  collectText,
  databaseState,
  expectCode,
  KINDS_ROWS,
  KINDS_TABLE,
} from './transfer-fixtures.js'

const PEOPLE: TableDefinitionInput = {
  name: 'people',
  columns: [
    { name: 'id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
    { name: 'email', type: 'text', required: true, unique: true },
    { name: 'full_name', type: 'text' },
    { name: 'age', type: 'integer' },
    { name: 'vip', type: 'boolean', default: false },
    { name: 'born', type: 'date' },
    { name: 'meta', type: 'jsonb' },
  ],
}

/** CSV import and export on one backend (called by the transfer suite with its databases). */
export function describeCSVTransferConformance(
  get: () => { bb: Basebox; source: DatabaseHandle; freshDatabase: () => Promise<DatabaseHandle> },
): void {
  async function people(): Promise<DatabaseHandle> {
    const db = await get().freshDatabase()
    await db.createTable(PEOPLE)
    return db
  }

  it('round trips quotes, line breaks, unicode, empty strings and nulls through a table export', async () => {
    const { source, freshDatabase } = get()
    const { text } = await collectText(exportCSV(source, { table: 'kinds' }))
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('id,label,note,big,amount,ratio,flag,day,at,ref,doc,parent_id')
    expect(lines[1]).toBe('1,label 1,"",,,,false,,,,,')
    expect(text).toContain('3,label 3,"say ""hi""",')
    expect(text).toContain('"two\nlines"')
    expect(text).toContain('" padded "')
    expect(text).toContain('"{""a"":[1,2.5,{""b"":null}],')
    const target = await freshDatabase()
    await target.createTable(KINDS_TABLE)
    // Streamed in as UTF-8 bytes, split anywhere.
    const result = await importDatabase(target, new Blob([text]).stream(), {
      format: 'csv',
      table: 'kinds',
    })
    expect(result).toMatchObject({ rows: KINDS_ROWS.length, rejectedCount: 0, created: false })
    const back = await exportDatabase(target, { format: 'json', table: 'kinds' })
    expect(back).toEqual(await exportDatabase(source, { format: 'json', table: 'kinds' }))
  })

  it('exports a table wider than 100 columns the same way (read as objects, not arrays)', async () => {
    const db = await get().freshDatabase()
    const columns = [
      { name: 'id', type: 'integer' as const, primary_key: true },
      { name: 'big', type: 'bigint' as const },
      { name: 'doc', type: 'jsonb' as const },
      ...Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, type: 'text' as const })),
    ]
    await db.createTable({ name: 'wide', columns })
    await db.insert('wide', [
      { id: 1, big: '9007199254740993', doc: { a: [1] }, c0: 'x, y', c99: '' },
      { id: 2 },
    ])
    const lines = (await collectText(exportCSV(db, { table: 'wide' }))).text.split('\r\n')
    expect(lines[0]).toBe(columns.map((c) => c.name).join(','))
    expect(lines[1]).toBe(`1,9007199254740993,"{""a"":[1]}","x, y"${','.repeat(99)}""`)
    expect(lines[2]).toBe(`2${','.repeat(102)}`)
  })

  it('maps headers to columns, converts values as forms send them, and previews without writing', async () => {
    const db = await people()
    const csv =
      'E-mail,Full Name,Age,VIP,Born,Meta,Ignored\r\nada@example.com,Ada, 36 ,yes,1815-12-10,"{""langs"": [""en""]}",x\r\nlinus@example.com,,,no,,,y\r\ngrace@example.com,"Grace ""Amazing"" Hopper",85,TRUE,1906-12-09,[1],z\r\n'
    const options = {
      format: 'csv',
      table: 'people',
      columns: { 'E-mail': 'email', Ignored: null },
    } as const
    const preview = await importDatabase(db, csv, { ...options, preview: 2 })
    expect(preview.columns).toEqual([
      { header: 'E-mail', column: 'email' },
      { header: 'Full Name', column: 'full_name' },
      { header: 'Age', column: 'age' },
      { header: 'VIP', column: 'vip' },
      { header: 'Born', column: 'born' },
      { header: 'Meta', column: 'meta' },
      { header: 'Ignored', column: null },
    ])
    expect(preview.preview).toEqual([
      {
        email: 'ada@example.com',
        full_name: 'Ada',
        age: 36,
        vip: true,
        born: '1815-12-10',
        meta: { langs: ['en'] },
      },
      {
        email: 'linus@example.com',
        full_name: null,
        age: null,
        vip: false,
        born: null,
        meta: null,
      },
    ])
    expect((await db.select('people', { count: 'exact', limit: 0 })).count).toBe(0)
    const result = await importDatabase(db, csv, options)
    expect(result.rows).toBe(3)
    const rows = (
      await db.select('people', {
        columns: ['email', 'full_name', 'age', 'vip', 'meta'],
        orderBy: { column: 'email' },
      })
    ).rows
    expect(rows).toEqual([
      { email: 'ada@example.com', full_name: 'Ada', age: 36, vip: true, meta: { langs: ['en'] } },
      {
        email: 'grace@example.com',
        full_name: 'Grace "Amazing" Hopper',
        age: 85,
        vip: true,
        meta: [1],
      },
      { email: 'linus@example.com', full_name: null, age: null, vip: false, meta: null },
    ])
  })

  it('refuses headers that match nothing, required columns left unmapped and secret columns', async () => {
    const db = await people()
    const unmatched = await expectCode(
      importDatabase(db, 'email,shoe size\r\na@x.io,42\r\n', { format: 'csv', table: 'people' }),
      'VALIDATION_FAILED',
    )
    expect(unmatched.details?.unmatched).toEqual(['shoe size'])
    await expectCode(
      importDatabase(db, 'full_name\r\nAda\r\n', { format: 'csv', table: 'people' }),
      'VALIDATION_FAILED',
    )
    await expectCode(
      importDatabase(db, 'email,password_hash\r\na@x.io,h\r\n', { format: 'csv', table: 'users' }),
      'FORBIDDEN',
    )
    await expectCode(
      importDatabase(db, 'email\r\n', { format: 'csv', table: 'missing' }),
      'NOT_FOUND',
    )
    expect((await db.select('people', { count: 'exact', limit: 0 })).count).toBe(0)
  })

  it('reports rejected rows with reasons: abort imports none, skip imports the rest', async () => {
    const db = await people()
    await db.insert('people', { email: 'kept@example.com' })
    const csv = [
      'email,age,born',
      'ok1@example.com,1,2000-01-01',
      'bad-age@example.com,abc,',
      ',3,',
      'short@example.com,4',
      'ok1@example.com,5,',
      'bad-date@example.com,6,2023-02-30',
      '"oops"x@example.com,7,',
      '"multi',
      'line@example.com",8,',
      '',
      'ok2@example.com,,',
      '',
    ].join('\r\n')
    const before = await databaseState(db, get().bb)
    const error = await expectCode(
      importDatabase(db, csv, { format: 'csv', table: 'people' }),
      'VALIDATION_FAILED',
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.details?.rejectedCount).toBe(6)
    expect(await databaseState(db, get().bb)).toEqual(before)
    const result = await importDatabase(db, csv, {
      format: 'csv',
      table: 'people',
      onError: 'skip',
    })
    expect(result.rows).toBe(3)
    expect(result.rejectedCount).toBe(6)
    const reasons = (r: RejectedRow) => [
      r.row,
      r.line,
      r.reasons.map((x) => `${x.column ?? '-'}: ${x.message}`),
    ]
    expect(result.rejected.map(reasons)).toEqual([
      [2, 3, ['age: expected an integer between -2147483648 and 2147483647']],
      [3, 4, ['email: "email" is required']],
      [4, 5, ['-: expected 3 fields, found 2']],
      [5, 6, ['email: duplicate value for unique column "email" (first in row 1)']],
      [6, 7, ['born: expected a date written YYYY-MM-DD']],
      [7, 8, [expect.stringMatching(/^-: text after the closing quote/)]],
    ])
    expect(result.warnings).toEqual(['6 rows were skipped; see rejected'])
    const emails = (
      await db.select('people', { columns: ['email'], orderBy: { column: 'email' } })
    ).rows.map((r) => r.email)
    expect(emails).toEqual([
      'kept@example.com',
      'multi\r\nline@example.com',
      'ok1@example.com',
      'ok2@example.com',
    ])
  })

  it('infers a new table from the data, previews it, and creates and loads it on confirm', async () => {
    const db = await get().freshDatabase()
    const csv = [
      'ID,Name,Price,Qty,Big,Ratio,Active,Day,Seen At,Uid,Data,Zip,Blank',
      '1,Widget,9.50,3,3000000000,1e5,true,2024-01-31,2024-01-31T10:00:00Z,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,"{""a"":1}",01234,',
      '2,"Gadget, large",10,,-5,2.5,false,2024-02-29,2024-02-29 11:30:00+02:00,b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12,[],90210,',
    ].join('\r\n')
    const before = await databaseState(db, get().bb)
    const preview = await importDatabase(db, csv, {
      format: 'csv',
      table: 'products',
      create: true,
      preview: 1,
    })
    expect(await databaseState(db, get().bb)).toEqual(before)
    expect(preview.created).toBe(true)
    expect(
      preview.definition.columns.map((c) => [
        c.name,
        c.type,
        c.primary_key === true || c.required === true,
      ]),
    ).toEqual([
      ['id', 'integer', true],
      ['name', 'text', true],
      ['price', 'numeric', true],
      ['qty', 'integer', false],
      ['big', 'bigint', true],
      ['ratio', 'double', true],
      ['active', 'boolean', true],
      ['day', 'date', true],
      ['seen_at', 'timestamptz', true],
      ['uid', 'uuid', true],
      ['data', 'jsonb', true],
      ['zip', 'text', true],
      ['blank', 'text', false],
    ])
    expect(preview.preview).toEqual([
      {
        id: 1,
        name: 'Widget',
        price: '9.50',
        qty: 3,
        big: '3000000000',
        ratio: 100000,
        active: true,
        day: '2024-01-31',
        seen_at: '2024-01-31T10:00:00Z',
        uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        data: { a: 1 },
        zip: '01234',
        blank: null,
      },
    ])
    // The user edits the inferred definition (a unique name), then confirms.
    const definition = {
      ...preview.definition,
      columns: preview.definition.columns.map((c) =>
        c.name === 'name' ? { ...c, unique: true } : c,
      ),
    }
    const result = await importDatabase(db, csv, {
      format: 'csv',
      table: 'products',
      create: true,
      definition,
    })
    expect(result.rows).toBe(2)
    expect((await db.definitions()).find((t) => t.name === 'products')!.columns[1]).toMatchObject({
      name: 'name',
      unique: true,
    })
    const rows = (await db.select('products', { columns: ['id', 'name', 'seen_at', 'zip'] })).rows
    expect(rows).toEqual([
      { id: 1, name: 'Widget', seen_at: '2024-01-31T10:00:00+00:00', zip: '01234' },
      { id: 2, name: 'Gadget, large', seen_at: '2024-02-29T09:30:00+00:00', zip: '90210' },
    ])
  })

  it('with create, leaves out CSV columns mapped to null and names columns as mapped', async () => {
    const db = await get().freshDatabase()
    const result = await importDatabase(db, 'Code,Label,Junk\r\nA1,first,x\r\nB2,second,y\r\n', {
      format: 'csv',
      table: 'codes',
      create: true,
      columns: { Label: 'title', Junk: null },
    })
    expect(result.definition.columns.map((c) => c.name)).toEqual(['id', 'code', 'title'])
    expect(result.columns).toEqual([
      { header: 'Code', column: 'code' },
      { header: 'Label', column: 'title' },
      { header: 'Junk', column: null },
    ])
    expect(
      (await db.select('codes', { columns: ['code', 'title'], orderBy: { column: 'code' } })).rows,
    ).toEqual([
      { code: 'A1', title: 'first' },
      { code: 'B2', title: 'second' },
    ])
  })

  it('adds a generated key when the data has no obvious one, and creates no table when its load fails', async () => {
    const db = await get().freshDatabase()
    const keyless = await importDatabase(db, 'id,word\r\n1,a\r\n1,b\r\n', {
      format: 'csv',
      table: 'words',
      create: true,
    })
    expect(keyless.definition.columns.slice(0, 2)).toEqual([
      { name: 'row_id', type: 'uuid', primary_key: true, default: 'gen_random_uuid()' },
      { name: 'id', type: 'integer', required: true },
    ])
    expect((await db.select('words', { count: 'exact', limit: 0 })).count).toBe(2)
    await expectCode(
      importDatabase(db, 'x\r\n1\r\n', { format: 'csv', table: 'words', create: true }),
      'CONFLICT',
    )
    const before = await databaseState(db, get().bb)
    const definition = {
      columns: [
        { name: 'id', type: 'integer' as const, primary_key: true },
        { name: 'user_id', type: 'uuid' as const, references: { table: 'users' } },
      ],
    }
    const error = await expectCode(
      importDatabase(db, 'id,user_id\r\n1,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\r\n', {
        format: 'csv',
        table: 'owned',
        create: true,
        definition,
      }),
      'CONFLICT',
    )
    expect(error.message).toMatch(/^import failed, nothing was imported/)
    expect(await databaseState(db, get().bb)).toEqual(before)
  })
}
