export { SqlPanel, type SqlPanelProps } from './sql-panel.js'
export {
  addHistory,
  defaultSqlStorage,
  looksLikeWrite,
  readHistory,
  readSnippets,
  removeSnippet,
  resultToCSV,
  resultToJSON,
  saveSnippet,
  SQL_HISTORY_LIMIT,
  sqlStorageKeys,
  type SqlHistoryEntry,
  type SqlPanelStorage,
  type SqlSnippet,
} from './sql-text.js'
