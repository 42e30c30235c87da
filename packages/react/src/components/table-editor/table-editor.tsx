'use client'
import {
  isBaseboxError,
  toDefaultFunction,
  type ColumnDefinition,
  type OrderBy,
} from '@basebox/client'
import {
  columnOrderingFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable as useTanstackTable,
  type ColumnOrderState,
  type ColumnSizingState,
  type ColumnVisibilityState,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Dialog } from 'radix-ui'
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react'
import { useDeleteRows, useInsertRows, useUpdateRows, useUpsertRows } from '../../hooks/use-rows.js'
import { useTable } from '../../hooks/use-tables.js'
import { fieldErrors, formatValue, parseInput } from '../../values/values.js'
import { editorFor, ReferenceLabel, renderValue, type ReferenceLabelFn } from '../editors/index.js'
import { ThemeScope, useResolvedTheme } from '../editors/theme-scope.js'
import { RecordFormPanel } from '../record-form/record-form.js'
import type { CellEditor } from '../editors/types.js'
import { copyRange, planPaste } from './clipboard.js'
import {
  combineFilters,
  emptyFilterGroup,
  groupToFilter,
  quickSearchFilter,
  type FilterGroup,
} from './filter-model.js'
import { HeaderCell } from './header.js'
import {
  defaultLayoutStorage,
  layoutKey,
  moveColumn,
  readLayout,
  writeLayout,
  type ColumnLayout,
  type LayoutStorage,
} from './layout.js'
import { useRowBlocks, type RowTotal } from './row-blocks.js'
import {
  clickSelection,
  inRange,
  moveSelection,
  selectionRange,
  toggleRowSelection,
  type CellSelection,
} from './selection.js'
import { Toolbar } from './toolbar.js'

type Row = Record<string, unknown>

/** What a custom cell renderer gets: the value, its text, the row and the column. */
export interface TableEditorCellContext {
  /** The stored value (wire form). */
  value: unknown
  /** The value as the grid shows it by default. */
  text: string
  /** The whole row (without secret columns). */
  row: Row
  column: ColumnDefinition
  /** The row's index in the grid. */
  rowIndex: number
}

/** Per-column options of {@link TableEditor}. */
export interface TableEditorColumnOptions {
  /** The header's text. Default is the column's name. */
  label?: string
  /** The starting width in pixels (a width the user dragged wins). Default depends on the type. */
  width?: number
  /** Replaces the cell's content. Default shows the value as text. */
  renderCell?: (context: TableEditorCellContext) => ReactNode
  /** Replaces the column's editor. Default is the editor of the column's type. */
  editor?: CellEditor
}

/** The grid's sort keys, first key first: `{ id: column, desc }` (TanStack Table's `SortingState`). */
export type TableEditorSorting = { id: string; desc: boolean }[]

/** The filter builder's state: a group of conditions (and nested groups) joined by `and` or `or`. */
export type TableEditorFilter = FilterGroup
export type { FilterCondition as TableEditorFilterCondition } from './filter-model.js'

/**
 * A value the host may control (`value` + `onChange`) or leave to the component (`initial`):
 * the component's own state is used only while `value` is `undefined`.
 */
function useControllable<T>(
  value: T | undefined,
  initial: () => T,
  onChange: ((next: T) => void) | undefined,
) {
  const [own, setOwn] = useState<T>(initial)
  const current = value ?? own
  const latest = useRef({ current, controlled: value !== undefined, onChange })
  latest.current = { current, controlled: value !== undefined, onChange }
  const set = useCallback((update: T | ((previous: T) => T)) => {
    const { current: previous, controlled, onChange: notify } = latest.current
    const next = typeof update === 'function' ? (update as (previous: T) => T)(previous) : update
    if (!controlled) setOwn(next)
    notify?.(next)
  }, [])
  return [current, set] as const
}

/** Props of {@link TableEditor}. */
export interface TableEditorProps {
  /** The sort keys, controlled (with {@link TableEditorProps.onSortingChange}). Default is uncontrolled. */
  sorting?: TableEditorSorting
  /** The first sort keys when uncontrolled. Default is `[]` (the primary key's order). */
  defaultSorting?: TableEditorSorting
  /** Called with the new sort keys when a header click or the column menu changes them. Default is none. */
  onSortingChange?: (sorting: TableEditorSorting) => void
  /**
   * The filter builder's conditions (its chips), controlled (with
   * {@link TableEditorProps.onFilterChange}). A group of conditions, each with an `id`, a column,
   * one of the engine's operators and the value as typed. Default is uncontrolled.
   */
  filter?: TableEditorFilter
  /** The first filter when uncontrolled. Default is an empty `and` group (no filter). */
  defaultFilter?: TableEditorFilter
  /** Called with the new filter when the user adds, edits or removes a chip. Default is none. */
  onFilterChange?: (filter: TableEditorFilter) => void
  /** The quick search text, controlled (with {@link TableEditorProps.onSearchChange}). Default is uncontrolled. */
  search?: string
  /** The first quick search text when uncontrolled. Default is `''`. */
  defaultSearch?: string
  /** Called with the new quick search text as the user types. Default is none. */
  onSearchChange?: (search: string) => void
  /** The database holding the table. */
  databaseId: string
  /** The table's name. */
  table: string
  /**
   * Shows the rows without any way to change them. Default is `false`; a table without a primary
   * key, or whose `permissions` (the client's table info) allow no write, is always read-only.
   */
  readOnly?: boolean
  /** Labels, widths, cell renderers and editors per column name. Default is none. */
  columns?: Record<string, TableEditorColumnOptions>
  /**
   * Where column widths, hidden columns and order are remembered, per database and table.
   * Default is the browser's `localStorage` when there is one; `null` remembers nothing.
   */
  storage?: LayoutStorage | null
  /** Above this many rows (the planner's estimate) the total is estimated, not counted. Default is `50000`. */
  countThreshold?: number
  /** Rows fetched per request. Default is `100`. */
  blockSize?: number
  /**
   * The readable label of a referenced row, shown in reference cells and pickers. Default is the
   * row's first text column, else its id.
   */
  referenceLabel?: ReferenceLabelFn
  /**
   * Called by a row's "expand" button (or Alt+Enter on a cell) with the row, instead of opening
   * it. Default is none: the row opens in a {@link RecordFormPanel} side sheet over the grid
   * (tables with a primary key only).
   */
  onExpandRow?: (row: Row) => void
  /** The grid's height (CSS length or pixels). Default is the `--bb-table-editor-height` token (480px). */
  height?: number | string
  /** `'light'` or `'dark'`. Default follows the host's `prefers-color-scheme`. */
  theme?: 'light' | 'dark'
  /** Row height and padding. Default is `'normal'`. */
  density?: 'compact' | 'normal' | 'comfortable'
  /** Merged into the root element's classes. */
  className?: string
}

