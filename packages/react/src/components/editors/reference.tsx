'use client'
import type { BaseboxClient, ColumnDefinition, Filter, TableDefinition } from '@basebox/client'
import { useQuery } from '@tanstack/react-query'
import { Popover } from 'radix-ui'
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { useTable } from '../../hooks/use-tables.js'
import { useRows } from '../../hooks/use-rows.js'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'
import { baseboxQueryOptions } from '../../query/options.js'
import { parseInput } from '../../values/values.js'
import type { CellEditorProps, CommitMove } from './types.js'
import { ErrorText } from './error-text.js'
import { cx, errorId } from './shared.js'
import { usePortalTheme } from './theme-scope.js'

type Row = Record<string, unknown>

/** A host's label of a referenced row: see `TableEditor`'s and `RecordForm`'s `referenceLabel`. */
export type ReferenceLabelFn = (row: Row, table: string) => string

/** The most rows the reference picker lists for one search. */
export const REFERENCE_SEARCH_LIMIT = 20

/**
 * The readable label of a referenced row: the host's `referenceLabel(row, table)` if given, else
 * its first non-secret text column that holds text, else the referenced column's value (the id).
 */
export function referenceRowLabel(
  row: Row,
  table: string,
  definition: TableDefinition | undefined,
  referencedColumn: string,
  referenceLabel?: ReferenceLabelFn,
): string {
  if (referenceLabel !== undefined) {
    return referenceLabel(row, table)
  }
  const text = definition?.columns.find(
    (column) =>
      column.type === 'text' &&
      column.secret !== true &&
      typeof row[column.name] === 'string' &&
      row[column.name] !== '',
  )
  if (text !== undefined) {
    return String(row[text.name])
  }
  const id = row[referencedColumn]
  return id === null || id === undefined ? '' : String(id)
}

/* ---- Batched lookups: one `in` query per referenced table and tick ---- */

interface Waiter {
  resolve: (row: Row | null) => void
  reject: (error: unknown) => void
}

interface Batch {
  waiting: Map<string, { value: unknown; waiters: Waiter[] }>
  scheduled: boolean
}

const batches = new WeakMap<BaseboxClient, Map<string, Batch>>()

/**
 * Loads the row of `table` whose `column` is `value`, together with every other lookup of the same
 * table started in the same tick: one `selectRows` with an `in` filter for all of them. Resolves to
 * `null` when no row has that value.
 */
export function loadReferencedRow(
  client: BaseboxClient,
  databaseId: string,
  table: string,
  column: string,
  value: unknown,
): Promise<Row | null> {
  let perClient = batches.get(client)
  if (perClient === undefined) {
    perClient = new Map()
    batches.set(client, perClient)
  }
  const key = JSON.stringify([databaseId, table, column])
  let batch = perClient.get(key)
  if (batch === undefined) {
    batch = { waiting: new Map(), scheduled: false }
    perClient.set(key, batch)
  }
  const current = batch
  return new Promise<Row | null>((resolve, reject) => {
    const id = JSON.stringify(value)
    const entry = current.waiting.get(id) ?? { value, waiters: [] }
    entry.waiters.push({ resolve, reject })
    current.waiting.set(id, entry)
    if (!current.scheduled) {
      current.scheduled = true
      setTimeout(() => {
        const taken = new Map(current.waiting)
        current.waiting.clear()
        current.scheduled = false
        const values = [...taken.values()].map((item) => item.value)
        client
          .selectRows(databaseId, table, {
            where: { [column]: { in: values } },
            limit: Math.min(1000, values.length),
          })
          .then(({ rows }) => {
            const byId = new Map(rows.map((row) => [JSON.stringify(row[column]), row]))
            for (const [found, item] of taken) {
              const row = byId.get(found) ?? null
              item.waiters.forEach((waiter) => waiter.resolve(row))
            }
          })
          .catch((error: unknown) =>
            taken.forEach((item) => item.waiters.forEach((waiter) => waiter.reject(error))),
          )
      }, 0)
    }
  })
}

/**
 * The readable label of the row a reference column's `value` points to (see
 * {@link referenceRowLabel}), looked up in batches (one `in` query per referenced table). `label`
 * is `undefined` while loading and for `null`; a dangling id gives the id itself.
 */
