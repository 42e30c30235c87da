// Automatic layout of the diagram with dagre: tables as boxes sized from their column count, the
// references as edges from the referencing table to the referenced one, left to right.
import dagre from '@dagrejs/dagre'
import type { DiagramModel } from './diagram-model.js'

/** The sizes the layout assumes; the stylesheet draws the tables at exactly these. @internal */
export const TABLE_WIDTH = 260
/** Height of a table's header row, in pixels. @internal */
export const HEADER_HEIGHT = 34
/** Height of one column row, in pixels. @internal */
export const COLUMN_HEIGHT = 24
/** Border and bottom padding of a table, in pixels. @internal */
const TABLE_CHROME = 8

/** The height of a table box with `columns` rows. @internal */
export function tableHeight(columns: number): number {
  return HEADER_HEIGHT + Math.max(columns, 1) * COLUMN_HEIGHT + TABLE_CHROME
}

/** A laid-out table: its top-left corner and size. @internal */
export interface TablePlacement {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Places every table of `model` with dagre (rank direction left to right, referenced tables to the
 * right of the tables that reference them), so no two boxes overlap. Pure. @internal
 */
export function layoutTables(model: DiagramModel): Map<string, TablePlacement> {
  const graph = new dagre.graphlib.Graph({ multigraph: true })
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 })
  graph.setDefaultEdgeLabel(() => ({}))
  for (const table of model.tables) {
    graph.setNode(table.name, { width: TABLE_WIDTH, height: tableHeight(table.columns.length) })
  }
  for (const reference of model.references) {
    if (reference.table === reference.references.table) continue
    if (!graph.hasNode(reference.table) || !graph.hasNode(reference.references.table)) continue
    graph.setEdge(reference.table, reference.references.table, {}, reference.id)
  }
  dagre.layout(graph)
  const placements = new Map<string, TablePlacement>()
  for (const table of model.tables) {
    const node = graph.node(table.name) as { x: number; y: number; width: number; height: number }
    // dagre gives centres; xyflow positions are top-left corners.
    placements.set(table.name, {
      x: node.x - node.width / 2,
      y: node.y - node.height / 2,
      width: node.width,
      height: node.height,
    })
  }
  return placements
}
