/**
 * `RecordForm` and `RecordFormPanel`: create and edit one record.
 *
 * @module
 */
export {
  RecordForm,
  RecordFormPanel,
  type RecordFormPanelProps,
  type RecordFormProps,
} from './record-form.js'
