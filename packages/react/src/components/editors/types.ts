import type { ColumnDefinition } from '@basebox/client'
import type { ComponentType } from 'react'

/** Where focus goes after an editor commits, in the grid. */
export type CommitMove = 'down' | 'up' | 'right' | 'left' | 'none'

/**
 * The props every value editor takes, in a grid cell and in a form field alike. Values are in
 * their wire form (what `selectRows` returns and `insertRows` takes).
 */
export interface CellEditorProps {
  /** The database of the table (reference pickers search the referenced table in it). */
  databaseId: string
  /** The column edited. */
  column: ColumnDefinition
  /** The current value. */
  value: unknown
  /**
   * Saves `value`; in the grid, `move` says where the active cell goes next (Enter: down, Tab:
   * right, Shift+Tab: left). A form editor calls it on every change with `move` `'none'`.
   */
  onCommit: (value: unknown, move?: CommitMove) => void
  /** Leaves without saving (Escape). */
  onCancel: () => void
  /** The text the user typed to start editing (a printable key on a selected cell), if any. */
  initialInput?: string
  /** Why the last value was refused, shown at the editor. */
  error?: string
  /** `'cell'` inside the grid (compact, commits on Enter/Tab/blur), `'field'` in a form. */
  variant: 'cell' | 'field'
  /** The element's id, for a form's `<label htmlFor>`. */
  id?: string
  /** Whether the editor is read-only (shows the value, changes nothing). */
  readOnly?: boolean
  /**
   * Told what is wrong with the text being typed (`undefined` once it parses again), so a form
   * can refuse to submit while an editor holds input it could not commit. Default is none.
   */
  onInputError?: (message: string | undefined) => void
  /** A readable label for a referenced row; see `TableEditor`'s `referenceLabel`. */
  referenceLabel?: (row: Record<string, unknown>, table: string) => string
}

/** A value editor: see {@link CellEditorProps}. */
export type CellEditor = ComponentType<CellEditorProps>
