'use client'
import type { ColumnDefinition, TableDefinition } from '@basebox/client'
import { zodResolver } from '@hookform/resolvers/zod'
import { Dialog } from 'radix-ui'
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { Controller, useForm, type FieldValues, type Resolver } from 'react-hook-form'
import { useInsertRows, useRows, useUpdateRows } from '../../hooks/use-rows.js'
import { useTable } from '../../hooks/use-tables.js'
import { isRequiredOnInsert, recordSchema } from '../../schema/record-schema.js'
import { COLUMN_TYPE_LABELS, fieldErrors } from '../../values/values.js'
import { editorFor } from '../editors/editor-for.js'
import type { ReferenceLabelFn } from '../editors/reference.js'
import { cx } from '../editors/shared.js'
import { ThemeScope, useResolvedTheme, useThemeScope } from '../editors/theme-scope.js'

type Row = Record<string, unknown>

/** The props of {@link RecordForm}. */
export interface RecordFormProps {
  /** The database of the table. */
  databaseId: string
  /** The table's name. */
  table: string
  /** The primary key value of the record to edit. Default is none: the form creates a record. */
  recordId?: unknown
  /** Called with the saved row after a create or an update. Default is none. */
  onSaved?: (row: Row) => void
  /** Called when the user cancels (after confirming when there are unsaved changes). Default is none: no Cancel button. */
  onCancel?: () => void
  /** Called when the form gets or loses unsaved changes. Default is none. */
  onDirtyChange?: (dirty: boolean) => void
  /** A readable label of a referenced row. Default is its first text column, else its id. */
  referenceLabel?: ReferenceLabelFn
  /**
   * Whether the fields are read-only. Default is `false`; the form is also read-only when the
   * table's `permissions` (the client's table info) refuse this insert or update.
   */
  readOnly?: boolean
  /** Default is none: the host's `prefers-color-scheme` (or an outer `data-theme`) decides. */
  theme?: 'light' | 'dark'
  /** Default is `'normal'`. */
  density?: 'compact' | 'normal' | 'comfortable'
  className?: string
}

function fieldId(base: string, column: string) {
  return `${base}-${column}`
}

function defaultText(column: ColumnDefinition): string | undefined {
  if (column.default === undefined) {
    return undefined
  }
  return typeof column.default === 'string' ? column.default : JSON.stringify(column.default)
}

/* ---- The discard confirmation ---- */

/** The "discard unsaved changes?" question a dirty form asks before it closes. @internal */
export function DiscardConfirm({
  onDiscard,
  onKeep,
}: {
  onDiscard: () => void
  onKeep: () => void
}) {
  const keep = useRef<HTMLButtonElement>(null)
  useEffect(() => keep.current?.focus(), [])
  return (
    <div
      className="bb-record-form-confirm"
      data-slot="discard-confirm"
      role="alertdialog"
      aria-label="Discard unsaved changes?"
    >
      <span>Discard unsaved changes?</span>
      <button ref={keep} type="button" className="bb-button" onClick={onKeep}>
        Keep editing
      </button>
      <button type="button" className="bb-button" data-variant="danger" onClick={onDiscard}>
        Discard
      </button>
    </div>
  )
}

/* ---- RecordForm ---- */

/**
 * A form that creates a record (no `recordId`) or edits one (`recordId` is its primary key value):
 * the grid's editors as fields, labels with the type and a required marker, checked by
 * {@link recordSchema} before anything is sent, the engine's errors shown at their fields (the
 * values kept), only changed fields sent on edit, Ctrl/Cmd+Enter submits, and a guard against
 * losing unsaved changes (a confirmation on cancel, `beforeunload` while dirty).
 *
 * ### Examples
 *
 * ```tsx
 * <RecordForm databaseId={db.id} table="posts" recordId={post.id} onSaved={(row) => toast(`saved ${row.title}`)} />
 * ```
 */
