'use client'
// The diagram itself (the lazy chunk): @xyflow/react with one node per table and one edge per
// reference, placed by dagre (./layout.ts), with the plan's diff, connection proposals and export.
import type { TableDefinition, WireChangePlan } from '@basebox/client'
import {
  Background,
  Controls,
  getNodesBounds,
  Handle,
  MarkerType,
  MiniMap,
  Panel,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react'
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { usePlanChanges, useTables } from '../../hooks/use-tables.js'
import {
  buildDiagramModel,
  withReference,
  type DiagramColumn,
  type DiagramStatus,
  type DiagramTable,
} from './diagram-model.js'
import { downloadFile, renderDiagramImage, type SchemaDiagramImageFormat } from './export-image.js'
import { COLUMN_HEIGHT, HEADER_HEIGHT, layoutTables } from './layout.js'
import { SCHEMA_DIAGRAM_CSS } from './schema-diagram-view.styles.js'
import type { ReferenceProposal, SchemaDiagramProps } from './schema-diagram.js'

// Room at the top for the panels drawn over the diagram (the legend of a plan top-left, the
// export buttons top-right), so a fitted diagram never starts under them.
const FIT_PADDING = { top: '72px', right: '5%', bottom: '5%', left: '5%' } as const

type TableNodeData = { table: DiagramTable; connectable: boolean }
type TableNode = Node<TableNodeData, 'table'>

const STATUS_WORDS: Record<Exclude<DiagramStatus, 'unchanged'>, string> = {
  added: 'added',
  changed: 'changed',
  removed: 'removed',
}

/** Handle ids of a column: its right side starts a reference, its left side is referenced. */
const sourceHandle = (column: string) => `${column}:out`
const targetHandle = (column: string) => `${column}:in`
const columnOfHandle = (handle: string | null | undefined) =>
  handle ? handle.replace(/:(in|out)$/, '') : undefined

function statusText(status: DiagramStatus): string {
  return status === 'unchanged' ? '' : ` (${STATUS_WORDS[status]})`
}

function ColumnRow({ column, connectable }: { column: DiagramColumn; connectable: boolean }) {
  const title = [
    column.renamedFrom ? `renamed from ${column.renamedFrom}` : undefined,
    column.typeFrom ? `type was ${column.typeFrom}` : undefined,
    column.changes.length > 0 ? `changes: ${column.changes.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
  return (
    <li
      className="bb-schema-diagram__column"
      data-column={column.name}
      data-status={column.status}
      title={title || undefined}
      style={{ height: COLUMN_HEIGHT }}
    >
      <Handle
        type="target"
        position={Position.Left}
        id={targetHandle(column.name)}
        isConnectable={connectable}
        className="bb-schema-diagram__handle"
        aria-label={`${column.name}: referenced here`}
      />
      <span className="bb-schema-diagram__key">
        {column.primaryKey ? (
          <abbr title="primary key">PK</abbr>
        ) : column.unique ? (
          <abbr title="unique">UQ</abbr>
        ) : null}
      </span>
      <span className="bb-schema-diagram__column-name">
        {column.name}
        {column.required && !column.primaryKey ? (
          <abbr className="bb-schema-diagram__required" title="required">
            *
          </abbr>
        ) : null}
      </span>
      <span className="bb-schema-diagram__type">
        {column.typeFrom ? <s className="bb-schema-diagram__was">{column.typeFrom}</s> : null}
        {column.type}
      </span>
      {column.status !== 'unchanged' ? (
        <span className="bb-schema-diagram__sr">{statusText(column.status)}</span>
      ) : null}
      <Handle
        type="source"
        position={Position.Right}
        id={sourceHandle(column.name)}
        isConnectable={connectable}
        className="bb-schema-diagram__handle"
        aria-label={`${column.name}: draw a reference from here`}
      />
    </li>
  )
}

const TableNodeView = memo(function TableNodeView({ data }: NodeProps<TableNode>) {
  const { table, connectable } = data
  return (
    <div className="bb-schema-diagram__table" data-table={table.name} data-status={table.status}>
      <div
        className="bb-schema-diagram__table-header"
        style={{ height: HEADER_HEIGHT }}
        title={table.changes.length > 0 ? `changes: ${table.changes.join(', ')}` : undefined}
      >
        <span className="bb-schema-diagram__table-name">{table.name}</span>
        {table.renamedFrom ? <s className="bb-schema-diagram__was">{table.renamedFrom}</s> : null}
        {table.status !== 'unchanged' ? (
          <span className="bb-schema-diagram__status">{STATUS_WORDS[table.status]}</span>
        ) : null}
      </div>
      <ul className="bb-schema-diagram__columns">
        {table.columns.map((column) => (
          <ColumnRow
            key={`${column.status}:${column.name}`}
            column={column}
            connectable={connectable}
          />
        ))}
      </ul>
    </div>
  )
})

const nodeTypes = { table: TableNodeView }

function Legend() {
  return (
    <Panel
      position="top-left"
      className="bb-schema-diagram__legend"
      aria-label="Legend of the pending changes"
    >
      <span className="bb-schema-diagram__legend-title">Pending changes</span>
      <ul>
        <li data-status="added">Added</li>
        <li data-status="changed">Changed</li>
        <li data-status="removed">Removed</li>
      </ul>
    </Panel>
  )
}

type ViewProps = SchemaDiagramProps & { label: string; skeleton: ReactNode }

function Diagram(props: ViewProps) {
  const { databaseId, onOpenTable, onProposeReference, planProposedReferences = false } = props
  const tablesQuery = useTables(databaseId)
  const planChanges = usePlanChanges(databaseId)
  const flow = useReactFlow<TableNode, Edge>()
  const root = useRef<HTMLDivElement>(null)
  const [proposed, setProposed] = useState<{ plan: WireChangePlan; for: number } | undefined>(
    undefined,
  )
  const [problem, setProblem] = useState<string | undefined>(undefined)
  const [exporting, setExporting] = useState<SchemaDiagramImageFormat | undefined>(undefined)

  const definitions = useMemo<TableDefinition[]>(
    () => (tablesQuery.data ?? []).map((info) => info.definition),
    [tablesQuery.data],
  )
  // A proposal's plan holds until the tables change (a refetch after a schema change).
  const shownPlan =
    proposed && proposed.for === tablesQuery.dataUpdatedAt ? proposed.plan : props.plan
  const model = useMemo(() => buildDiagramModel(definitions, shownPlan), [definitions, shownPlan])
  const placements = useMemo(() => layoutTables(model), [model])
  const connectable = onProposeReference !== undefined || planProposedReferences

  const nodes = useMemo<TableNode[]>(
    () =>
      model.tables.map((table) => {
        const place = placements.get(table.name)!
        return {
          id: table.name,
          type: 'table',
          position: { x: place.x, y: place.y },
          width: place.width,
          height: place.height,
          data: { table, connectable },
          ariaLabel: `Table ${table.name}, ${table.columns.length} column${table.columns.length === 1 ? '' : 's'}${statusText(table.status)}`,
          ariaRole: onOpenTable ? 'button' : 'group',
          className: `bb-schema-diagram__node`,
          draggable: false,
          deletable: false,
        }
      }),
    [model, placements, connectable, onOpenTable],
  )
  const edges = useMemo<Edge[]>(() => {
    const columns = new Map(
      model.tables.map((table) => [table.name, new Set(table.columns.map((c) => c.name))]),
    )
    return model.references
      .filter(
        (reference) =>
          columns.get(reference.table)?.has(reference.column) &&
          columns.get(reference.references.table)?.has(reference.references.column),
      )
      .map((reference) => ({
        id: reference.id + (reference.status === 'removed' ? ':removed' : ''),
        source: reference.table,
        sourceHandle: sourceHandle(reference.column),
        target: reference.references.table,
        targetHandle: targetHandle(reference.references.column),
        type: 'smoothstep',
        className: `bb-schema-diagram__edge bb-schema-diagram__edge--${reference.status}`,
        markerEnd: { type: MarkerType.ArrowClosed },
        ariaLabel: `${reference.table}.${reference.column} references ${reference.references.table}.${reference.references.column}${statusText(reference.status)}`,
        data: { status: reference.status },
        deletable: false,
        focusable: true,
      }))
  }, [model])

  // A new layout (tables added or removed, a plan shown): fit it in view once it is drawn.
  const layoutKey = nodes
    .map((node) => `${node.id}@${node.position.x},${node.position.y}`)
    .join('|')
  useEffect(() => {
    if (nodes.length === 0) return
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: FIT_PADDING }))
    return () => cancelAnimationFrame(frame)
  }, [layoutKey, flow, nodes.length])

  const onConnect = useCallback(
    (connection: Connection) => {
      const column = columnOfHandle(connection.sourceHandle)
      const referenced = columnOfHandle(connection.targetHandle)
      if (!column || !referenced) return
      const proposal: ReferenceProposal = {
        table: connection.source,
        column,
        references: { table: connection.target, column: referenced },
      }
      onProposeReference?.(proposal)
      if (!planProposedReferences) return
      const wanted = withReference(definitions, proposal)
      if (!wanted) return
      setProblem(undefined)
      const forData = tablesQuery.dataUpdatedAt
      planChanges.mutate(
        { wanted },
        {
          onSuccess: (plan) => {
            setProposed({ plan, for: forData })
            props.onProposedPlan?.(plan, proposal)
          },
          onError: (error) => setProblem(error instanceof Error ? error.message : String(error)),
        },
      )
    },
    [
      definitions,
      onProposeReference,
      planProposedReferences,
      planChanges,
      props.onProposedPlan,
      tablesQuery.dataUpdatedAt,
    ],
  )

  // Enter opens the focused table; arrow keys move the focus to the nearest table that way.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const target = event.target as HTMLElement
      if (!target.classList.contains('react-flow__node')) return
      const id = target.getAttribute('data-id')
      if (id === null) return
      if (event.key === 'Enter' && onOpenTable) {
        event.preventDefault()
        onOpenTable(id)
        return
      }
      const direction = {
        ArrowRight: [1, 0],
        ArrowLeft: [-1, 0],
        ArrowDown: [0, 1],
        ArrowUp: [0, -1],
      }[event.key]
      if (!direction) return
      const from = placements.get(id)
      if (!from) return
      const centre = (p: { x: number; y: number; width: number; height: number }) =>
        [p.x + p.width / 2, p.y + p.height / 2] as const
      const [fx, fy] = centre(from)
      let best: { id: string; score: number } | undefined
      for (const [other, place] of placements) {
        if (other === id) continue
        const [ox, oy] = centre(place)
        const along = (ox - fx) * direction[0]! + (oy - fy) * direction[1]!
        if (along <= 0) continue
        const across = Math.abs((ox - fx) * direction[1]! + (oy - fy) * direction[0]!)
        const score = along + across * 2
        if (!best || score < best.score) best = { id: other, score }
      }
      if (!best) return
      event.preventDefault()
      const next = root.current?.querySelector<HTMLElement>(
        `.react-flow__node[data-id="${CSS.escape(best.id)}"]`,
      )
      next?.focus()
    },
    [onOpenTable, placements],
  )

  const exportImage = useCallback(
    async (format: SchemaDiagramImageFormat) => {
      const viewport = root.current?.querySelector<HTMLElement>('.react-flow__viewport')
      if (!viewport || !root.current) return
      setExporting(format)
      try {
        const bounds = getNodesBounds(flow.getNodes())
        const background =
          getComputedStyle(root.current).getPropertyValue('--bb-color-bg').trim() || '#ffffff'
        const blob = await renderDiagramImage(viewport, bounds, format, background)
        const file = { format, blob, fileName: `${props.fileName ?? 'schema'}.${format}` }
        if (props.download !== false) downloadFile(file)
        props.onExport?.(file)
      } catch (error) {
        setProblem(
          `The ${format.toUpperCase()} export failed: ${error instanceof Error ? error.message : String(error)}`,
        )
      } finally {
        setExporting(undefined)
      }
    },
    [flow, props.fileName, props.download, props.onExport],
  )

  if (tablesQuery.isPending) return props.skeleton
  if (tablesQuery.isError) {
    return (
      <div className="bb-schema-diagram__message" role="alert">
        The tables could not be loaded: {tablesQuery.error.message}
      </div>
    )
  }
  const planned = (shownPlan?.steps.length ?? 0) > 0
  return (
    <div
      ref={root}
      className="bb-schema-diagram__flow"
      onKeyDown={onKeyDown}
      data-planned={planned ? '' : undefined}
    >
      <ReactFlow<TableNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onOpenTable ? (_event, node) => onOpenTable(node.id) : undefined}
        onConnect={connectable ? onConnect : undefined}
        nodesConnectable={connectable}
        nodesDraggable={false}
        nodesFocusable
        edgesFocusable
        elementsSelectable
        fitView
        fitViewOptions={{ padding: FIT_PADDING }}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        aria-label={props.label}
        ariaLabelConfig={{
          'node.a11yDescription.default': onOpenTable
            ? 'Press Enter to open the table, the arrow keys to move to a neighbouring table.'
            : 'Use the arrow keys to move to a neighbouring table.',
          'edge.a11yDescription.default': 'A reference from one column to another.',
          'controls.ariaLabel': 'Diagram controls',
          'controls.zoomIn.ariaLabel': 'Zoom in',
          'controls.zoomOut.ariaLabel': 'Zoom out',
          'controls.fitView.ariaLabel': 'Fit the diagram in view',
          'minimap.ariaLabel': 'Minimap of the diagram',
          'handle.ariaLabel': 'Column handle',
        }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          nodeClassName={(node) =>
            `bb-schema-diagram__minimap-node--${(node.data as TableNodeData).table.status}`
          }
        />
        {planned ? <Legend /> : null}
        <Panel position="top-right" className="bb-schema-diagram__toolbar">
          <button
            type="button"
            className="bb-button"
            onClick={() => void exportImage('png')}
            disabled={exporting !== undefined || nodes.length === 0}
          >
            Export PNG
          </button>
          <button
            type="button"
            className="bb-button"
            onClick={() => void exportImage('svg')}
            disabled={exporting !== undefined || nodes.length === 0}
          >
            Export SVG
          </button>
        </Panel>
        {problem ? (
          <Panel position="bottom-center" className="bb-schema-diagram__problem">
            <span role="alert">{problem}</span>
          </Panel>
        ) : null}
        {planChanges.isPending ? (
          <Panel position="bottom-center" className="bb-schema-diagram__problem">
            <span role="status">Planning the reference…</span>
          </Panel>
        ) : null}
      </ReactFlow>
      {nodes.length === 0 ? (
        <div className="bb-schema-diagram__empty" role="status">
          This database has no tables yet.
        </div>
      ) : null}
    </div>
  )
}

/** The lazy chunk's component: the diagram in its own xyflow provider. @internal */
export default function SchemaDiagramView(props: ViewProps) {
  return (
    <ReactFlowProvider>
      {/* The diagram's stylesheet comes with its chunk; React hoists it into the head once. */}
      <style href="basebox-schema-diagram" precedence="basebox">
        {SCHEMA_DIAGRAM_CSS}
      </style>
      <Diagram {...props} />
    </ReactFlowProvider>
  )
}
