// The baseline: the same first rows in a plain <table>, not virtualized. One selectRows of one
// page (the size of TableEditor's first block), through the same client and React Query, then a
// table of strings. It is the floor of "first rows" (one read, one render, no grid machinery)
// and of frame time while scrolling (a few thousand static nodes, nothing rendered on scroll).
import { useRows } from '@basebox/react'

export function PlainTable({
  databaseId,
  table,
  limit,
}: {
  databaseId: string
  table: string
  limit: number
}) {
  const rows = useRows(databaseId, table, { orderBy: { column: 'id' }, limit })
  const list = rows.data?.rows ?? []
  const columns = list[0] === undefined ? [] : Object.keys(list[0])
  return (
    <div className="plain-scroll" data-bench-scroll>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.map((row) => (
            <tr key={String(row.id)}>
              {columns.map((column) => {
                const value = row[column]
                return (
                  <td key={column}>
                    {value === null || value === undefined
                      ? ''
                      : typeof value === 'object'
                        ? JSON.stringify(value)
                        : String(value)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