export function RecordForm(props: RecordFormProps) {
  const { databaseId, table } = props
  const info = useTable(databaseId, table)
  const definition = info.data?.definition
  const pk = definition?.columns.find((column) => column.primary_key === true)
  const editing = props.recordId !== undefined
  const record = useRows(databaseId, table, {
    where: pk === undefined ? {} : { [pk.name]: props.recordId as never },
    limit: 1,
  })
  // Until the definition names the key, the query is not the record's yet; and a page kept from
  // an earlier query (placeholder data) is not this record either.
  const loading =
    info.isLoading ||
    (editing && (record.isLoading || record.isPlaceholderData || pk === undefined))
  if (info.isError || (editing && record.isError)) {
    return (
      <div
        className={cx('bb-root', 'bb-record-form', props.className)}
        data-theme={props.theme}
        data-density={props.density}
        data-slot="record-form"
        data-state="error"
        role="alert"
      >
        Could not load {table}: {String((info.error ?? record.error)?.message)}
      </div>
    )
  }
  if (loading || definition === undefined) {
    return (
      <div
        className={cx('bb-root', 'bb-record-form', props.className)}
        data-theme={props.theme}
        data-density={props.density}
        data-slot="record-form"
        data-state="loading"
        aria-busy="true"
      >
        <div className="bb-skeleton" />
        <div className="bb-skeleton" />
        <div className="bb-skeleton" />
      </div>
    )
  }
  const row = editing
    ? record.data?.rows.find(
        (candidate) => JSON.stringify(candidate[pk!.name]) === JSON.stringify(props.recordId),
      )
    : undefined
  if (editing && row === undefined) {
    return (
      <div
        className={cx('bb-root', 'bb-record-form', props.className)}
        data-theme={props.theme}
        data-density={props.density}
        data-slot="record-form"
        data-state="not-found"
        role="alert"
      >
        No {table} row with {pk?.name} {String(props.recordId)}.
      </div>
    )
  }
  // The client says up front when the identity may not insert (a new record) or update (an
  // existing one): the form is read-only and says why.
  const permissions = info.data?.permissions
  const refused = permissions !== undefined && !(editing ? permissions.update : permissions.insert)
  return (
    <RecordFormFields
      {...props}
      readOnly={props.readOnly === true || refused}
      refused={refused}
      definition={definition}
      row={row}
      key={editing ? JSON.stringify(props.recordId) : 'new'}
    />
  )
}

