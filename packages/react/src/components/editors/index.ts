/**
 * The value editors shared by `TableEditor` cells and `RecordForm` fields, and the read-only
 * renderers of values and reference labels.
 *
 * @module
 */
export * from './types.js'
export { editorFor } from './editor-for.js'
export { TextEditor } from './text-editor.js'
export { NumberEditor } from './number-editor.js'
export { BooleanEditor } from './boolean-editor.js'
export {
  DateEditor,
  TimestampEditor,
  toLocalDateTimeInput,
  viewerTimeZoneName,
} from './date-editor.js'
export { UUIDEditor } from './uuid-editor.js'
export { JSONEditor } from './json-editor.js'
export {
  REFERENCE_SEARCH_LIMIT,
  ReferenceEditor,
  ReferenceLabel,
  loadReferencedRow,
  referenceRowLabel,
  referenceSearchFilter,
  useReferenceLabel,
  type ReferenceLabelFn,
  type ReferenceLabelProps,
} from './reference.js'
export { formatTimestamp, renderValue } from './render-value.js'
