'use client'
// A read-only, virtualized grid of one SQL result, with the TableEditor's grid classes (its look
// and tokens). The TableEditor's own grid reads a table by blocks through the row hooks, so an
// arbitrary result (repeated column names, no key) is drawn here instead.
import type { SQLStatementResult } from '@basebox/client'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef, useState, type KeyboardEvent } from 'react'

const GUTTER = 56
const ROW_HEIGHT = 34
const NUMERIC = new Set(['integer', 'bigint', 'smallint', 'numeric', 'real', 'double precision'])

function columnWidth(name: string, type: string): number {
  return Math.min(320, Math.max(96, 24 + 8 * Math.max(name.length, type.length)))
}

function display(value: unknown): { text: string; isNull: boolean } {
  if (value === null || value === undefined) {
    return { text: 'NULL', isNull: true }
  }
  return { text: typeof value === 'object' ? JSON.stringify(value) : String(value), isNull: false }
}

/** The read-only grid of one result. Arrow keys, Home/End and PageUp/PageDown move the active cell. */
export function ResultGrid({ result, label }: { result: SQLStatementResult; label: string }) {
  const scroll = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState<{ row: number; col: number } | undefined>(undefined)
  const widths = result.columns.map((c) => columnWidth(c.name, c.type))
  const lefts = widths.reduce<number[]>(
    (acc, _w, i) => [...acc, i === 0 ? GUTTER : acc[i - 1]! + widths[i - 1]!],
    [],
  )
  const total = GUTTER + widths.reduce((a, b) => a + b, 0)
  const rows = useVirtualizer({
    count: result.rows.length,
    getScrollElement: () => scroll.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 800, height: 300 },
  })

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (result.rows.length === 0 || result.columns.length === 0) {
      return
    }
    const at = active ?? { row: 0, col: 0 }
    const last = { row: result.rows.length - 1, col: result.columns.length - 1 }
    const page = Math.max(1, Math.floor((scroll.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1)
    const moves: Record<string, { row: number; col: number }> = {
      ArrowDown: { row: Math.min(last.row, at.row + 1), col: at.col },
      ArrowUp: { row: Math.max(0, at.row - 1), col: at.col },
      ArrowRight: { row: at.row, col: Math.min(last.col, at.col + 1) },
      ArrowLeft: { row: at.row, col: Math.max(0, at.col - 1) },
      Home: { row: event.ctrlKey ? 0 : at.row, col: 0 },
      End: { row: event.ctrlKey ? last.row : at.row, col: last.col },
      PageDown: { row: Math.min(last.row, at.row + page), col: at.col },
      PageUp: { row: Math.max(0, at.row - page), col: at.col },
    }
    const next = moves[event.key]
    if (next !== undefined) {
      event.preventDefault()
      setActive(next)
      rows.scrollToIndex(next.row)
    }
  }

  return (
    <div
      ref={scroll}
      role="grid"
      aria-label={label}
      aria-readonly
      aria-rowcount={result.rows.length + 1}
      aria-colcount={result.columns.length + 1}
      aria-activedescendant={
        active === undefined ? undefined : `bb-sql-cell-${active.row}-${active.col}`
      }
      tabIndex={0}
      className="bb-te-grid bb-sql-grid"
      data-slot="sql-panel-grid"
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (active === undefined && result.rows.length > 0 && result.columns.length > 0) {
          setActive({ row: 0, col: 0 })
        }
      }}
    >
      <div style={{ position: 'relative', height: ROW_HEIGHT + rows.getTotalSize(), width: total }}>
        <div
          role="rowgroup"
          className="bb-te-head"
          style={{ position: 'sticky', top: 0, zIndex: 3, height: ROW_HEIGHT }}
        >
          <div
            role="row"
            aria-rowindex={1}
            className="bb-te-tr bb-te-header-row"
            style={{ position: 'relative', width: total, height: ROW_HEIGHT }}
          >
            <div
              role="columnheader"
              aria-colindex={1}
              className="bb-te-th bb-te-corner"
              style={{ position: 'sticky', left: 0, zIndex: 1, width: GUTTER, height: ROW_HEIGHT }}
            >
              <span className="bb-te-visually-hidden">Row</span>
            </div>
            {result.columns.map((column, i) => (
              <div
                key={i}
                role="columnheader"
                aria-colindex={i + 2}
                className="bb-te-th"
                title={`${column.name} (${column.type})`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: lefts[i],
                  width: widths[i],
                  height: ROW_HEIGHT,
                }}
              >
                <span className="bb-te-th-name">{column.name}</span>
                <span className="bb-te-th-type">{column.type}</span>
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup">
          {rows.getVirtualItems().map((item) => {
            const row = result.rows[item.index]!
            return (
              <div
                key={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className="bb-te-tr"
                style={{
                  position: 'absolute',
                  top: ROW_HEIGHT + item.start,
                  left: 0,
                  width: total,
                  height: ROW_HEIGHT,
                }}
              >
                <div
                  role="rowheader"
                  aria-colindex={1}
                  className="bb-te-row-header"
                  style={{ position: 'sticky', left: 0, width: GUTTER, height: ROW_HEIGHT }}
                >
                  <span className="bb-te-row-number">{item.index + 1}</span>
                </div>
                {result.columns.map((column, i) => {
                  const { text, isNull } = display(row[i])
                  const isActive = active?.row === item.index && active.col === i
                  return (
                    <div
                      key={i}
                      id={`bb-sql-cell-${item.index}-${i}`}
                      role="gridcell"
                      aria-colindex={i + 2}
                      aria-readonly
                      aria-selected={isActive}
                      className="bb-te-td"
                      data-type={
                        NUMERIC.has(column.type)
                          ? 'numeric'
                          : column.type === 'uuid' || column.type === 'jsonb'
                            ? column.type
                            : undefined
                      }
                      data-state={isActive ? 'active' : undefined}
                      data-row={item.index}
                      data-column={i}
                      style={{
                        position: 'absolute',
                        top: 0,
                        left: lefts[i],
                        width: widths[i],
                        height: ROW_HEIGHT,
                      }}
                      onClick={() => setActive({ row: item.index, col: i })}
                    >
                      <span
                        className="bb-te-cell-text"
                        data-null={isNull ? '' : undefined}
                        title={text}
                      >
                        {text}
                      </span>
                    </div>
                  )
                })}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