function RecordFormFields(
  props: RecordFormProps & { definition: TableDefinition; row: Row | undefined; refused: boolean },
) {
  const {
    databaseId,
    table,
    definition,
    row,
    onSaved,
    onCancel,
    onDirtyChange,
    referenceLabel,
    readOnly,
  } = props
  const mode = row === undefined ? 'insert' : 'update'
  const pk = definition.columns.find((column) => column.primary_key === true)
  const columns = definition.columns.filter((column) => mode === 'insert' || column.secret !== true)
  const schema = useMemo(() => recordSchema(definition, mode), [definition, mode])
  const defaultValues = useMemo(() => {
    const values: Row = {}
    for (const column of columns) {
      values[column.name] = row === undefined ? undefined : (row[column.name] ?? null)
    }
    return values
  }, [row])
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema as never) as unknown as Resolver<FieldValues>,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  })
  const insert = useInsertRows(databaseId, table)
  const update = useUpdateRows(databaseId, table)
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({})
  const [confirming, setConfirming] = useState(false)
  const [saved, setSaved] = useState(false)
  const base = useId()
  const { isDirty, isSubmitting, dirtyFields, errors } = form.formState
  const root = useRef<HTMLFormElement>(null)
  const theme = useResolvedTheme(root, props.theme)
  const scope = useMemo(() => ({ theme, density: props.density }), [theme, props.density])

  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange])
  useEffect(() => {
    if (!isDirty) {
      return
    }
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [isDirty])

  const submit = form.handleSubmit(async (values) => {
    // A read-only form saves nothing, whether by the (disabled) button or Ctrl/Cmd+Enter.
    if (readOnly === true) return
    setSaved(false)
    const pending = Object.entries(inputErrors)
    if (pending.length > 0) {
      for (const [name, message] of pending) {
        form.setError(name, { type: 'input', message })
      }
      return
    }
    try {
      let saved: Row | undefined
      if (mode === 'insert') {
        const rowToInsert = Object.fromEntries(
          Object.entries(values).filter(([, value]) => value !== undefined),
        )
        const rows = await insert.mutateAsync({ rows: rowToInsert })
        saved = (rows as Row[])[0]
      } else {
        const patch = Object.fromEntries(
          Object.keys(dirtyFields)
            .filter((name) => values[name] !== undefined)
            .map((name) => [name, values[name]]),
        )
        if (Object.keys(patch).length === 0) {
          return
        }
        const rows = await update.mutateAsync({ where: { [pk!.name]: row![pk!.name] }, patch })
        saved = (rows as Row[])[0]
      }
      setSaved(true)
      if (saved !== undefined) {
        const next: Row = {}
        for (const column of columns) {
          next[column.name] = mode === 'insert' ? undefined : (saved[column.name] ?? null)
        }
        form.reset(mode === 'insert' ? defaultValues : next)
        onSaved?.(saved)
      }
    } catch (error) {
      const known = new Set(columns.map((column) => column.name))
      let placed = false
      for (const problem of fieldErrors(error)) {
        if (problem.column !== undefined && known.has(problem.column)) {
          form.setError(
            problem.column,
            { type: 'server', message: problem.message },
            { shouldFocus: !placed },
          )
          placed = true
        } else {
          form.setError('root.server', { type: 'server', message: problem.message })
        }
      }
    }
  })

  const requestCancel = () => {
    if (form.formState.isDirty) {
      setConfirming(true)
    } else {
      onCancel?.()
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      void submit()
    }
  }

  return (
    <ThemeScope value={scope}>
      <form
        ref={root}
        className={cx('bb-root', 'bb-record-form', props.className)}
        data-theme={props.theme}
        data-density={props.density}
        data-slot="record-form"
        data-mode={mode}
        data-state={isSubmitting ? 'submitting' : isDirty ? 'dirty' : 'clean'}
        aria-label={mode === 'insert' ? `New ${table} row` : `Edit ${table} row`}
        noValidate
        onSubmit={(event) => void submit(event)}
        onKeyDown={onKeyDown}
      >
        {columns.map((column) => {
          const Editor = editorFor(column)
          const id = fieldId(base, column.name)
          const required =
            mode === 'insert'
              ? isRequiredOnInsert(column)
              : column.required === true || column.primary_key === true
          const message = errors[column.name]?.message
          const hint =
            mode === 'insert' && column.default !== undefined
              ? `default: ${defaultText(column)}`
              : column.secret === true
                ? 'write-only, never shown'
                : undefined
          return (
            <div
              key={column.name}
              className="bb-record-form-field"
              data-slot="record-form-field"
              data-invalid={message ? '' : undefined}
              data-dirty={dirtyFields[column.name] ? '' : undefined}
            >
              <label className="bb-record-form-label" htmlFor={id}>
                <span className="bb-record-form-name">{column.name}</span>
                {required ? (
                  <span className="bb-record-form-required" aria-hidden title="required">
                    *
                  </span>
                ) : null}
                <span className="bb-record-form-type bb-muted" aria-hidden>
                  {column.primary_key ? 'key · ' : ''}
                  {column.references ? `→ ${column.references.table} · ` : ''}
                  {COLUMN_TYPE_LABELS[column.type]}
                </span>
              </label>
              <Controller
                name={column.name}
                control={form.control}
                render={({ field }) => (
                  <Editor
                    databaseId={databaseId}
                    column={column}
                    value={field.value}
                    variant="field"
                    id={id}
                    readOnly={
                      readOnly === true || (mode === 'update' && column.primary_key === true)
                    }
                    {...(referenceLabel === undefined ? {} : { referenceLabel })}
                    onCommit={(value) => {
                      field.onChange(value)
                      if (errors[column.name] !== undefined) {
                        form.clearErrors(column.name)
                      }
                    }}
                    onCancel={() => undefined}
                    onInputError={(problem) =>
                      setInputErrors((current) => {
                        const next = { ...current }
                        if (problem === undefined) {
                          delete next[column.name]
                        } else {
                          next[column.name] = problem
                        }
                        return next
                      })
                    }
                  />
                )}
              />
              {hint !== undefined ? (
                <span className="bb-record-form-hint bb-muted">{hint}</span>
              ) : null}
              {message && inputErrors[column.name] === undefined ? (
                <span
                  className="bb-record-form-error"
                  data-slot="field-error"
                  role="alert"
                  id={`${id}-message`}
                >
                  {String(message)}
                </span>
              ) : null}
            </div>
          )
        })}
        {errors.root?.server?.message ? (
          <div
            className="bb-record-form-error bb-record-form-root-error"
            role="alert"
            data-slot="form-error"
          >
            {errors.root.server.message}
          </div>
        ) : null}
        {confirming ? (
          <DiscardConfirm
            onKeep={() => setConfirming(false)}
            onDiscard={() => {
              setConfirming(false)
              form.reset(defaultValues)
              onCancel?.()
            }}
          />
        ) : null}
        <div className="bb-record-form-actions" data-slot="record-form-actions">
          <span className="bb-muted" aria-live="polite">
            {props.refused
              ? `Read-only: you may not ${mode === 'insert' ? 'add rows to' : 'change the rows of'} this table.`
              : saved && !isDirty
                ? 'Saved'
                : 'Ctrl+Enter to save'}
          </span>
          {onCancel !== undefined ? (
            <button type="button" className="bb-button" onClick={requestCancel}>
              Cancel
            </button>
          ) : null}
          <button
            type="submit"
            className="bb-button"
            data-variant="primary"
            disabled={readOnly === true || isSubmitting}
            aria-busy={isSubmitting || undefined}
            data-state={isSubmitting ? 'submitting' : 'idle'}
          >
            {isSubmitting ? 'Saving…' : mode === 'insert' ? 'Create' : 'Save'}
          </button>
        </div>
      </form>
    </ThemeScope>
  )
}

