import { BaseboxError } from '@basebox/client'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CSVParser,
  formatCSVField,
  formatCSVRecord,
  parseCSV,
  readCSV,
  type CSVRecord,
} from './csv.js'

/**
 * Property tests are bounded by their number of runs (`numRuns`), never by time; this is the time
 * such a test may take on a busy machine (a budget, not a measurement).
 */
const PROPERTY_BUDGET_MS = 120_000

const fields = (records: CSVRecord[]) => records.map((r) => r.fields)

async function collect(
  source: Parameters<typeof readCSV>[0],
  options?: Parameters<typeof readCSV>[1],
): Promise<CSVRecord[]> {
  const out: CSVRecord[] = []
  for await (const record of readCSV(source, options)) {
    out.push(record)
  }
  return out
}

describe('parseCSV', () => {
  it('reads a header and records with CRLF, LF or CR line ends, with or without a last line break', () => {
    expect(fields(parseCSV('a,b\r\n1,2\r\n'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(fields(parseCSV('a,b\n1,2'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(fields(parseCSV('a,b\r1,2\r'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(fields(parseCSV(''))).toEqual([])
  })

  it('tells an empty unquoted field (null) from a quoted empty one (empty string)', () => {
    expect(fields(parseCSV('a,,"",\r\n'))).toEqual([['a', null, '', null]])
    expect(fields(parseCSV(',\r\n'))).toEqual([[null, null]])
  })

  it('reads quoted delimiters, doubled quotes and line breaks inside quotes verbatim', () => {
    const text = '"a,b","say ""hi""","two\r\nlines","lf\nonly"," padded "\r\nnext,row\r\n'
    const records = parseCSV(text)
    expect(fields(records)).toEqual([
      ['a,b', 'say "hi"', 'two\r\nlines', 'lf\nonly', ' padded '],
      ['next', 'row'],
    ])
    expect(records.map((r) => r.line)).toEqual([1, 4])
  })

  it('skips a byte order mark and keeps unicode as is', () => {
    expect(fields(parseCSV('\uFEFFnom,ville\r\nZoë,"Zürich 🏔"\r\n'))).toEqual([
      ['nom', 'ville'],
      ['Zoë', 'Zürich 🏔'],
    ])
  })

  it('gives a blank line as one null field, so one-column files keep their nulls', () => {
    expect(fields(parseCSV('v\r\n\r\nx\r\n'))).toEqual([['v'], [null], ['x']])
  })

  it('marks malformed records and carries on with the next one', () => {
    const records = parseCSV('a,b"c\r\n"x"y,z\r\nok,1\r\n"never closed\r\n')
    expect(records.map((r) => r.error === undefined)).toEqual([false, false, true, false])
    expect(records[0]!.error).toMatch(/quote inside an unquoted field/)
    expect(records[1]!.error).toMatch(/after the closing quote/)
    expect(records[2]!.fields).toEqual(['ok', '1'])
    expect(records[3]!.error).toMatch(/never closed/)
  })

  it('takes another delimiter, and refuses one that cannot work', () => {
    expect(fields(parseCSV('a;b\r\n"x;y";2\r\n', { delimiter: ';' }))).toEqual([
      ['a', 'b'],
      ['x;y', '2'],
    ])
    expect(fields(parseCSV('a\tb\r\n1\t2\r\n', { delimiter: '\t' }))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(() => parseCSV('a', { delimiter: '"' })).toThrow(BaseboxError)
    expect(() => parseCSV('a', { delimiter: ';;' })).toThrow(BaseboxError)
  })
})

describe('CSVParser', () => {
  it('gives the same records whatever the chunk boundaries (CRLF, quotes and "" split across chunks)', () => {
    const text = 'id,"note"\r\n1,"a ""quoted"" word, and\r\na line break"\r\n2,\r\n3,""\r\n'
    const whole = parseCSV(text)
    for (let size = 1; size <= text.length; size++) {
      const parser = new CSVParser()
      const records: CSVRecord[] = []
      for (let i = 0; i < text.length; i += size) {
        records.push(...parser.push(text.slice(i, i + size)))
      }
      records.push(...parser.end())
      expect(records, `chunks of ${size}`).toEqual(whole)
    }
  })
})

describe('readCSV', () => {
  it('streams from strings, async chunks, UTF-8 bytes split inside a character, and ReadableStreams', async () => {
    const text = 'name\r\n"Zoë, the ""first"""\r\n🏔\r\n'
    const expected = [['name'], ['Zoë, the "first"'], ['🏔']]
    expect(fields(await collect(text))).toEqual(expected)
    expect(fields(await collect(['name\r\n"Zoë,', ' the ""first"""\r\n🏔\r\n']))).toEqual(expected)
    const bytes = new TextEncoder().encode(text)
    async function* byteChunks() {
      for (let i = 0; i < bytes.length; i += 3) {
        yield bytes.slice(i, i + 3)
      }
    }
    expect(fields(await collect(byteChunks()))).toEqual(expected)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10))
        controller.enqueue(bytes.slice(10))
        controller.close()
      },
    })
    expect(fields(await collect(stream))).toEqual(expected)
  })

  it('refuses bytes that are not UTF-8', async () => {
    async function* bad() {
      yield new Uint8Array([0x61, 0xff, 0x0a])
    }
    await expect(collect(bad())).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})

describe('formatCSVField', () => {
  it('quotes only what needs quotes and doubles quotes', () => {
    expect(formatCSVField(null)).toBe('')
    expect(formatCSVField('')).toBe('""')
    expect(formatCSVField('plain')).toBe('plain')
    expect(formatCSVField('a,b')).toBe('"a,b"')
    expect(formatCSVField('say "hi"')).toBe('"say ""hi"""')
    expect(formatCSVField('two\nlines')).toBe('"two\nlines"')
    expect(formatCSVField('cr\ronly')).toBe('"cr\ronly"')
    expect(formatCSVField(' lead')).toBe('" lead"')
    expect(formatCSVField('trail ')).toBe('"trail "')
    expect(formatCSVField('a;b', { delimiter: ';' })).toBe('"a;b"')
    expect(formatCSVRecord(['a', null, ''])).toBe('a,,""\r\n')
  })

  it(
    'round trips any records, nulls and empty strings included (property)',
    () => {
      const field = fc.oneof(
        fc.constant(null),
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom('', ',', '"', '\r\n', '\n', '\r', ' x ', '""'),
      )
      // Records of one null field are blank lines, which readers cannot tell apart; give each
      // record two fields at least, as every table has.
      const records = fc.array(fc.array(field, { minLength: 2, maxLength: 6 }), { maxLength: 20 })
      fc.assert(
        fc.property(records, fc.constantFrom(',', ';', '\t'), (input, delimiter) => {
          const text = input.map((r) => formatCSVRecord(r, { delimiter })).join('')
          expect(fields(parseCSV(text, { delimiter }))).toEqual(input)
        }),
        { numRuns: 100 },
      )
    },
    PROPERTY_BUDGET_MS,
  )
})
