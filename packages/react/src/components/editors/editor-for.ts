import type { ColumnDefinition } from '@basebox/client'
import { BooleanEditor } from './boolean-editor.js'
import { DateEditor, TimestampEditor } from './date-editor.js'
import { JSONEditor } from './json-editor.js'
import { NumberEditor } from './number-editor.js'
import { ReferenceEditor } from './reference.js'
import { TextEditor } from './text-editor.js'
import type { CellEditor } from './types.js'
import { UUIDEditor } from './uuid-editor.js'

/**
 * The editor of a column: the reference picker for a column with `references`, else the editor
 * of its type (text, number for the four numeric types, boolean, date, timestamp, uuid, JSON).
 */
export function editorFor(column: Pick<ColumnDefinition, 'type' | 'references'>): CellEditor {
  if (column.references !== undefined) {
    return ReferenceEditor
  }
  switch (column.type) {
    case 'text':
      return TextEditor
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double':
      return NumberEditor
    case 'boolean':
      return BooleanEditor
    case 'date':
      return DateEditor
    case 'timestamptz':
      return TimestampEditor
    case 'uuid':
      return UUIDEditor
    case 'jsonb':
      return JSONEditor
    default:
      column.type satisfies never
      return TextEditor
  }
}
