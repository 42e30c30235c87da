// Helpers of the play functions: role-based lookups in an ARIA grid (rows, column headers,
// aria-colindex), and generous waits, since a story's first render may start PGlite.
import { expect, waitFor, within } from 'storybook/test'

/** How long a lookup waits: a first story starts the engine and may seed (tens of seconds on a loaded machine). */
export const WAIT = { timeout: 60_000 }

type Canvas = ReturnType<typeof within>

/** The grid, once its rows are there (`aria-busy` off). */
export async function loadedGrid(canvas: Canvas): Promise<HTMLElement> {
  const grid = await canvas.findByRole('grid', {}, WAIT)
  await waitFor(() => expect(grid.getAttribute('aria-busy')).not.toBe('true'), WAIT)
  return grid
}

/**
 * The header of `column`: its accessible name holds the column's name as a word, among markers
 * ("primary key", "required") and the type.
 */
export async function findColumnHeader(canvas: Canvas, column: string): Promise<HTMLElement> {
  const headers: HTMLElement[] = await canvas.findAllByRole(
    'columnheader',
    { name: (name: string) => name.split(/\s+/).includes(column) },
    WAIT,
  )
  return headers[0]!
}

/** The `aria-colindex` of the header of `column`. */
export async function columnIndex(canvas: Canvas, column: string): Promise<string> {
  const header = await findColumnHeader(canvas, column)
  return header.getAttribute('aria-colindex')!
}

/** The grid cell of `column` in the row that has a cell reading `rowText`. */
export async function cellIn(
  canvas: Canvas,
  rowText: string,
  column: string,
): Promise<HTMLElement> {
  const index = await columnIndex(canvas, column)
  const anchor: HTMLElement = await canvas.findByRole('gridcell', { name: rowText }, WAIT)
  const row = anchor.closest('[role="row"]') as HTMLElement
  const cell = within(row)
    .getAllByRole('gridcell')
    .find((candidate) => candidate.getAttribute('aria-colindex') === index)
  if (!cell) throw new Error(`no ${column} cell in the row of ${rowText}`)
  return cell
}

/** Dispatches a paste of `text` (TSV, as a spreadsheet puts it on the clipboard) at `target`. */
export function paste(target: HTMLElement, text: string): void {
  const data = new DataTransfer()
  data.setData('text/plain', text)
  target.dispatchEvent(
    new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
  )
}

/** Retries `check` until it passes (for the database catching up with the UI). */
export function eventually(check: () => Promise<unknown> | unknown): Promise<unknown> {
  return waitFor(check, WAIT)
}
