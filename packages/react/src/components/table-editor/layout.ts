/** Where the grid remembers a table's column layout: any `localStorage`-like object. */
export interface LayoutStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** The column layout remembered per table: widths, hidden columns and order. */
export interface ColumnLayout {
  sizing: Record<string, number>
  visibility: Record<string, boolean>
  order: string[]
}

/** The storage key of a table's layout. */
export function layoutKey(databaseId: string, table: string): string {
  return `basebox:table-editor:${databaseId}:${table}`
}

/** The browser's `localStorage` when there is one (not on the server, not when blocked). */
export function defaultLayoutStorage(): LayoutStorage | undefined {
  try {
    return typeof window !== 'undefined' && window.localStorage !== undefined
      ? window.localStorage
      : undefined
  } catch {
    return undefined
  }
}

/** Reads a remembered layout; anything unreadable gives the empty layout. */
export function readLayout(storage: LayoutStorage | undefined, key: string): ColumnLayout {
  const empty: ColumnLayout = { sizing: {}, visibility: {}, order: [] }
  if (storage === undefined) {
    return empty
  }
  try {
    const raw = storage.getItem(key)
    if (raw === null) {
      return empty
    }
    const parsed = JSON.parse(raw) as Partial<ColumnLayout>
    return {
      sizing: typeof parsed.sizing === 'object' && parsed.sizing !== null ? parsed.sizing : {},
      visibility:
        typeof parsed.visibility === 'object' && parsed.visibility !== null
          ? parsed.visibility
          : {},
      order: Array.isArray(parsed.order)
        ? parsed.order.filter((c): c is string => typeof c === 'string')
        : [],
    }
  } catch {
    return empty
  }
}

/** Stores a layout (a full or blocked storage is ignored). */
export function writeLayout(
  storage: LayoutStorage | undefined,
  key: string,
  layout: ColumnLayout,
): void {
  try {
    storage?.setItem(key, JSON.stringify(layout))
  } catch {
    // a full or blocked storage only loses the layout
  }
}

/** `order` with `column` moved one place left (`-1`) or right (`1`), over the given columns. */
export function moveColumn(
  order: readonly string[],
  all: readonly string[],
  column: string,
  delta: -1 | 1,
): string[] {
  const full = [...order.filter((c) => all.includes(c)), ...all.filter((c) => !order.includes(c))]
  const index = full.indexOf(column)
  const target = index + delta
  if (index < 0 || target < 0 || target >= full.length) {
    return full
  }
  full.splice(index, 1)
  full.splice(target, 0, column)
  return full
}
