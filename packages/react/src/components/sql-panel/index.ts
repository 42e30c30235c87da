export { SQLPanel, type SQLPanelProps } from './sql-panel.js'
export {
  addHistory,
  defaultSQLStorage,
  looksLikeWrite,
  readHistory,
  readSnippets,
  removeSnippet,
  resultToCSV,
  resultToJSON,
  saveSnippet,
  SQL_HISTORY_LIMIT,
  sqlStorageKeys,
  type SQLHistoryEntry,
  type SQLPanelStorage,
  type SQLSnippet,
} from './sql-text.js'
