'use client'
// The SchemaBuilder's form for one draft table: its name, its columns (type, toggles, default,
// reference, order), its indexes and its access rules. Every edit goes through `onEdit`, which
// records it for undo; field errors come from the builder (the same validation as the engine).
import {
  ACCESS_OPERATIONS,
  ACCESS_RULES,
  COLUMN_TYPES,
  ON_DELETE_ACTIONS,
  type AccessDefinition,
  type AccessRule,
  type ColumnType,
  type OnDeleteAction,
} from '@basebox/client'
import { useId, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react'
import {
  defaultFunctionsFor,
  formatDefault,
  issuesAt,
  issuesUnder,
  moveColumn,
  newColumn,
  parseDefault,
  removeColumn,
  renameColumn,
  renameTable,
  updateColumn,
  updateTable,
  type Draft,
  type DraftColumn,
  type DraftIssue,
  type DraftTable,
} from './builder-model.js'
import { explainRule } from '../access-rules/explain-rule.js'

/** Records an edit: the next draft, and a key that makes consecutive edits of one field one undo step. */
export type EditDraft = (next: (draft: Draft) => Draft, coalesce?: string) => void

interface TableFormProps {
  draft: Draft
  table: DraftTable
  /** The table's index in the draft (the first part of its issues' paths). */
  index: number
  issues: readonly DraftIssue[]
  onEdit: EditDraft
  onRemove: () => void
  disabled: boolean
}

function FieldError({ id, issues }: { id: string; issues: readonly DraftIssue[] }) {
  if (issues.length === 0) {
    return null
  }
  return (
    <span id={id} className="bb-sb-error" role="alert">
      {issues.map((issue) => issue.message).join('; ')}
    </span>
  )
}

/** Props an input gets for its errors: `aria-invalid` and `aria-describedby` pointing at them. */
function invalid(issues: readonly DraftIssue[], id: string) {
  return issues.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': id } : {}
}

export function TableForm({
  draft,
  table,
  index,
  issues,
  onEdit,
  onRemove,
  disabled,
}: TableFormProps) {
  const id = useId()
  const nameIssues = issuesAt(issues, [index, 'name'])
  const tableLevel = issuesAt(issues, [index]).concat(issuesAt(issues, [index, 'columns']))
  const edit = (change: (t: DraftTable) => DraftTable, coalesce?: string) =>
    onEdit((d) => updateTable(d, table.key, change), coalesce)
  return (
    <section className="bb-sb-table" aria-label={`Table ${table.name}`} data-table={table.name}>
      <div className="bb-sb-table-head">
        <label className="bb-sb-field">
          <span className="bb-sb-label">Table name</span>
          <input
            className="bb-sb-input"
            value={table.name}
            disabled={disabled}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) =>
              onEdit(
                (d) => renameTable(d, table.key, event.target.value),
                `table-name:${table.key}`,
              )
            }
            {...invalid(nameIssues, `${id}-name`)}
          />
          <FieldError id={`${id}-name`} issues={nameIssues} />
        </label>
        {table.from !== null && table.from !== table.name ? (
          <span className="bb-sb-note">Renamed from {table.from}; its rows are kept.</span>
        ) : null}
        <button
          type="button"
          className="bb-te-button"
          data-variant="danger"
          disabled={disabled}
          onClick={onRemove}
        >
          Remove table
        </button>
      </div>
      <FieldError id={`${id}-table`} issues={tableLevel} />
      <ColumnsEditor
        draft={draft}
        table={table}
        index={index}
        issues={issues}
        onEdit={onEdit}
        edit={edit}
        disabled={disabled}
      />
      <IndexesEditor table={table} index={index} issues={issues} edit={edit} disabled={disabled} />
      <AccessEditor table={table} index={index} issues={issues} edit={edit} disabled={disabled} />
    </section>
  )
}

interface SectionProps {
  table: DraftTable
  index: number
  issues: readonly DraftIssue[]
  edit: (change: (t: DraftTable) => DraftTable, coalesce?: string) => void
  disabled: boolean
}

