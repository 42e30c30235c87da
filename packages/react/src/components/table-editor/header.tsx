'use client'
import type { ColumnDefinition } from '@basebox/client'
import { DropdownMenu } from 'radix-ui'
import type { CSSProperties, MouseEvent } from 'react'
import { COLUMN_TYPE_LABELS } from '../../values/values.js'
import { usePortalTheme } from '../editors/theme-scope.js'

/* ---- Header cell ---- */

/** What a header cell needs from the grid. @internal */
export interface HeaderCellProps {
  column: ColumnDefinition
  label: string
  colIndex: number
  style: CSSProperties
  /** `asc`/`desc` when sorted, with the key's place among several. */
  sort: false | 'asc' | 'desc'
  sortIndex: number
  sortCount: number
  canSort: boolean
  onSort: (event: MouseEvent) => void
  onSortTo: (direction: 'asc' | 'desc' | false) => void
  onHide: () => void
  onMove: (delta: -1 | 1) => void
  canMoveLeft: boolean
  canMoveRight: boolean
  onResizeStart: (event: unknown) => void
  onResetSize: () => void
  resizing: boolean
}

/** One column header: name, type, key/required/reference markers, sort, resize handle and menu. @internal */
export function HeaderCell(props: HeaderCellProps) {
  const portalTheme = usePortalTheme()
  const { column, label, sort, sortIndex, sortCount } = props
  const ariaSort = sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none'
  return (
    <div
      role="columnheader"
      aria-colindex={props.colIndex}
      aria-sort={ariaSort}
      className="bb-te-th"
      data-slot="table-editor-column-header"
      data-column={column.name}
      data-sorted={sort === false ? undefined : sort}
      style={props.style}
    >
      <button
        type="button"
        className="bb-te-th-sort"
        tabIndex={-1}
        disabled={!props.canSort}
        title={props.canSort ? 'Sort (Shift+click adds a sort key)' : undefined}
        onClick={props.onSort}
      >
        {column.primary_key === true ? (
          // Text, not an emoji: a host without an emoji font would show a blank box.
          <span
            className="bb-te-marker bb-te-key"
            data-slot="table-editor-key-marker"
            title="primary key"
            aria-label="primary key"
          >
            PK
          </span>
        ) : null}
        <span className="bb-te-th-name">{label}</span>
        {column.required === true && column.primary_key !== true ? (
          <span
            className="bb-te-marker"
            data-slot="table-editor-required-marker"
            title="required"
            aria-label="required"
          >
            *
          </span>
        ) : null}
        <span className="bb-te-th-type" data-slot="table-editor-column-type">
          {COLUMN_TYPE_LABELS[column.type]}
        </span>
        {column.references !== undefined ? (
          <span
            className="bb-te-marker bb-te-ref"
            data-slot="table-editor-reference-marker"
            title={`references ${column.references.table}.${column.references.column}`}
          >
            → {column.references.table}
          </span>
        ) : null}
        {sort !== false ? (
          <span className="bb-te-sort-indicator" aria-hidden="true">
            {sort === 'asc' ? '▲' : '▼'}
            {sortCount > 1 ? <sup>{sortIndex + 1}</sup> : null}
          </span>
        ) : null}
      </button>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          className="bb-te-th-menu"
          aria-label={`${label} column menu`}
          tabIndex={-1}
        >
          ⋮
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            {...portalTheme}
            className="bb-root bb-te-menu"
            data-slot="table-editor-column-menu"
            align="end"
            sideOffset={4}
          >
            <DropdownMenu.Item
              className="bb-te-menu-item"
              disabled={!props.canSort}
              onSelect={() => props.onSortTo('asc')}
            >
              Sort ascending
            </DropdownMenu.Item>
            <DropdownMenu.Item
              className="bb-te-menu-item"
              disabled={!props.canSort}
              onSelect={() => props.onSortTo('desc')}
            >
              Sort descending
            </DropdownMenu.Item>
            {sort !== false ? (
              <DropdownMenu.Item className="bb-te-menu-item" onSelect={() => props.onSortTo(false)}>
                Clear sort
              </DropdownMenu.Item>
            ) : null}
            <DropdownMenu.Separator className="bb-te-menu-separator" />
            <DropdownMenu.Item
              className="bb-te-menu-item"
              disabled={!props.canMoveLeft}
              onSelect={() => props.onMove(-1)}
            >
              Move left
            </DropdownMenu.Item>
            <DropdownMenu.Item
              className="bb-te-menu-item"
              disabled={!props.canMoveRight}
              onSelect={() => props.onMove(1)}
            >
              Move right
            </DropdownMenu.Item>
            <DropdownMenu.Item className="bb-te-menu-item" onSelect={props.onResetSize}>
              Reset width
            </DropdownMenu.Item>
            <DropdownMenu.Item className="bb-te-menu-item" onSelect={props.onHide}>
              Hide column
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <div
        className="bb-te-resizer"
        data-slot="table-editor-column-resizer"
        data-state={props.resizing ? 'active' : 'inactive'}
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${label}`}
        onMouseDown={props.onResizeStart}
        onTouchStart={props.onResizeStart}
        onDoubleClick={props.onResetSize}
      />
    </div>
  )
}
