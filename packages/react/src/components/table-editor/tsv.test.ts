import { describe, expect, it } from 'vitest'
import { decodeTSV, encodeTSV } from './tsv.js'

describe('given TSV from a spreadsheet', () => {
  it('splits cells by tabs and rows by newlines, dropping the trailing newline', () => {
    expect(decodeTSV('a\tb\tc\n1\t2\t3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ])
  })

  it('reads CRLF rows, empty cells and quoted cells holding tabs, newlines and quotes', () => {
    expect(decodeTSV('x\t\t"a\tb"\r\n"line 1\nline 2"\t"say ""hi"""\tz')).toEqual([
      ['x', '', 'a\tb'],
      ['line 1\nline 2', 'say "hi"', 'z'],
    ])
  })

  it('keeps a quote inside an unquoted cell as it is', () => {
    expect(decodeTSV('5" disk\tb')).toEqual([['5" disk', 'b']])
  })

  it('gives nothing for an empty text, and one empty cell for a lone newline', () => {
    expect(decodeTSV('')).toEqual([])
    expect(decodeTSV('\n')).toEqual([['']])
  })

  it('encodes what it decodes', () => {
    const rows = [
      ['plain', 'with\ttab', ''],
      ['multi\nline', 'quote "q"', '3'],
    ]
    expect(encodeTSV(rows)).toBe('plain\t"with\ttab"\t\n"multi\nline"\tquote "q"\t3')
    expect(encodeTSV([['"quoted"']])).toBe('"""quoted"""')
    expect(decodeTSV('"""quoted"""')).toEqual([['"quoted"']])
    expect(decodeTSV(encodeTSV(rows))).toEqual(rows)
  })
})