const ROW_HEIGHTS = { compact: 26, normal: 34, comfortable: 42 } as const
const GUTTER_WIDTH = 72
const SKELETON_ROWS = 12

const features = tableFeatures({
  rowSortingFeature,
  columnSizingFeature,
  columnResizingFeature,
  columnVisibilityFeature,
  columnOrderingFeature,
})
const columnHelper = createColumnHelper<typeof features, Row>()
const NO_ROWS: Row[] = []

function defaultWidth(column: ColumnDefinition): number {
  switch (column.type) {
    case 'boolean':
      return 100
    case 'integer':
    case 'bigint':
    case 'double':
    case 'numeric':
      return 120
    case 'uuid':
      return 300
    case 'date':
      return 130
    case 'timestamptz':
    case 'jsonb':
      return 220
    default:
      return 200
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

function totalLabel(total: RowTotal): string {
  if (total.kind === 'unknown') {
    return ''
  }
  const n = total.value.toLocaleString('en-US')
  const rows = total.value === 1 ? 'row' : 'rows'
  return total.kind === 'estimated' ? `~${n} ${rows}` : `${n} ${rows}`
}

function cellKey(row: number, column: string): string {
  return `${row}:${column}`
}

/** The undo of the last edit: the rows it changed and what they held before. */
interface LastEdit {
  rows: { index: number; key: unknown; before: Row }[]
}

/** A row being added (or a duplicate), as the texts typed per column. */
interface Draft {
  values: Record<string, string>
  errors: Record<string, string>
}

/**
 * A spreadsheet-grade editor of one table's rows, on TanStack Table and TanStack Virtual: typed
 * headers with key, required and reference markers; multi-column sort (Shift+click); filter chips
 * with the engine's operators and and/or groups; quick search; column resize, hide and reorder
 * remembered per table; rows loaded by blocks as you scroll (100,000 rows scroll with a bounded
 * DOM); inline editing with engine errors shown at the cell; add, duplicate, multi-select and
 * delete with confirmation; copy and paste of TSV blocks in one write; undo of the last edit; a
 * full keyboard model and ARIA grid roles (`aria-rowcount` counts the header row as ARIA defines
 * it: 100,001 for 100,000 rows; `-1` while the total is unknown). Secret columns are never shown.
 *
 * ### Examples
 *
 * ```tsx
 * <BaseboxProvider client={client}>
 *   <TableEditor databaseId={databaseId} table="posts" density="compact" />
 * </BaseboxProvider>
 * ```
 */
export function TableEditor(props: TableEditorProps) {
  const { databaseId, table, countThreshold = 50_000, blockSize = 100, density = 'normal' } = props
  const definitionQuery = useTable(databaseId, table)
  const definition = definitionQuery.data?.definition
  const columnOptions = props.columns
  const allColumns = useMemo(
    () => (definition?.columns ?? []).filter((c) => c.secret !== true),
    [definition],
  )
  const primaryKey = definition?.columns.find((c) => c.primary_key === true)?.name
  // A required secret column without a default: whole-row upserts cannot carry it.
  const blindRequired =
    definition?.columns.some(
      (c) => c.secret === true && c.required === true && c.default === undefined,
    ) === true

  /* ---- Layout (remembered) ---- */
  const storage = props.storage === null ? undefined : (props.storage ?? defaultLayoutStorage())
  const storageKey = layoutKey(databaseId, table)
  const [layout, setLayout] = useState<ColumnLayout>(() => ({
    sizing: {},
    visibility: {},
    order: [],
  }))
  const [layoutLoadedFor, setLayoutLoadedFor] = useState<string | undefined>(undefined)
  useEffect(() => {
    setLayout(readLayout(storage, storageKey))
    setLayoutLoadedFor(storageKey)
    // The storage object itself may be a new literal on each render; the key is what matters.
  }, [storageKey])
  const changeLayout = useCallback(
    (change: (layout: ColumnLayout) => ColumnLayout) => {
      setLayout((previous) => {
        const next = change(previous)
        writeLayout(storage, storageKey, next)
        return next
      })
    },
    [storage, storageKey],
  )

  /* ---- Sort, filter, search ---- */
  const [sorting, setSorting] = useControllable<SortingState>(
    props.sorting,
    () => props.defaultSorting ?? [],
    props.onSortingChange,
  )
  const [filterGroup, setFilterGroup] = useControllable<FilterGroup>(
    props.filter,
    () => props.defaultFilter ?? emptyFilterGroup(),
    props.onFilterChange,
  )
  const [search, setSearch] = useControllable<string>(
    props.search,
    () => props.defaultSearch ?? '',
    props.onSearchChange,
  )
  const [debouncedSearch, setDebouncedSearch] = useState(search)
  useEffect(() => {
    const timer = setTimeout(() => setDebouncedSearch(search), 200)
    return () => clearTimeout(timer)
  }, [search])
  const filterResult = useMemo(
    () => groupToFilter(filterGroup, allColumns),
    [filterGroup, allColumns],
  )
  const [lastGoodFilter, setLastGoodFilter] = useState<Record<string, unknown>>({})
  useEffect(() => {
    if (filterResult.ok) {
      setLastGoodFilter(filterResult.filter)
    }
  }, [filterResult])
  const where = combineFilters(
    filterResult.ok ? filterResult.filter : lastGoodFilter,
    quickSearchFilter(debouncedSearch, allColumns),
  )
  const orderBy = useMemo(() => {
    const keys: OrderBy[] = sorting.map((s) => ({
      column: s.id,
      direction: s.desc ? 'desc' : 'asc',
    }))
    if (primaryKey !== undefined && !keys.some((k) => k.column === primaryKey)) {
      keys.push({ column: primaryKey, direction: 'asc' })
    }
    return keys
  }, [sorting, primaryKey])

  // `version` changes when blocks arrive; reading it re-renders the grid then.
  const { blocks, version: _blocksVersion } = useRowBlocks(
    databaseId,
    table,
    definition === undefined ? undefined : { ...(where !== undefined ? { where } : {}), orderBy },
    { blockSize, countThreshold },
  )
  const total = blocks?.getTotal() ?? { kind: 'unknown' as const, value: 0 }
  const started = blocks?.started === true
  const loadError = definitionQuery.error ?? blocks?.lastError

  /* ---- Columns (TanStack Table) ---- */
  const columnDefs = useMemo(
    () =>
      allColumns.map((column) =>
        columnHelper.accessor((row: Row) => row[column.name], {
          id: column.name,
          header: columnOptions?.[column.name]?.label ?? column.name,
          size: columnOptions?.[column.name]?.width ?? defaultWidth(column),
          minSize: 60,
          maxSize: 1200,
          sortDescFirst: false,
        }),
      ),
    [allColumns, columnOptions],
  )
  const grid = useTanstackTable({
    features,
    columns: columnDefs,
    data: NO_ROWS,
    manualSorting: true,
    enableMultiSort: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    state: {
      sorting,
      columnSizing: layout.sizing,
      columnVisibility: layout.visibility,
      columnOrder: layout.order,
    },
    onSortingChange: (updater) =>
      setSorting((previous) => (typeof updater === 'function' ? updater(previous) : updater)),
    onColumnSizingChange: (updater) =>
      changeLayout((l) => ({
        ...l,
        sizing: typeof updater === 'function' ? updater(l.sizing as ColumnSizingState) : updater,
      })),
    onColumnVisibilityChange: (updater) =>
      changeLayout((l) => ({
        ...l,
        visibility:
          typeof updater === 'function' ? updater(l.visibility as ColumnVisibilityState) : updater,
      })),
    onColumnOrderChange: (updater) =>
      changeLayout((l) => ({
        ...l,
        order: typeof updater === 'function' ? updater(l.order as ColumnOrderState) : updater,
      })),
  })
  const visibleColumns = grid.getVisibleLeafColumns()
  const shownColumns = useMemo(
    () =>
      visibleColumns
        .map((c) => allColumns.find((d) => d.name === c.id))
        .filter((c): c is ColumnDefinition => c !== undefined),
    // visibleColumns is a new array when order or visibility change
    [visibleColumns.map((c) => c.id).join('\u0000'), allColumns],
  )
  const totalWidth = grid.getTotalSize()

  /* ---- Write state ---- */
  const [forbidden, setForbidden] = useState(false)
  // The client says up front when the identity may change no row of the table (a read-only
  // owner): read-only from the start, with the reason shown. A write refused later (rules the
  // client did not report) still turns the grid read-only through `FORBIDDEN`.
  const permissions = definitionQuery.data?.permissions
  const mayNotWrite =
    permissions !== undefined && !permissions.insert && !permissions.update && !permissions.delete
  const readOnly =
    props.readOnly === true ||
    (definition !== undefined && primaryKey === undefined) ||
    forbidden ||
    mayNotWrite
  const update = useUpdateRows(databaseId, table)
  const upsert = useUpsertRows(databaseId, table)
  const insert = useInsertRows(databaseId, table)
  const remove = useDeleteRows(databaseId, table)
  const [cellErrors, setCellErrors] = useState<Map<string, string>>(() => new Map())
  const [banner, setBanner] = useState<string | undefined>(undefined)
  const [lastEdit, setLastEdit] = useState<LastEdit | undefined>(undefined)
  const [draft, setDraft] = useState<Draft | undefined>(undefined)

  /* ---- Selection ---- */
  const [selection, setSelection] = useState<CellSelection | undefined>(undefined)
  const [editing, setEditing] = useState<
    { row: number; col: number; initialInput?: string; value?: unknown } | undefined
  >(undefined)
  const [selectedRows, setSelectedRows] = useState<Map<string, unknown>>(() => new Map())
  const [allMatching, setAllMatching] = useState(false)
  const lastRowClick = useRef<number | undefined>(undefined)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const focusWanted = useRef(false)
  /** The row open in the side panel (by its key), and where it sits in the grid. */
  const [expanded, setExpanded] = useState<{ index: number; key: unknown } | undefined>(undefined)
  const rootRef = useRef<HTMLDivElement>(null)
  const theme = useResolvedTheme(rootRef, props.theme)
  const scope = useMemo(() => ({ theme, density }), [theme, density])

  // A new query (sort, filter, search) starts over: selections name rows by position.
  const queryText = JSON.stringify([where ?? null, orderBy])
  useEffect(() => {
    setSelectedRows(new Map())
    setAllMatching(false)
    setEditing(undefined)
    setCellErrors(new Map())
  }, [queryText])

  /* ---- Virtualization ---- */
  const scrollRef = useRef<HTMLDivElement>(null)
  const [rowHeight, setRowHeight] = useState<number>(ROW_HEIGHTS[density])
  useEffect(() => {
    const element = scrollRef.current
    if (element === null) {
      return
    }
    const measured = parseFloat(getComputedStyle(element).getPropertyValue('--bb-row-height'))
    setRowHeight(Number.isFinite(measured) && measured > 0 ? measured : ROW_HEIGHTS[density])
  }, [density])
  const headRows = 1 + (draft !== undefined ? 1 : 0)
  const rowCount = !started ? SKELETON_ROWS : total.value
  const rowVirtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    scrollPaddingStart: headRows * rowHeight,
  })
  useEffect(() => {
    rowVirtualizer.measure()
  }, [rowHeight, rowVirtualizer])
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: shownColumns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => visibleColumns[index]?.getSize() ?? 150,
    overscan: 3,
    scrollPaddingStart: GUTTER_WIDTH,
  })
  const sizingText = JSON.stringify(layout.sizing)
  useEffect(() => {
    columnVirtualizer.measure()
  }, [sizingText, shownColumns, columnVirtualizer])
  const virtualRows = rowVirtualizer.getVirtualItems()
  const virtualColumns = columnVirtualizer.getVirtualItems()
  const firstRow = virtualRows[0]?.index ?? 0
  const lastRow = (virtualRows[virtualRows.length - 1]?.index ?? 0) + 1
  useEffect(() => {
    if (started || blocks !== undefined) {
      blocks?.setViewport(firstRow, lastRow)
    }
  }, [blocks, started, firstRow, lastRow])
  const pageRows = Math.max(
    1,
    Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - headRows,
  )

  const getRow = useCallback((index: number) => blocks?.getRow(index), [blocks])

  /* ---- Focus ---- */
  useEffect(() => {
    if (!focusWanted.current || selection === undefined || editing !== undefined) {
      return
    }
    const cell = scrollRef.current?.querySelector<HTMLElement>(
      `[data-row="${selection.active.row}"][data-col="${selection.active.col}"]`,
    )
    if (cell !== null && cell !== undefined) {
      focusWanted.current = false
      cell.focus({ preventScroll: true })
    }
  })

  const activate = useCallback(
    (next: CellSelection, focus = true) => {
      setSelection(next)
      rowVirtualizer.scrollToIndex(next.active.row, { align: 'auto' })
      columnVirtualizer.scrollToIndex(next.active.col, { align: 'auto' })
      focusWanted.current = focus
    },
    [rowVirtualizer, columnVirtualizer],
  )

  // Keep a usable active cell once rows exist (roving tabindex needs one).
  const active = selection?.active
  const activeRow =
    active === undefined ? undefined : Math.min(active.row, Math.max(0, rowCount - 1))
  const activeCol =
    active === undefined ? undefined : Math.min(active.col, Math.max(0, shownColumns.length - 1))

  /* ---- Writes ---- */
  const handleWriteError = useCallback(
    (error: unknown, place: (row: number | undefined) => number | undefined, what: string) => {
      if (isBaseboxError(error) && error.code === 'FORBIDDEN') {
        setForbidden(true)
        setBanner(`${what} refused: ${error.message}. The table is read-only for you.`)
        // Nothing can be saved any more: close the editor, focus back on its cell.
        setEditing(undefined)
        focusWanted.current = true
        return
      }
      const next = new Map<string, string>()
      let general: string | undefined
      for (const problem of fieldErrors(error)) {
        const index = place(problem.row)
        if (problem.column !== undefined && index !== undefined) {
          next.set(cellKey(index, problem.column), problem.message)
        } else {
          general = problem.message
        }
      }
      setCellErrors(next)
      setBanner(
        general === undefined ? `${what} failed: nothing was saved.` : `${what} failed: ${general}`,
      )
    },
    [],
  )

  /** Writes patches to rows in ONE call: an update for one row, an upsert of full rows for more. */
  const writePatches = useCallback(
    async (patches: { index: number; row: Row; patch: Row }[], what: string): Promise<boolean> => {
      if (primaryKey === undefined || patches.length === 0) {
        return false
      }
      if (patches.length > 1 && blindRequired) {
        setBanner(
          `${what}: this table has a required hidden column, so only one row can be written at a time.`,
        )
        return false
      }
      setBanner(undefined)
      const before = patches.map(({ index, row, patch }) => ({
        index,
        key: row[primaryKey],
        before: Object.fromEntries(Object.keys(patch).map((name) => [name, row[name]])),
      }))
      try {
        if (patches.length === 1) {
          const only = patches[0]!
          await update.mutateAsync({
            where: { [primaryKey]: only.row[primaryKey] },
            patch: only.patch,
          })
        } else {
          await upsert.mutateAsync({
            rows: patches.map(({ row, patch }) => ({ ...row, ...patch })),
            options: { onConflict: primaryKey },
          })
        }
        setCellErrors(new Map())
        setLastEdit({ rows: before })
        return true
      } catch (error) {
        handleWriteError(
          error,
          (row) =>
            patches.length === 1
              ? patches[0]!.index
              : row === undefined
                ? undefined
                : patches[row]?.index,
          what,
        )
        return false
      }
    },
    [primaryKey, blindRequired, update, upsert, handleWriteError],
  )

  const undo = useCallback(async () => {
    if (lastEdit === undefined || primaryKey === undefined) {
      return
    }
    const patches = lastEdit.rows.map(({ index, key, before }) => {
      const cached = getRow(index)
      const row =
        cached !== undefined && String(cached[primaryKey]) === String(key)
          ? cached
          : { [primaryKey]: key }
      return { index, row, patch: before }
    })
    const ok = await writePatches(patches, 'Undo')
    if (ok) {
      setLastEdit(undefined)
    }
  }, [lastEdit, primaryKey, getRow, writePatches])

  const commitCell = useCallback(
    async (
      rowIndex: number,
      colIndex: number,
      value: unknown,
      move: 'down' | 'up' | 'right' | 'left' | 'none' = 'none',
    ) => {
      const column = shownColumns[colIndex]
      const row = getRow(rowIndex)
      if (column === undefined || row === undefined) {
        setEditing(undefined)
        return
      }
      const finish = () => {
        setEditing(undefined)
        const delta = { down: [1, 0], up: [-1, 0], right: [0, 1], left: [0, -1], none: [0, 0] }[
          move
        ]
        const next = {
          row: Math.max(0, Math.min(rowCount - 1, rowIndex + delta[0]!)),
          col: Math.max(0, Math.min(shownColumns.length - 1, colIndex + delta[1]!)),
        }
        activate({ active: next, anchor: next })
      }
      if (sameValue(row[column.name], value)) {
        finish()
        return
      }
      setEditing({ row: rowIndex, col: colIndex, value })
      const ok = await writePatches(
        [{ index: rowIndex, row, patch: { [column.name]: value } }],
        'Saving the cell',
      )
      if (ok) {
        finish()
      }
    },
    [shownColumns, getRow, rowCount, activate, writePatches],
  )

  const clearCells = useCallback(async () => {
    if (selection === undefined || readOnly) {
      return
    }
    const range = selectionRange(selection)
    const patches: { index: number; row: Row; patch: Row }[] = []
    let skipped = 0
    for (let r = range.top; r <= range.bottom; r++) {
      const row = getRow(r)
      if (row === undefined) {
        continue
      }
      const patch: Row = {}
      for (let c = range.left; c <= range.right; c++) {
        const column = shownColumns[c]
        if (column === undefined) {
          continue
        }
        if (column.required === true || column.primary_key === true) {
          skipped += 1
        } else if (row[column.name] !== null) {
          patch[column.name] = null
        }
      }
      if (Object.keys(patch).length > 0) {
        patches.push({ index: r, row, patch })
      }
    }
    if (patches.length > 1 && blindRequired) {
      setBanner(
        'Nothing cleared: this table has a required hidden column, so rows can only be cleared one at a time.',
      )
      return
    }
    if (patches.length > 0) {
      await writePatches(patches, 'Clearing')
    }
    if (skipped > 0) {
      setBanner(
        `${skipped} required cell${skipped === 1 ? '' : 's'} kept (a required column cannot be empty).`,
      )
    }
  }, [selection, readOnly, getRow, shownColumns, writePatches, blindRequired])

  /* ---- Draft row (add, duplicate) ---- */
  const startDraft = useCallback(
    (from?: Row) => {
      const values: Record<string, string> = {}
      if (from !== undefined) {
        for (const column of allColumns) {
          const generated = toDefaultFunction(column.default) !== undefined
          if (column.primary_key === true || column.unique === true || generated) {
            continue
          }
          values[column.name] = formatValue(column, from[column.name])
        }
      }
      setDraft({ values, errors: {} })
      setBanner(undefined)
    },
    [allColumns],
  )

  const saveDraft = useCallback(async () => {
    if (draft === undefined) {
      return
    }
    const row: Row = {}
    const errors: Record<string, string> = {}
    for (const column of allColumns) {
      const text = draft.values[column.name] ?? ''
      if (text === '' && (column.default !== undefined || column.required !== true)) {
        continue
      }
      const parsed = parseInput(column, text)
      if (parsed.ok) {
        row[column.name] = parsed.value
      } else {
        errors[column.name] = parsed.message
      }
    }
    if (Object.keys(errors).length > 0) {
      setDraft({ ...draft, errors })
      return
    }
    try {
      await insert.mutateAsync({ rows: row })
      setDraft(undefined)
      setBanner(undefined)
      const first = { row: 0, col: 0 }
      activate({ active: first, anchor: first })
    } catch (error) {
      if (isBaseboxError(error) && error.code === 'FORBIDDEN') {
        handleWriteError(error, () => undefined, 'Adding the row')
        setDraft(undefined)
        return
      }
      const next: Record<string, string> = {}
      let general: string | undefined
      for (const problem of fieldErrors(error)) {
        if (problem.column !== undefined) {
          next[problem.column] = problem.message
        } else {
          general = problem.message
        }
      }
      setDraft({ ...draft, errors: next })
      setBanner(general === undefined ? undefined : `Adding the row failed: ${general}`)
    }
  }, [draft, allColumns, insert, activate, handleWriteError])

  /* ---- Delete ---- */
  const deleteCount = allMatching ? total.value : selectedRows.size
  const confirmDeletion = useCallback(async () => {
    if (primaryKey === undefined) {
      return
    }
    setConfirmDelete(false)
    try {
      if (allMatching) {
        await remove.mutateAsync({ where: where ?? {}, options: { all: where === undefined } })
      } else {
        await remove.mutateAsync({ where: { [primaryKey]: { in: [...selectedRows.values()] } } })
      }
      setSelectedRows(new Map())
      setAllMatching(false)
      setLastEdit(undefined)
      setBanner(undefined)
    } catch (error) {
      handleWriteError(error, () => undefined, 'Deleting')
    }
  }, [primaryKey, allMatching, remove, where, selectedRows, handleWriteError])

  /* ---- Row selection ---- */
  const onRowHeaderClick = useCallback(
    (index: number, event: MouseEvent) => {
      const row = getRow(index)
      if (row === undefined || primaryKey === undefined) {
        return
      }
      const key = String(row[primaryKey])
      setAllMatching(false)
      if (event.shiftKey && lastRowClick.current !== undefined) {
        const from = Math.min(index, lastRowClick.current)
        const to = Math.max(index, lastRowClick.current)
        const keys: string[] = []
        const values = new Map<string, unknown>()
        for (let i = from; i <= to; i++) {
          const r = getRow(i)
          if (r !== undefined) {
            keys[i] = String(r[primaryKey])
            values.set(String(r[primaryKey]), r[primaryKey])
          }
        }
        const chosen = toggleRowSelection(
          new Set(selectedRows.keys()),
          keys,
          index,
          lastRowClick.current,
          true,
        )
        setSelectedRows(new Map([...chosen].map((k) => [k, selectedRows.get(k) ?? values.get(k)])))
      } else if (
        event.ctrlKey ||
        event.metaKey ||
        (event.target as HTMLElement).tagName === 'INPUT'
      ) {
        const next = new Map(selectedRows)
        if (next.has(key)) {
          next.delete(key)
        } else {
          next.set(key, row[primaryKey])
        }
        setSelectedRows(next)
      } else {
        setSelectedRows(new Map([[key, row[primaryKey]]]))
      }
      lastRowClick.current = index
    },
    [getRow, primaryKey, selectedRows],
  )

  /* ---- Keyboard ---- */
  const startEditing = useCallback(
    (row: number, col: number, initialInput?: string) => {
      if (readOnly || getRow(row) === undefined || shownColumns[col] === undefined) {
        return
      }
      setEditing({ row, col, ...(initialInput !== undefined ? { initialInput } : {}) })
    },
    [readOnly, getRow, shownColumns],
  )

  const onGridKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (editing !== undefined || draft !== undefined) {
      return
    }
    const target = event.target as HTMLElement
    if (target.closest('[data-col]') === null || selection === undefined) {
      return
    }
    const mod = event.ctrlKey || event.metaKey
    if (mod && (event.key === 'z' || event.key === 'Z')) {
      event.preventDefault()
      void undo()
      return
    }
    if (mod && (event.key === 'c' || event.key === 'v' || event.key === 'x')) {
      return // the copy and paste events do the work
    }
    const { row, col } = selection.active
    if (event.key === 'Enter' && event.altKey) {
      const found = getRow(row)
      event.preventDefault()
      if (found !== undefined && canExpand) {
        expand(row, found)
      }
      return
    }
    if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault()
      startEditing(row, col)
      return
    }
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault()
      void clearCells()
      return
    }
    if (event.key === 'Escape') {
      setSelection({ active: selection.active, anchor: selection.active })
      return
    }
    if (event.key.length === 1 && !mod && !event.altKey) {
      event.preventDefault()
      startEditing(row, col, event.key)
      return
    }
    const next = moveSelection(selection, event, {
      rows: rowCount,
      cols: shownColumns.length,
      pageRows,
    })
    if (next === undefined) {
      return
    }
    if (event.key === 'Tab' && next.active.row === row && next.active.col === col) {
      return // at the grid's edge Tab leaves it
    }
    event.preventDefault()
    activate(next)
  }

  /* ---- Clipboard ---- */
  const onCopy = (event: ClipboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement
    if (editing !== undefined || target.closest('input, textarea') !== null) {
      return
    }
    let text: string
    if (
      target.closest('[data-slot="table-editor-row-header"]') !== null &&
      selectedRows.size > 0 &&
      primaryKey !== undefined
    ) {
      const rows =
        blocks?.loadedRows().filter(({ row }) => selectedRows.has(String(row[primaryKey]))) ?? []
      text = rows
        .map(({ index }) =>
          copyRange(
            { top: index, bottom: index, left: 0, right: shownColumns.length - 1 },
            shownColumns,
            getRow,
          ),
        )
        .join('\n')
    } else if (selection !== undefined) {
      text = copyRange(selectionRange(selection), shownColumns, getRow)
    } else {
      return
    }
    event.clipboardData.setData('text/plain', text)
    event.preventDefault()
  }

  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement
    if (
      editing !== undefined ||
      target.closest('input, textarea') !== null ||
      selection === undefined ||
      primaryKey === undefined
    ) {
      return
    }
    event.preventDefault()
    if (readOnly) {
      return
    }
    const range = selectionRange(selection)
    const result = planPaste(
      event.clipboardData.getData('text/plain'),
      { row: range.top, col: range.left },
      shownColumns,
      getRow,
      primaryKey,
    )
    if (!result.ok) {
      setCellErrors(new Map(result.problems.map((p) => [cellKey(p.row, p.column), p.message])))
      setBanner(
        `Nothing pasted: ${result.problems.length} cell${result.problems.length === 1 ? ' has an error' : 's have errors'}.`,
      )
      return
    }
    const { plan } = result
    if (plan.rows.length === 0) {
      return
    }
    if (plan.rows.length > 1 && blindRequired) {
      // One atomic write of several rows is an upsert of whole rows, and a required secret
      // column (never read, so never in the cached rows) makes the engine refuse it.
      setBanner(
        'Nothing pasted: this table has a required hidden column, so rows can only be pasted one at a time.',
      )
      return
    }
    if (plan.rows.length === 1) {
      const index = plan.indexes[0]!
      const patch = Object.fromEntries(
        Object.keys(plan.before[0]!).map((name) => [name, plan.rows[0]![name]]),
      )
      void writePatches([{ index, row: getRow(index)!, patch }], 'Paste')
      return
    }
    void (async () => {
      setBanner(undefined)
      try {
        await upsert.mutateAsync({ rows: plan.rows, options: { onConflict: primaryKey } })
        setCellErrors(new Map())
        setLastEdit({
          rows: plan.indexes.map((index, i) => ({
            index,
            key: plan.rows[i]![primaryKey],
            before: plan.before[i]!,
          })),
        })
      } catch (error) {
        handleWriteError(
          error,
          (row) => (row === undefined ? undefined : plan.indexes[row]),
          'Paste',
        )
      }
    })()
  }

  /* ---- Render ---- */
  const range = selection === undefined ? undefined : selectionRange(selection)
  const headerGroups = grid.getHeaderGroups()
  const headers = headerGroups[0]?.headers ?? []
  const rowTop = headRows * rowHeight
  const style: CSSProperties = {
    ...(props.height !== undefined
      ? {
          ['--bb-table-editor-height' as string]:
            typeof props.height === 'number' ? `${props.height}px` : props.height,
        }
      : {}),
  }
  const colStyle = (index: number): CSSProperties => {
    const column = visibleColumns[index]
    return {
      position: 'absolute',
      top: 0,
      left: GUTTER_WIDTH + (column?.getStart() ?? 0),
      width: column?.getSize() ?? 150,
      height: rowHeight,
    }
  }

  let body: ReactNode
  if (loadError !== undefined && loadError !== null) {
    body = (
      <div className="bb-te-state" data-slot="table-editor-error" role="alert">
        <p>{loadError instanceof Error ? loadError.message : String(loadError)}</p>
        <button
          type="button"
          className="bb-te-button"
          onClick={() => {
            if (definitionQuery.error !== null) {
              void definitionQuery.refetch()
            }
            blocks?.retry()
          }}
        >
          Retry
        </button>
      </div>
    )
  }

  const isEmpty = started && total.kind === 'exact' && total.value === 0 && draft === undefined
  const onExpandRow = props.onExpandRow
  const canExpand = onExpandRow !== undefined || primaryKey !== undefined
  const expand = (index: number, row: Row) => {
    if (onExpandRow !== undefined) {
      onExpandRow(row)
    } else if (primaryKey !== undefined) {
      setExpanded({ index, key: row[primaryKey] })
    }
  }

  const gridRows = virtualRows.map((virtualRow) => {
    const index = virtualRow.index
    const row = started ? getRow(index) : undefined
    const key = row !== undefined && primaryKey !== undefined ? String(row[primaryKey]) : undefined
    const rowSelected = allMatching || (key !== undefined && selectedRows.has(key))
    return (
      <div
        key={index}
        role="row"
        aria-rowindex={index + headRows + 1}
        aria-selected={rowSelected}
        className="bb-te-tr"
        data-slot="table-editor-row"
        data-state={row === undefined ? 'loading' : rowSelected ? 'selected' : undefined}
        style={{
          position: 'absolute',
          top: 0,
          left: 0,
          width: GUTTER_WIDTH + totalWidth,
          height: rowHeight,
          transform: `translateY(${virtualRow.start + rowTop}px)`,
        }}
      >
        <div
          role="rowheader"
          aria-colindex={1}
          className="bb-te-row-header"
          data-slot="table-editor-row-header"
          style={{ position: 'sticky', left: 0, width: GUTTER_WIDTH, height: rowHeight }}
          onClick={(event) => onRowHeaderClick(index, event)}
        >
          {row !== undefined ? (
            <>
              <input
                type="checkbox"
                className="bb-te-row-check"
                tabIndex={-1}
                aria-label={`Select row ${index + 1}`}
                checked={rowSelected}
                readOnly
              />
              <span className="bb-te-row-number">{index + 1}</span>
              {canExpand ? (
                <button
                  type="button"
                  className="bb-te-expand"
                  data-slot="table-editor-expand-row"
                  tabIndex={-1}
                  aria-label={`Expand row ${index + 1}`}
                  onClick={(event) => {
                    event.stopPropagation()
                    expand(index, row)
                  }}
                >
                  ⤢
                </button>
              ) : null}
            </>
          ) : (
            <span className="bb-te-skeleton" />
          )}
        </div>
        {virtualColumns.map((virtualColumn) => {
          const col = virtualColumn.index
          const column = shownColumns[col]
          if (column === undefined) {
            return null
          }
          const isActive = activeRow === index && activeCol === col
          const selected = range !== undefined && inRange(range, index, col)
          const error = cellErrors.get(cellKey(index, column.name))
          const isEditing =
            editing !== undefined &&
            editing.row === index &&
            editing.col === col &&
            row !== undefined
          const options = columnOptions?.[column.name]
          let content: ReactNode
          if (row === undefined) {
            content = <span className="bb-te-skeleton" />
          } else if (isEditing) {
            const Editor = options?.editor ?? editorFor(column)
            content = (
              <Editor
                databaseId={databaseId}
                column={column}
                value={editing.value !== undefined ? editing.value : row[column.name]}
                variant="cell"
                {...(editing.initialInput !== undefined
                  ? { initialInput: editing.initialInput }
                  : {})}
                {...(error !== undefined ? { error } : {})}
                {...(props.referenceLabel !== undefined
                  ? { referenceLabel: props.referenceLabel }
                  : {})}
                onCommit={(value, move) => void commitCell(index, col, value, move)}
                onCancel={() => {
                  setEditing(undefined)
                  setCellErrors(new Map())
                  activate({ active: { row: index, col }, anchor: { row: index, col } })
                }}
              />
            )
          } else {
            const value = row[column.name]
            const text = formatValue(column, value)
            content =
              options?.renderCell !== undefined ? (
                options.renderCell({ value, text, row, column, rowIndex: index })
              ) : column.references !== undefined ? (
                <ReferenceLabel
                  databaseId={databaseId}
                  column={column}
                  value={value}
                  className="bb-te-cell-text"
                  {...(props.referenceLabel !== undefined
                    ? { referenceLabel: props.referenceLabel }
                    : {})}
                />
              ) : (
                <span className="bb-te-cell-text">{renderValue(column, value)}</span>
              )
          }
          return (
            <div
              key={column.name}
              role="gridcell"
              aria-colindex={col + 2}
              aria-selected={selected}
              aria-invalid={error !== undefined ? true : undefined}
              aria-readonly={readOnly ? true : undefined}
              tabIndex={isActive ? 0 : -1}
              className="bb-te-td"
              data-slot="table-editor-cell"
              data-row={index}
              data-col={col}
              data-column={column.name}
              data-type={column.type}
              data-state={
                isEditing ? 'editing' : isActive ? 'active' : selected ? 'selected' : undefined
              }
              data-invalid={error !== undefined ? '' : undefined}
              title={error}
              style={colStyle(col)}
              onMouseDown={(event) => {
                if (isEditing || row === undefined) {
                  return
                }
                const next = clickSelection(selection, { row: index, col }, event.shiftKey)
                setSelection(next)
                focusWanted.current = true
              }}
              onDoubleClick={() => startEditing(index, col)}
            >
              {content}
              {error !== undefined && !isEditing ? (
                <span className="bb-te-cell-error" role="alert" data-slot="table-editor-cell-error">
                  {error}
                </span>
              ) : null}
            </div>
          )
        })}
      </div>
    )
  })

  const draftRow =
    draft === undefined ? null : (
      <div
        role="row"
        aria-rowindex={2}
        className="bb-te-tr bb-te-draft"
        data-slot="table-editor-draft-row"
        style={{
          position: 'sticky',
          top: rowHeight,
          zIndex: 2,
          width: GUTTER_WIDTH + totalWidth,
          height: rowHeight,
        }}
      >
        <div
          role="rowheader"
          aria-colindex={1}
          className="bb-te-row-header"
          style={{ position: 'sticky', left: 0, width: GUTTER_WIDTH, height: rowHeight }}
        >
          <button
            type="button"
            className="bb-te-expand"
            aria-label="Save the new row"
            onClick={() => void saveDraft()}
          >
            ✓
          </button>
          <button
            type="button"
            className="bb-te-expand"
            aria-label="Discard the new row"
            onClick={() => setDraft(undefined)}
          >
            ×
          </button>
        </div>
        {shownColumns.map((column, col) => {
          const error = draft.errors[column.name]
          const generated =
            column.default !== undefined
              ? `default ${String(column.default)}`
              : column.required === true
                ? 'required'
                : 'NULL'
          return (
            <div
              key={column.name}
              role="gridcell"
              aria-colindex={col + 2}
              className="bb-te-td"
              data-slot="table-editor-draft-cell"
              data-invalid={error !== undefined ? '' : undefined}
              style={colStyle(col)}
            >
              <input
                className="bb-te-editor-input"
                aria-label={`New ${column.name}`}
                aria-invalid={error !== undefined}
                placeholder={generated}
                autoFocus={col === 0}
                value={draft.values[column.name] ?? ''}
                onChange={(event) => {
                  const errors = { ...draft.errors }
                  delete errors[column.name]
                  setDraft({
                    values: { ...draft.values, [column.name]: event.target.value },
                    errors,
                  })
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault()
                    void saveDraft()
                  } else if (event.key === 'Escape') {
                    event.preventDefault()
                    setDraft(undefined)
                  }
                }}
              />
              {error !== undefined ? (
                <span className="bb-te-cell-error" role="alert" data-slot="table-editor-cell-error">
                  {error}
                </span>
              ) : null}
            </div>
          )
        })}
      </div>
    )

  const layoutReady = layoutLoadedFor === storageKey
  return (
    <ThemeScope value={scope}>
      <div
        ref={rootRef}
        className={['bb-root', 'bb-table-editor', props.className].filter(Boolean).join(' ')}
        data-slot="table-editor"
        data-theme={props.theme}
        data-density={density}
        data-state={loadError ? 'error' : !started ? 'loading' : isEmpty ? 'empty' : 'ready'}
        data-readonly={readOnly ? '' : undefined}
        style={style}
      >
        <Toolbar
          columns={allColumns}
          filter={filterGroup}
          problems={filterResult.ok ? [] : filterResult.problems}
          onFilterChange={setFilterGroup}
          search={search}
          onSearchChange={setSearch}
          hasTextColumns={allColumns.some((c) => c.type === 'text')}
          totalLabel={totalLabel(total)}
          readOnly={readOnly}
          selectedCount={selectedRows.size}
          allMatching={allMatching}
          onSelectAllMatching={() => setAllMatching(true)}
          onClearSelection={() => {
            setSelectedRows(new Map())
            setAllMatching(false)
          }}
          onAddRow={() => startDraft()}
          onDuplicate={
            selectedRows.size === 1 && primaryKey !== undefined
              ? () => {
                  const key = [...selectedRows.keys()][0]
                  const found = blocks
                    ?.loadedRows()
                    .find(({ row }) => String(row[primaryKey]) === key)
                  startDraft(found?.row)
                }
              : undefined
          }
          onDelete={() => setConfirmDelete(true)}
          onUndo={lastEdit !== undefined ? () => void undo() : undefined}
          hidden={grid.getAllLeafColumns().map((c) => ({
            name: c.id,
            label: columnOptions?.[c.id]?.label ?? c.id,
            visible: c.getIsVisible(),
          }))}
          onToggleColumn={(name, visible) => grid.getColumn(name)?.toggleVisibility(visible)}
        />
        {mayNotWrite && banner === undefined && props.readOnly !== true ? (
          <div className="bb-te-banner" role="status" data-slot="table-editor-message">
            <span>Read-only: you may not change the rows of this table.</span>
          </div>
        ) : null}
        {banner !== undefined ? (
          <div className="bb-te-banner" role="alert" data-slot="table-editor-message">
            <span>{banner}</span>
            <button
              type="button"
              className="bb-te-button"
              aria-label="Dismiss"
              onClick={() => setBanner(undefined)}
            >
              ×
            </button>
          </div>
        ) : null}
        {body ?? (
          <div
            ref={scrollRef}
            role="grid"
            aria-label={table}
            aria-rowcount={total.kind === 'unknown' ? -1 : total.value + headRows}
            aria-colcount={shownColumns.length + 1}
            aria-readonly={readOnly ? true : undefined}
            aria-multiselectable
            aria-busy={!started}
            className="bb-te-grid"
            data-slot="table-editor-grid"
            data-layout={layoutReady ? 'ready' : 'default'}
            tabIndex={selection === undefined || !started || rowCount === 0 ? 0 : -1}
            onKeyDown={onGridKeyDown}
            onFocus={(event) => {
              if (
                event.target === scrollRef.current &&
                selection === undefined &&
                started &&
                rowCount > 0 &&
                shownColumns.length > 0
              ) {
                activate({ active: { row: 0, col: 0 }, anchor: { row: 0, col: 0 } })
              }
            }}
            onCopy={onCopy}
            onPaste={onPaste}
          >
            <div
              style={{
                position: 'relative',
                height: rowTop + rowVirtualizer.getTotalSize(),
                width: GUTTER_WIDTH + totalWidth,
              }}
            >
              <div
                role="rowgroup"
                className="bb-te-head"
                data-slot="table-editor-head"
                style={{ position: 'sticky', top: 0, zIndex: 3, height: rowTop }}
              >
                <div
                  role="row"
                  aria-rowindex={1}
                  className="bb-te-tr bb-te-header-row"
                  style={{
                    position: 'relative',
                    width: GUTTER_WIDTH + totalWidth,
                    height: rowHeight,
                  }}
                >
                  <div
                    role="columnheader"
                    aria-colindex={1}
                    className="bb-te-th bb-te-corner"
                    style={{
                      position: 'sticky',
                      left: 0,
                      zIndex: 1,
                      width: GUTTER_WIDTH,
                      height: rowHeight,
                    }}
                  >
                    <span className="bb-te-visually-hidden">Row</span>
                  </div>
                  {virtualColumns.map((virtualColumn) => {
                    const header = headers[virtualColumn.index]
                    const column = shownColumns[virtualColumn.index]
                    if (header === undefined || column === undefined) {
                      return null
                    }
                    const tanColumn = header.column
                    const sort = tanColumn.getIsSorted()
                    const allNames = allColumns.map((c) => c.name)
                    return (
                      <HeaderCell
                        key={column.name}
                        column={column}
                        label={columnOptions?.[column.name]?.label ?? column.name}
                        colIndex={virtualColumn.index + 2}
                        style={colStyle(virtualColumn.index)}
                        sort={sort}
                        sortIndex={tanColumn.getSortIndex()}
                        sortCount={sorting.length}
                        canSort
                        onSort={(event) => tanColumn.getToggleSortingHandler()?.(event)}
                        onSortTo={(direction) =>
                          setSorting((previous) =>
                            direction === false
                              ? previous.filter((s) => s.id !== column.name)
                              : [{ id: column.name, desc: direction === 'desc' }],
                          )
                        }
                        onHide={() => tanColumn.toggleVisibility(false)}
                        onMove={(delta) =>
                          changeLayout((l) => ({
                            ...l,
                            order: moveColumn(l.order, allNames, column.name, delta),
                          }))
                        }
                        canMoveLeft={virtualColumn.index > 0}
                        canMoveRight={virtualColumn.index < shownColumns.length - 1}
                        onResizeStart={(event) => header.getResizeHandler()(event)}
                        onResetSize={() => tanColumn.resetSize()}
                        resizing={tanColumn.getIsResizing()}
                      />
                    )
                  })}
                </div>
                {draftRow}
              </div>
              {isEmpty ? (
                <div
                  className="bb-te-state"
                  data-slot="table-editor-empty"
                  style={{ position: 'sticky', left: 0 }}
                >
                  <p>{where !== undefined ? 'No rows match.' : 'This table has no rows yet.'}</p>
                  {!readOnly && where === undefined ? (
                    <button
                      type="button"
                      className="bb-te-button"
                      data-variant="primary"
                      onClick={() => startDraft()}
                    >
                      Add the first row
                    </button>
                  ) : null}
                </div>
              ) : (
                <div role="rowgroup" data-slot="table-editor-body">
                  {gridRows}
                </div>
              )}
            </div>
          </div>
        )}
        <Dialog.Root open={confirmDelete} onOpenChange={setConfirmDelete}>
          <Dialog.Portal>
            <Dialog.Overlay className="bb-root bb-te-overlay" data-theme={theme} />
            <Dialog.Content
              className="bb-root bb-te-dialog"
              data-slot="table-editor-delete-dialog"
              data-theme={theme}
              data-density={density}
            >
              <Dialog.Title className="bb-te-dialog-title">
                {allMatching && total.kind === 'estimated'
                  ? `Delete about ${deleteCount.toLocaleString('en-US')} rows?`
                  : `Delete ${deleteCount.toLocaleString('en-US')} ${deleteCount === 1 ? 'row' : 'rows'}?`}
              </Dialog.Title>
              <Dialog.Description className="bb-te-dialog-text">
                {allMatching ? 'Every row matching the current filter and search is deleted. ' : ''}
                This cannot be undone.
              </Dialog.Description>
              <div className="bb-te-actions">
                <Dialog.Close className="bb-te-button">Cancel</Dialog.Close>
                <button
                  type="button"
                  className="bb-te-button"
                  data-variant="danger"
                  onClick={() => void confirmDeletion()}
                >
                  Delete
                </button>
              </div>
            </Dialog.Content>
          </Dialog.Portal>
        </Dialog.Root>
        {expanded !== undefined ? (
          <RecordFormPanel
            databaseId={databaseId}
            table={table}
            recordId={expanded.key}
            open
            onOpenChange={(open) => {
              if (!open) {
                setExpanded(undefined)
              }
            }}
            readOnly={readOnly}
            density={density}
            {...(theme !== undefined ? { theme } : {})}
            {...(props.referenceLabel !== undefined
              ? { referenceLabel: props.referenceLabel }
              : {})}
            onCloseAutoFocus={(event) => {
              // Back to the row's cell, not to the (unfocusable) expand button.
              event.preventDefault()
              const at = { row: expanded.index, col: activeCol ?? 0 }
              activate({ active: at, anchor: at })
            }}
          />
        ) : null}
      </div>
    </ThemeScope>
  )
}