export function useReferenceLabel(
  databaseId: string,
  column: Pick<ColumnDefinition, 'references'>,
  value: unknown,
  referenceLabel?: ReferenceLabelFn,
): { label: string | undefined; row: Row | null | undefined; isLoading: boolean } {
  const client = useBaseboxClient()
  const reference = column.references
  const table = reference?.table ?? ''
  const referenced = reference?.column ?? 'id'
  const enabled = reference !== undefined && value !== null && value !== undefined
  const definition = useQuery({
    ...baseboxQueryOptions.table(client, databaseId, table),
    enabled: reference !== undefined,
  })
  const row = useQuery({
    queryKey: [...baseboxKeys.rows(databaseId, table), 'label', referenced, value] as const,
    queryFn: () => loadReferencedRow(client, databaseId, table, referenced, value),
    enabled,
    staleTime: 30_000,
  })
  if (!enabled) {
    return { label: undefined, row: enabled ? undefined : null, isLoading: false }
  }
  if (row.data === undefined || (definition.isLoading && referenceLabel === undefined)) {
    return {
      label: row.isError ? String(value) : undefined,
      row: undefined,
      isLoading: row.isLoading,
    }
  }
  if (row.data === null) {
    return { label: String(value), row: null, isLoading: false }
  }
  return {
    label: referenceRowLabel(
      row.data,
      table,
      definition.data?.definition,
      referenced,
      referenceLabel,
    ),
    row: row.data,
    isLoading: false,
  }
}

/** The props of {@link ReferenceLabel}. */
export interface ReferenceLabelProps {
  databaseId: string
  /** The reference column. */
  column: Pick<ColumnDefinition, 'references' | 'name'>
  /** The id it holds. */
  value: unknown
  /** A host-given label of the referenced row. Default is the first text column, else the id. */
  referenceLabel?: ReferenceLabelFn
  className?: string
}

/**
 * A reference cell's content: the referenced row's readable label (the id while it loads, and
 * a muted "NULL" for none), with the id in its `title`.
 */
export function ReferenceLabel({
  databaseId,
  column,
  value,
  referenceLabel,
  className,
}: ReferenceLabelProps) {
  const { label, isLoading } = useReferenceLabel(databaseId, column, value, referenceLabel)
  if (value === null || value === undefined) {
    return (
      <span
        className={cx('bb-value-null', className)}
        data-slot="reference-label"
        data-state="null"
      >
        NULL
      </span>
    )
  }
  return (
    <span
      className={cx('bb-reference-label', className)}
      data-slot="reference-label"
      data-state={isLoading ? 'loading' : 'ready'}
      title={`${column.references?.table ?? ''} ${String(value)}`}
    >
      {label ?? String(value)}
    </span>
  )
}

/* ---- The picker ---- */

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The filter the reference picker searches with: `ilike` over the text columns, or the id. @internal */
export function referenceSearchFilter(
  definition: TableDefinition | undefined,
  referenced: string,
  query: string,
): Filter | undefined {
  const q = query.trim()
  if (q === '' || definition === undefined) {
    return undefined
  }
  const or: Filter[] = definition.columns
    .filter((column) => column.type === 'text' && column.secret !== true)
    .map((column) => ({ [column.name]: { ilike: `%${escapeLike(q)}%` } }))
  const idColumn = definition.columns.find((column) => column.name === referenced)
  if (idColumn !== undefined && idColumn.type !== 'text') {
    const parsed = parseInput({ type: idColumn.type, required: true }, q)
    if (parsed.ok) {
      or.push({ [referenced]: parsed.value })
    }
  }
  return or.length === 0 ? { [referenced]: { is: null } } : { or }
}

/**
 * The editor of a reference column: a search over the referenced table (its text columns, or
 * the id), up to {@link REFERENCE_SEARCH_LIMIT} rows in a listbox with arrow keys, Enter picks.
 * It commits the referenced column's value (the id) and shows the readable label.
 */
