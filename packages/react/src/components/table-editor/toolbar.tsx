'use client'
import type { ColumnDefinition, FilterOperator } from '@basebox/client'
import { DropdownMenu, Popover } from 'radix-ui'
import { useState, type ReactNode } from 'react'
import {
  chipLabel,
  FILTER_OPERATOR_LABELS,
  newFilterId,
  operatorsFor,
  type ConditionProblem,
  type FilterCondition,
  type FilterGroup,
} from './filter-model.js'
import { usePortalTheme } from '../editors/theme-scope.js'

/* ---- Condition editor ---- */

function ConditionEditor({
  columns,
  initial,
  onSave,
  onCancel,
  problem,
}: {
  columns: readonly ColumnDefinition[]
  initial: FilterCondition
  onSave: (condition: FilterCondition) => void
  onCancel: () => void
  problem?: string
}) {
  const [condition, setCondition] = useState(initial)
  const column = columns.find((c) => c.name === condition.column) ?? columns[0]
  const operators = column === undefined ? [] : operatorsFor(column)
  return (
    <form
      className="bb-te-condition"
      data-slot="table-editor-filter-condition"
      onSubmit={(event) => {
        event.preventDefault()
        onSave(condition)
      }}
    >
      <label className="bb-te-field">
        <span>Column</span>
        <select
          value={condition.column}
          onChange={(event) => {
            const next = columns.find((c) => c.name === event.target.value)
            const ops = next === undefined ? [] : operatorsFor(next)
            setCondition({
              ...condition,
              column: event.target.value,
              operator: ops.includes(condition.operator) ? condition.operator : (ops[0] ?? 'eq'),
            })
          }}
        >
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="bb-te-field">
        <span>Operator</span>
        <select
          value={condition.operator}
          onChange={(event) =>
            setCondition({ ...condition, operator: event.target.value as FilterOperator })
          }
        >
          {operators.map((op) => (
            <option key={op} value={op}>
              {FILTER_OPERATOR_LABELS[op]} ({op})
            </option>
          ))}
        </select>
      </label>
      <label className="bb-te-field">
        <span>Value</span>
        <input
          value={condition.value}
          placeholder={
            condition.operator === 'in'
              ? 'a, b, c'
              : condition.operator === 'is'
                ? 'null, true or false'
                : ''
          }
          onChange={(event) => setCondition({ ...condition, value: event.target.value })}
        />
      </label>
      {problem !== undefined ? (
        <p className="bb-te-cell-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="bb-te-actions">
        <button type="button" className="bb-te-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="bb-te-button" data-variant="primary">
          Apply
        </button>
      </div>
    </form>
  )
}

/* ---- Filter chips ---- */

function replaceItem(
  group: FilterGroup,
  id: string,
  next: FilterCondition | FilterGroup | null,
): FilterGroup {
  const items: (FilterCondition | FilterGroup)[] = []
  for (const item of group.items) {
    if (item.id === id) {
      if (next !== null) {
        items.push(next)
      }
    } else if (item.kind === 'group') {
      const sub = replaceItem(item, id, next)
      if (sub.items.length > 0) {
        items.push(sub)
      }
    } else {
      items.push(item)
    }
  }
  return { ...group, items }
}

function Chip({
  item,
  columns,
  problems,
  onChange,
}: {
  item: FilterCondition | FilterGroup
  columns: readonly ColumnDefinition[]
  problems: readonly ConditionProblem[]
  onChange: (next: FilterCondition | FilterGroup | null) => void
}) {
  const portalTheme = usePortalTheme()
  const [open, setOpen] = useState(false)
  const problem = problems.find(
    (p) =>
      p.id === item.id ||
      (item.kind === 'group' && JSON.stringify(item).includes(`"id":"${p.id}"`)),
  )
  const label = chipLabel(item)
  return (
    <span
      className="bb-te-chip"
      data-slot="table-editor-filter-chip"
      data-invalid={problem !== undefined ? '' : undefined}
    >
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger className="bb-te-chip-label" aria-label={`Edit filter ${label}`}>
          {label}
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            {...portalTheme}
            className="bb-root bb-te-popover"
            data-slot="table-editor-filter-popover"
            sideOffset={4}
            align="start"
          >
            {item.kind === 'condition' ? (
              <ConditionEditor
                columns={columns}
                initial={item}
                problem={problem?.message}
                onCancel={() => setOpen(false)}
                onSave={(next) => {
                  onChange(next)
                  setOpen(false)
                }}
              />
            ) : (
              <GroupEditor
                group={item}
                columns={columns}
                problems={problems}
                onChange={(next) => onChange(next.items.length === 0 ? null : next)}
              />
            )}
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      <button
        type="button"
        className="bb-te-chip-remove"
        aria-label={`Remove filter ${label}`}
        onClick={() => onChange(null)}
      >
        ×
      </button>
    </span>
  )
}

function GroupEditor({
  group,
  columns,
  problems,
  onChange,
}: {
  group: FilterGroup
  columns: readonly ColumnDefinition[]
  problems: readonly ConditionProblem[]
  onChange: (next: FilterGroup) => void
}) {
  return (
    <div className="bb-te-group" data-slot="table-editor-filter-group">
      <JoinToggle join={group.join} onChange={(join) => onChange({ ...group, join })} />
      <div className="bb-te-chips">
        {group.items.map((item) => (
          <Chip
            key={item.id}
            item={item}
            columns={columns}
            problems={problems}
            onChange={(next) => onChange(replaceItem(group, item.id, next))}
          />
        ))}
      </div>
      <AddCondition
        columns={columns}
        onAdd={(condition) => onChange({ ...group, items: [...group.items, condition] })}
      >
        + Condition
      </AddCondition>
    </div>
  )
}

function JoinToggle({
  join,
  onChange,
}: {
  join: 'and' | 'or'
  onChange: (join: 'and' | 'or') => void
}) {
  return (
    <button
      type="button"
      className="bb-te-join"
      data-slot="table-editor-filter-join"
      data-state={join}
      aria-label={`Conditions joined by ${join}; switch to ${join === 'and' ? 'or' : 'and'}`}
      onClick={() => onChange(join === 'and' ? 'or' : 'and')}
    >
      {join === 'and' ? 'All of' : 'Any of'}
    </button>
  )
}

function AddCondition({
  columns,
  onAdd,
  children,
}: {
  columns: readonly ColumnDefinition[]
  onAdd: (condition: FilterCondition) => void
  children: ReactNode
}) {
  const portalTheme = usePortalTheme()
  const [open, setOpen] = useState(false)
  const first = columns[0]
  if (first === undefined) {
    return null
  }
  const initial: FilterCondition = {
    kind: 'condition',
    id: newFilterId(),
    column: first.name,
    operator: operatorsFor(first)[0] ?? 'eq',
    value: '',
  }
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className="bb-te-button" data-slot="table-editor-add-filter">
        {children}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          {...portalTheme}
          className="bb-root bb-te-popover"
          data-slot="table-editor-filter-popover"
          sideOffset={4}
          align="start"
        >
          {open ? (
            <ConditionEditor
              columns={columns}
              initial={initial}
              onCancel={() => setOpen(false)}
              onSave={(condition) => {
                onAdd(condition)
                setOpen(false)
              }}
            />
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

/* ---- Toolbar ---- */

/** What the toolbar shows and changes. @internal */
export interface ToolbarProps {
  columns: readonly ColumnDefinition[]
  filter: FilterGroup
  problems: readonly ConditionProblem[]
  onFilterChange: (next: FilterGroup) => void
  search: string
  onSearchChange: (text: string) => void
  hasTextColumns: boolean
  totalLabel: string
  readOnly: boolean
  selectedCount: number
  allMatching: boolean
  onSelectAllMatching: () => void
  onClearSelection: () => void
  onAddRow: () => void
  onDuplicate: (() => void) | undefined
  onDelete: () => void
  onUndo: (() => void) | undefined
  hidden: { name: string; label: string; visible: boolean }[]
  onToggleColumn: (name: string, visible: boolean) => void
}

/** The bar above the grid: search, filter chips, columns, row actions and the total. @internal */
export function Toolbar(props: ToolbarProps) {
  const portalTheme = usePortalTheme()
  const { filter } = props
  return (
    <div
      className="bb-te-toolbar"
      data-slot="table-editor-toolbar"
      role="toolbar"
      aria-label="Table tools"
    >
      {props.hasTextColumns ? (
        <input
          type="search"
          className="bb-te-search"
          data-slot="table-editor-search"
          placeholder="Search…"
          aria-label="Search text columns"
          value={props.search}
          onChange={(event) => props.onSearchChange(event.target.value)}
        />
      ) : null}
      <div className="bb-te-filters" data-slot="table-editor-filters">
        {filter.items.length > 1 ? (
          <JoinToggle
            join={filter.join}
            onChange={(join) => props.onFilterChange({ ...filter, join })}
          />
        ) : null}
        {filter.items.map((item) => (
          <Chip
            key={item.id}
            item={item}
            columns={props.columns}
            problems={props.problems}
            onChange={(next) => props.onFilterChange(replaceItem(filter, item.id, next))}
          />
        ))}
        <AddCondition
          columns={props.columns}
          onAdd={(condition) =>
            props.onFilterChange({ ...filter, items: [...filter.items, condition] })
          }
        >
          + Filter
        </AddCondition>
        {filter.items.length > 0 ? (
          <button
            type="button"
            className="bb-te-button"
            data-slot="table-editor-add-filter-group"
            onClick={() =>
              props.onFilterChange({
                ...filter,
                items: [
                  ...filter.items,
                  {
                    kind: 'group',
                    id: newFilterId(),
                    join: filter.join === 'and' ? 'or' : 'and',
                    items: [],
                  },
                ],
              })
            }
          >
            + Group
          </button>
        ) : null}
      </div>
      <div className="bb-te-toolbar-end">
        <DropdownMenu.Root>
          <DropdownMenu.Trigger className="bb-te-button" data-slot="table-editor-columns-menu">
            Columns
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              {...portalTheme}
              className="bb-root bb-te-menu"
              align="end"
              sideOffset={4}
            >
              {props.hidden.map((column) => (
                <DropdownMenu.CheckboxItem
                  key={column.name}
                  className="bb-te-menu-item"
                  checked={column.visible}
                  onCheckedChange={(checked) => props.onToggleColumn(column.name, checked)}
                  onSelect={(event) => event.preventDefault()}
                >
                  <DropdownMenu.ItemIndicator className="bb-te-menu-check">
                    ✓
                  </DropdownMenu.ItemIndicator>
                  {column.label}
                </DropdownMenu.CheckboxItem>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        {props.selectedCount > 0 || props.allMatching ? (
          <>
            <span className="bb-te-selection-count" data-slot="table-editor-selection-count">
              {props.allMatching ? 'All matching rows selected' : `${props.selectedCount} selected`}
            </span>
            {!props.allMatching ? (
              <button type="button" className="bb-te-button" onClick={props.onSelectAllMatching}>
                Select all matching
              </button>
            ) : null}
            <button type="button" className="bb-te-button" onClick={props.onClearSelection}>
              Clear selection
            </button>
            {!props.readOnly ? (
              <>
                {props.onDuplicate !== undefined ? (
                  <button type="button" className="bb-te-button" onClick={props.onDuplicate}>
                    Duplicate
                  </button>
                ) : null}
                <button
                  type="button"
                  className="bb-te-button"
                  data-variant="danger"
                  onClick={props.onDelete}
                >
                  Delete
                </button>
              </>
            ) : null}
          </>
        ) : null}
        {!props.readOnly ? (
          <>
            <button
              type="button"
              className="bb-te-button"
              disabled={props.onUndo === undefined}
              onClick={props.onUndo}
              title="Undo the last edit (Ctrl/Cmd+Z)"
            >
              Undo
            </button>
            <button
              type="button"
              className="bb-te-button"
              data-variant="primary"
              onClick={props.onAddRow}
            >
              Add row
            </button>
          </>
        ) : null}
        <span className="bb-te-total" data-slot="table-editor-total" aria-live="polite">
          {props.totalLabel}
        </span>
      </div>
    </div>
  )
}
