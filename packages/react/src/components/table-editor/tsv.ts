/**
 * Tab-separated values as spreadsheets put them on the clipboard: cells split by tabs, rows by
 * newlines; a cell holding a tab or newline (or starting with a quote) is quoted, with doubled
 * quotes inside. A quote inside an unquoted cell is just a quote (`{"a":1}` stays as it is).
 */

function quote(cell: string): string {
  return /[\t\n\r]/.test(cell) || cell.startsWith('"') ? `"${cell.replace(/"/g, '""')}"` : cell
}

/** Writes rows of cell texts as TSV (rows joined by `\n`, no trailing newline). */
export function encodeTSV(rows: string[][]): string {
  return rows.map((row) => row.map(quote).join('\t')).join('\n')
}

/**
 * Reads TSV (as Excel, Google Sheets or LibreOffice copy it) into rows of cell texts: quoted
 * cells may hold tabs and newlines, `\r\n` ends a row like `\n`, and the one trailing newline a
 * spreadsheet adds gives no empty last row.
 */
export function decodeTSV(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let i = 0
  let quoted = false
  let cellStart = true
  while (i < text.length) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
        i += 1
        continue
      }
      cell += ch
      i += 1
      continue
    }
    if (ch === '"' && cellStart) {
      quoted = true
      cellStart = false
      i += 1
      continue
    }
    if (ch === '\t') {
      row.push(cell)
      cell = ''
      cellStart = true
      i += 1
      continue
    }
    if (ch === '\n' || ch === '\r') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      cellStart = true
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      continue
    }
    cell += ch
    cellStart = false
    i += 1
  }
  if (!cellStart || cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}