function ColumnsEditor({
  draft,
  table,
  index,
  issues,
  onEdit,
  edit,
  disabled,
}: SectionProps & { draft: Draft; onEdit: EditDraft }) {
  const [dragging, setDragging] = useState<string | undefined>(undefined)
  const [over, setOver] = useState<number | undefined>(undefined)
  // The columns another table's column may reference: primary keys and unique columns.
  const targets = draft.tables.flatMap((t) =>
    t.columns
      .filter((c) => c.primary_key === true || c.unique === true)
      .map((c) => ({ table: t.name, column: c.name, type: c.type })),
  )
  const move = (key: string, to: number) => edit((t) => moveColumn(t, key, to))
  const onDrop = (event: DragEvent, to: number) => {
    event.preventDefault()
    const key = event.dataTransfer.getData('application/x-basebox-column') || dragging
    if (key) {
      move(key, to)
    }
    setDragging(undefined)
    setOver(undefined)
  }
  return (
    <fieldset className="bb-sb-section" disabled={disabled}>
      <legend className="bb-sb-legend">Columns</legend>
      <div className="bb-sb-columns-scroll">
        <table className="bb-sb-columns">
          <thead>
            <tr>
              <th scope="col">
                <span className="bb-te-visually-hidden">Order</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Default</th>
              <th scope="col">References</th>
              <th scope="col" title="Primary key">
                Key
              </th>
              <th scope="col">Required</th>
              <th scope="col">Unique</th>
              <th scope="col">Secret</th>
              <th scope="col">
                <span className="bb-te-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {table.columns.map((column, c) => (
              <ColumnRow
                key={column.key}
                table={table}
                column={column}
                position={c}
                path={[index, 'columns', c]}
                issues={issues}
                targets={targets}
                onEdit={onEdit}
                edit={edit}
                onMove={(to) => move(column.key, to)}
                dragOver={over === c}
                onDragStart={(event) => {
                  event.dataTransfer.setData('application/x-basebox-column', column.key)
                  event.dataTransfer.effectAllowed = 'move'
                  setDragging(column.key)
                }}
                onDragOver={(event) => {
                  event.preventDefault()
                  setOver(c)
                }}
                onDrop={(event) => onDrop(event, c)}
                onDragEnd={() => {
                  setDragging(undefined)
                  setOver(undefined)
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="bb-te-button"
        onClick={() => edit((t) => ({ ...t, columns: [...t.columns, newColumn(t)] }))}
      >
        Add column
      </button>
    </fieldset>
  )
}

interface ColumnRowProps {
  table: DraftTable
  column: DraftColumn
  position: number
  path: (string | number)[]
  issues: readonly DraftIssue[]
  targets: { table: string; column: string; type: ColumnType }[]
  onEdit: EditDraft
  edit: SectionProps['edit']
  onMove: (to: number) => void
  dragOver: boolean
  onDragStart: (event: DragEvent) => void
  onDragOver: (event: DragEvent) => void
  onDrop: (event: DragEvent) => void
  onDragEnd: () => void
}

function ColumnRow(props: ColumnRowProps) {
  const { table, column, position, path, issues, targets, onEdit, edit } = props
  const id = useId()
  const at = (...rest: (string | number)[]) => issuesAt(issues, [...path, ...rest])
  const nameIssues = at('name')
  const typeIssues = at('type')
  const defaultIssues = at('default')
  const refIssues = issuesUnder(issues, [...path, 'references'])
  const pkIssues = at('primary_key').concat(at('unique'), at('required'), at('secret'))
  const set = (change: Partial<DraftColumn>, coalesce?: string) =>
    edit((t) => updateColumn(t, column.key, (c) => withFields(c, change)), coalesce)
  const [defaultText, setDefaultText] = useState<string | undefined>(undefined)
  const functions = defaultFunctionsFor(column.type)
  const label = column.name === '' ? `column ${position + 1}` : column.name
  const onHandleKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault()
      props.onMove(position + (event.key === 'ArrowUp' ? -1 : 1))
      // The row moves; keep the focus on its handle.
      const handle = event.currentTarget as HTMLElement
      requestAnimationFrame(() => handle.focus())
    }
  }
  const reference = column.references
  return (
    <tr
      className="bb-sb-column"
      data-column={column.name}
      data-drag-over={props.dragOver ? '' : undefined}
      onDragOver={props.onDragOver}
      onDrop={props.onDrop}
    >
      <td>
        <button
          type="button"
          className="bb-sb-handle"
          draggable
          aria-label={`Move ${label} (arrow up or down)`}
          title="Drag, or use the arrow keys, to reorder"
          onDragStart={props.onDragStart}
          onDragEnd={props.onDragEnd}
          onKeyDown={onHandleKey}
        >
          ⠿
        </button>
      </td>
      <td>
        <input
          className="bb-sb-input"
          aria-label={`Name of column ${position + 1}`}
          value={column.name}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) =>
            onEdit(
              (d) => renameColumn(d, table.key, column.key, event.target.value),
              `column-name:${column.key}`,
            )
          }
          {...invalid(nameIssues, `${id}-name`)}
        />
        <FieldError id={`${id}-name`} issues={nameIssues} />
        {column.from !== null && column.from !== column.name ? (
          <span className="bb-sb-note">was {column.from}</span>
        ) : null}
      </td>
      <td>
        <select
          className="bb-sb-input"
          aria-label={`Type of ${label}`}
          value={column.type}
          onChange={(event) => set({ type: event.target.value as ColumnType })}
          {...invalid(typeIssues, `${id}-type`)}
        >
          {COLUMN_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-type`} issues={typeIssues} />
      </td>
      <td>
        <input
          className="bb-sb-input"
          aria-label={`Default of ${label}`}
          placeholder={functions[0] ?? 'none'}
          list={functions.length > 0 ? `${id}-functions` : undefined}
          value={defaultText ?? formatDefault(column.default)}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            setDefaultText(event.target.value)
            set(
              { default: parseDefault(column.type, event.target.value) },
              `column-default:${column.key}`,
            )
          }}
          onBlur={() => setDefaultText(undefined)}
          {...invalid(defaultIssues, `${id}-default`)}
        />
        {functions.length > 0 ? (
          <datalist id={`${id}-functions`}>
            {functions.map((fn) => (
              <option key={fn} value={fn} />
            ))}
          </datalist>
        ) : null}
        <FieldError id={`${id}-default`} issues={defaultIssues} />
      </td>
      <td>
        <select
          className="bb-sb-input"
          aria-label={`Reference of ${label}`}
          value={reference === undefined ? '' : `${reference.table}.${reference.column}`}
          onChange={(event) => {
            const value = event.target.value
            if (value === '') {
              set({ references: undefined })
              return
            }
            const target = targets.find((t) => `${t.table}.${t.column}` === value)!
            // A reference holds the referenced column's values: take its type.
            set({
              references: {
                table: target.table,
                column: target.column,
                on_delete: reference?.on_delete ?? 'no action',
              },
              type: target.type,
            })
          }}
          {...invalid(refIssues, `${id}-ref`)}
        >
          <option value="">none</option>
          {reference !== undefined &&
          !targets.some((t) => t.table === reference.table && t.column === reference.column) ? (
            <option value={`${reference.table}.${reference.column}`}>
              {reference.table}.{reference.column} (missing)
            </option>
          ) : null}
          {targets
            .filter((t) => !(t.table === table.name && t.column === column.name))
            .map((t) => (
              <option key={`${t.table}.${t.column}`} value={`${t.table}.${t.column}`}>
                {t.table}.{t.column}
              </option>
            ))}
        </select>
        {reference !== undefined ? (
          <select
            className="bb-sb-input"
            aria-label={`On delete of ${label}`}
            value={reference.on_delete}
            onChange={(event) =>
              set({ references: { ...reference, on_delete: event.target.value as OnDeleteAction } })
            }
          >
            {ON_DELETE_ACTIONS.map((action) => (
              <option key={action} value={action}>
                on delete: {action}
              </option>
            ))}
          </select>
        ) : null}
        <FieldError id={`${id}-ref`} issues={refIssues} />
      </td>
      <Toggle
        label={`${label} is the primary key`}
        checked={column.primary_key === true}
        onChange={(v) => set({ primary_key: v })}
      />
      <Toggle
        label={`${label} is required`}
        checked={column.required === true || column.primary_key === true}
        disabled={column.primary_key === true}
        onChange={(v) => set({ required: v })}
      />
      <Toggle
        label={`${label} is unique`}
        checked={column.unique === true}
        onChange={(v) => set({ unique: v })}
      />
      <Toggle
        label={`${label} is secret`}
        checked={column.secret === true}
        onChange={(v) => set({ secret: v })}
      >
        <FieldError id={`${id}-flags`} issues={pkIssues} />
      </Toggle>
      <td>
        <button
          type="button"
          className="bb-sb-icon"
          aria-label={`Remove column ${label}`}
          onClick={() => edit((t) => removeColumn(t, column.key))}
        >
          ×
        </button>
      </td>
    </tr>
  )
}

function Toggle({
  label,
  checked,
  onChange,
  disabled,
  children,
}: {
  label: string
  checked: boolean
  onChange: (value: boolean) => void
  disabled?: boolean
  children?: ReactNode
}) {
  return (
    <td className="bb-sb-toggle">
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
      />
      {children}
    </td>
  )
}

/** `column` with `change` applied; `undefined` and `false` remove the field. */
function withFields(column: DraftColumn, change: Partial<DraftColumn>): DraftColumn {
  const next: Record<string, unknown> = { ...column }
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined || value === false) {
      delete next[field]
    } else {
      next[field] = value
    }
  }
  return next as unknown as DraftColumn
}

function IndexesEditor({ table, index, issues, edit, disabled }: SectionProps) {
  const id = useId()
  const setIndex = (
    i: number,
    change: (columns: string[], unique: boolean) => { columns: string[]; unique: boolean },
  ) =>
    edit((t) => ({
      ...t,
      indexes: t.indexes.map((ix, j) => {
        if (j !== i) {
          return ix
        }
        const next = change([...ix.columns], ix.unique === true)
        return next.unique ? { columns: next.columns, unique: true } : { columns: next.columns }
      }),
    }))
  return (
    <fieldset className="bb-sb-section" disabled={disabled}>
      <legend className="bb-sb-legend">Indexes</legend>
      {table.indexes.length === 0 ? (
        <p className="bb-sb-note">No indexes. Keys and references get theirs without one.</p>
      ) : null}
      <ul className="bb-sb-indexes">
        {table.indexes.map((ix, i) => {
          const indexIssues = issuesUnder(issues, [index, 'indexes', i])
          const free = table.columns.map((c) => c.name).filter((name) => !ix.columns.includes(name))
          return (
            <li key={i} className="bb-sb-index" aria-label={`Index ${i + 1}`}>
              <span className="bb-te-chips">
                {ix.columns.map((name) => (
                  <span key={name} className="bb-te-chip">
                    <span className="bb-te-chip-label">{name}</span>
                    <button
                      type="button"
                      className="bb-te-chip-remove"
                      aria-label={`Remove ${name} from index ${i + 1}`}
                      onClick={() =>
                        setIndex(i, (columns, unique) => ({
                          columns: columns.filter((c) => c !== name),
                          unique,
                        }))
                      }
                    >
                      ×
                    </button>
                  </span>
                ))}
              </span>
              {free.length > 0 ? (
                <select
                  className="bb-sb-input"
                  aria-label={`Add a column to index ${i + 1}`}
                  value=""
                  onChange={(event) =>
                    setIndex(i, (columns, unique) => ({
                      columns: [...columns, event.target.value],
                      unique,
                    }))
                  }
                >
                  <option value="">+ column</option>
                  {free.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              ) : null}
              <label className="bb-sb-inline">
                <input
                  type="checkbox"
                  checked={ix.unique === true}
                  onChange={(event) =>
                    setIndex(i, (columns) => ({ columns, unique: event.target.checked }))
                  }
                />
                unique
              </label>
              <button
                type="button"
                className="bb-sb-icon"
                aria-label={`Remove index ${i + 1}`}
                onClick={() =>
                  edit((t) => ({ ...t, indexes: t.indexes.filter((_, j) => j !== i) }))
                }
              >
                ×
              </button>
              <FieldError id={`${id}-${i}`} issues={indexIssues} />
            </li>
          )
        })}
      </ul>
      <button
        type="button"
        className="bb-te-button"
        disabled={table.columns.length === 0}
        onClick={() =>
          edit((t) => ({
            ...t,
            indexes: [
              ...t.indexes,
              {
                columns: [
                  t.columns.find((c) => c.primary_key !== true)?.name ?? t.columns[0]!.name,
                ],
              },
            ],
          }))
        }
      >
        Add index
      </button>
    </fieldset>
  )
}

function AccessEditor({ table, index, issues, edit, disabled }: SectionProps) {
  const id = useId()
  const access: AccessDefinition = table.access ?? {}
  const uuidColumns = table.columns
    .filter((c) => c.type === 'uuid' && c.secret !== true)
    .map((c) => c.name)
  const ownerIssues = issuesUnder(issues, [index, 'access'])
  const setAccess = (change: Partial<AccessDefinition>) =>
    edit((t) => {
      const next: Record<string, unknown> = { ...(t.access ?? {}), ...change }
      for (const [field, value] of Object.entries(next)) {
        if (value === undefined || value === '' || value === 'nobody') {
          delete next[field]
        }
      }
      // Picking "owner" picks the only candidate column, if there is one.
      if (
        Object.values(change).includes('owner') &&
        next.owner_column === undefined &&
        uuidColumns.length > 0
      ) {
        next.owner_column =
          uuidColumns.find((name) => /owner|user|author/.test(name)) ??
          uuidColumns.find((name) => !table.columns.find((c) => c.name === name)?.primary_key) ??
          uuidColumns[0]
      }
      const { access: _old, ...rest } = t
      return Object.keys(next).length > 0 ? { ...rest, access: next as AccessDefinition } : rest
    })
  const usesOwner = ACCESS_OPERATIONS.some((op) => access[op] === 'owner')
  return (
    <fieldset className="bb-sb-section" disabled={disabled}>
      <legend className="bb-sb-legend">Access rules for the app's end users</legend>
      <div className="bb-sb-access">
        {ACCESS_OPERATIONS.map((operation) => {
          const rule = access[operation] ?? 'nobody'
          return (
            <div key={operation} className="bb-sb-access-row">
              <label className="bb-sb-field">
                <span className="bb-sb-label">{operation}</span>
                <select
                  className="bb-sb-input"
                  aria-label={`Who may ${operation} rows of ${table.name}`}
                  value={rule}
                  onChange={(event) => setAccess({ [operation]: event.target.value as AccessRule })}
                >
                  {ACCESS_RULES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
              <span className="bb-sb-explain" data-rule={rule}>
                {explainRule(operation, rule, access.owner_column)}
              </span>
            </div>
          )
        })}
        {usesOwner || access.owner_column !== undefined ? (
          <label className="bb-sb-field">
            <span className="bb-sb-label">Owner column</span>
            <select
              className="bb-sb-input"
              aria-label={`Owner column of ${table.name}`}
              value={access.owner_column ?? ''}
              onChange={(event) =>
                setAccess({
                  owner_column: event.target.value === '' ? undefined : event.target.value,
                })
              }
              {...invalid(ownerIssues, `${id}-owner`)}
            >
              <option value="">none</option>
              {access.owner_column !== undefined && !uuidColumns.includes(access.owner_column) ? (
                <option value={access.owner_column}>{access.owner_column}</option>
              ) : null}
              {uuidColumns.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <FieldError id={`${id}-owner`} issues={ownerIssues} />
      </div>
    </fieldset>
  )
}