/* ---- RecordFormPanel ---- */

/** The props of {@link RecordFormPanel}. */
export interface RecordFormPanelProps extends RecordFormProps {
  /** Whether the panel is open. */
  open: boolean
  /** Called when the panel asks to open or close (a dirty form confirms first). */
  onOpenChange: (open: boolean) => void
  /** The panel's title. Default is "New row" or "Edit row" with the table's name. */
  title?: ReactNode
  /** Called when the closed panel would move focus back (radix `onCloseAutoFocus`); `preventDefault()` to focus elsewhere. Default is none. */
  onCloseAutoFocus?: (event: Event) => void
}

/**
 * {@link RecordForm} in a side sheet (a radix Dialog): TableEditor's "expand row" panel. Closing
 * it with unsaved changes (Escape, the close button, a click outside, Cancel) asks first; a save
 * closes it.
 */
export function RecordFormPanel({
  open,
  onOpenChange,
  title,
  className,
  onSaved,
  onCancel,
  onDirtyChange,
  onCloseAutoFocus,
  ...form
}: RecordFormPanelProps) {
  // The sheet is portalled under document.body: it takes the theme of the grid or page it opens from.
  const scope = useThemeScope()
  const theme = form.theme ?? scope.theme
  const [dirty, setDirty] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const requestClose = () => {
    if (dirty) {
      setConfirming(true)
    } else {
      onOpenChange(false)
    }
  }
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next ? onOpenChange(true) : requestClose())}>
      <Dialog.Portal>
        <Dialog.Overlay
          className="bb-root bb-sheet-overlay"
          data-slot="record-form-overlay"
          data-theme={theme}
        />
        <Dialog.Content
          className={cx('bb-root', 'bb-sheet', className)}
          data-slot="record-form-panel"
          data-theme={theme}
          data-density={form.density}
          aria-describedby={undefined}
          {...(onCloseAutoFocus !== undefined ? { onCloseAutoFocus } : {})}
        >
          <header className="bb-sheet-header">
            <Dialog.Title className="bb-sheet-title">
              {title ?? `${form.recordId === undefined ? 'New' : 'Edit'} ${form.table} row`}
            </Dialog.Title>
            <Dialog.Close className="bb-editor-button" aria-label="Close">
              ✕
            </Dialog.Close>
          </header>
          {confirming ? (
            <DiscardConfirm
              onKeep={() => setConfirming(false)}
              onDiscard={() => {
                setConfirming(false)
                setDirty(false)
                onOpenChange(false)
              }}
            />
          ) : null}
          <RecordForm
            {...form}
            onDirtyChange={(next) => {
              setDirty(next)
              onDirtyChange?.(next)
            }}
            onSaved={(row) => {
              onSaved?.(row)
              setDirty(false)
              onOpenChange(false)
            }}
            onCancel={() => {
              onCancel?.()
              setDirty(false)
              onOpenChange(false)
            }}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