export function ReferenceEditor(props: CellEditorProps) {
  const portalTheme = usePortalTheme()
  const {
    databaseId,
    column,
    value,
    variant,
    readOnly,
    onCommit,
    onCancel,
    initialInput,
    id,
    referenceLabel,
  } = props
  const reference = column.references!
  const referenced = reference.column ?? 'id'
  const [open, setOpen] = useState(variant === 'cell')
  const [query, setQuery] = useState(initialInput ?? '')
  const [active, setActive] = useState(initialInput ? 0 : -1)
  const done = useRef(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const listId = useId()
  const definition = useTable(databaseId, reference.table)
  const where = referenceSearchFilter(definition.data?.definition, referenced, query)
  const rows = useRows(databaseId, reference.table, {
    ...(where === undefined ? {} : { where }),
    orderBy: { column: referenced },
    limit: REFERENCE_SEARCH_LIMIT,
  })
  const found = rows.data?.rows ?? []
  const options: { value: unknown; label: string; row?: Row }[] = [
    ...(column.required ? [] : [{ value: null, label: 'NULL' }]),
    ...found.map((row) => ({
      value: row[referenced],
      label: referenceRowLabel(
        row,
        reference.table,
        definition.data?.definition,
        referenced,
        referenceLabel,
      ),
      row,
    })),
  ]
  const current = useReferenceLabel(databaseId, column, value, referenceLabel)

  const pick = (next: unknown, move: CommitMove) => {
    done.current = true
    onCommit(next, variant === 'cell' ? move : 'none')
    if (variant === 'field') {
      done.current = false
      setOpen(false)
      setQuery('')
      setActive(-1)
      trigger.current?.focus()
    }
  }
  const close = () => {
    if (variant === 'cell') {
      done.current = true
      onCancel()
    } else {
      setOpen(false)
      trigger.current?.focus()
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      setActive((index) => Math.min(options.length - 1, index + 1))
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      setActive((index) => Math.max(0, index - 1))
    } else if (event.key === 'Home' && event.ctrlKey) {
      event.preventDefault()
      setActive(0)
    } else if (event.key === 'End' && event.ctrlKey) {
      event.preventDefault()
      setActive(options.length - 1)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const option = options[active]
      if (option !== undefined) {
        pick(option.value, 'down')
      } else if (variant === 'cell') {
        pick(value, 'down')
      }
    } else if (event.key === 'Tab' && variant === 'cell') {
      event.preventDefault()
      const option = options[active]
      pick(option !== undefined ? option.value : value, event.shiftKey ? 'left' : 'right')
    } else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    }
  }

  const activeId = active >= 0 && active < options.length ? `${listId}-${active}` : undefined
  const content = (
    <Popover.Content
      {...portalTheme}
      className={cx('bb-root', 'bb-popover', 'bb-reference-picker')}
      data-slot="reference-picker"
      align="start"
      sideOffset={4}
      onEscapeKeyDown={(event) => {
        event.preventDefault()
        close()
      }}
      onOpenAutoFocus={(event) => event.preventDefault()}
      onInteractOutside={() => {
        if (variant === 'cell' && !done.current) {
          done.current = true
          onCancel()
        }
      }}
    >
      <input
        className="bb-input"
        role="combobox"
        autoFocus
        aria-label={`Search ${reference.table}`}
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        placeholder={`Search ${reference.table}…`}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listId}
        role="listbox"
        className="bb-listbox"
        aria-label={reference.table}
        data-state={rows.isFetching ? 'loading' : 'ready'}
      >
        {options.map((option, index) => (
          <li
            key={JSON.stringify(option.value)}
            id={`${listId}-${index}`}
            role="option"
            className="bb-listbox-option"
            aria-selected={index === active}
            data-current={JSON.stringify(option.value) === JSON.stringify(value) ? '' : undefined}
            data-null={option.value === null ? '' : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onMouseEnter={() => setActive(index)}
            onClick={() => pick(option.value, 'down')}
          >
            <span className="bb-listbox-label">{option.label}</span>
            {option.value !== null && option.label !== String(option.value) ? (
              <span className="bb-listbox-id bb-muted bb-mono">{String(option.value)}</span>
            ) : null}
          </li>
        ))}
        {!rows.isLoading && found.length === 0 ? (
          <li className="bb-listbox-empty bb-muted" role="presentation">
            No matching rows
          </li>
        ) : null}
      </ul>
    </Popover.Content>
  )

  if (variant === 'cell') {
    return (
      <Popover.Root open onOpenChange={(next) => (next ? undefined : close())}>
        <Popover.Anchor asChild>
          <div className="bb-editor bb-editor-reference" data-slot="editor" data-variant="cell">
            <span className="bb-reference-label">
              {current.label ?? (value === null ? '' : String(value ?? ''))}
            </span>
          </div>
        </Popover.Anchor>
        <Popover.Portal>{content}</Popover.Portal>
      </Popover.Root>
    )
  }
  return (
    <div
      className="bb-editor bb-editor-reference"
      data-slot="editor"
      data-variant="field"
      data-invalid={props.error ? '' : undefined}
    >
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <button
            ref={trigger}
            id={id}
            type="button"
            className="bb-input bb-reference-trigger"
            disabled={readOnly}
            aria-haspopup="listbox"
            data-state={open ? 'open' : 'closed'}
          >
            {value === null || value === undefined ? (
              <span className="bb-value-null">NULL</span>
            ) : (
              <span className="bb-reference-label">{current.label ?? String(value)}</span>
            )}
            <span aria-hidden className="bb-muted">
              ▾
            </span>
          </button>
        </Popover.Trigger>
        <Popover.Portal>{content}</Popover.Portal>
      </Popover.Root>
      <ErrorText id={errorId(id)} message={props.error} />
    </div>
  )
}
