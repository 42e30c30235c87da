'use client'
import type { BaseboxClient, Filter, OrderBy, SelectQuery, SelectResult } from '@basebox/client'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { useBaseboxClient } from '../../provider.js'
import { baseboxKeys } from '../../query/keys.js'

type Row = Record<string, unknown>

/** What the grid asks for: the filter and the order (ending with the primary key). */
export interface BlockQuery {
  where?: Filter
  orderBy: OrderBy[]
}

/** The total number of rows, and how sure it is. */
export interface RowTotal {
  /** `exact` (counted, or the end was reached), `estimated` (the planner's guess), `unknown` (not yet). */
  kind: 'exact' | 'estimated' | 'unknown'
  value: number
}

/**
 * The rows of a table in blocks of `blockSize`, for a virtualized grid: only the blocks in view
 * (and one ahead) are fetched, one request at a time, and when it returns the next one is chosen
 * from the newest viewport (so a fast scroll never queues requests for rows long gone). A block
 * after a loaded one is read by keyset cursor from that block's last row; a block reached by a
 * jump (a scrollbar drag to the middle) is read by offset. Blocks live in the React Query cache
 * under the table's rows key, so writes' optimistic changes and invalidations reach them.
 */
export class RowBlocks {
  private start = 0
  private end = 0
  private inFlight = false
  private attached = false
  private version = 0
  private listeners = new Set<() => void>()
  private error: unknown = undefined

  constructor(
    private readonly queryClient: QueryClient,
    private readonly client: BaseboxClient,
    private readonly databaseId: string,
    private readonly table: string,
    private readonly query: BlockQuery,
    private readonly blockSize: number,
    private readonly countThreshold: number,
  ) {}

  /** Starts listening to the cache and fetching; returns the function that stops both. */
  attach(): () => void {
    const prefix = baseboxKeys.rows(this.databaseId, this.table)
    this.attached = true
    const unsubscribe = this.queryClient.getQueryCache().subscribe((event) => {
      // Only what changes rows: data, an error, an invalidation, a removal. Observer events
      // (another component's query of this table mounting or re-rendering, as the expand-row
      // RecordForm does on every render) must not bump the version: the grid would re-render,
      // re-render the form, whose observer event bumps it again - "Maximum update depth exceeded".
      const changesRows =
        event.type === 'removed' ||
        (event.type === 'updated' &&
          (event.action.type === 'success' ||
            event.action.type === 'error' ||
            event.action.type === 'invalidate' ||
            event.action.type === 'setState'))
      if (!changesRows) {
        return
      }
      const key = event.query.queryKey
      if (prefix.every((part, index) => key[index] === part)) {
        this.changed()
        this.pump()
      }
    })
    this.pump()
    return () => {
      this.attached = false
      unsubscribe()
    }
  }

  /** The cache key of block `index`. */
  blockKey(index: number) {
    return baseboxKeys.rowPage(this.databaseId, this.table, {
      ...this.query,
      limit: this.blockSize,
      offset: index * this.blockSize,
    } satisfies SelectQuery)
  }

  private countKey(kind: 'exact' | 'estimated') {
    return baseboxKeys.rowPage(this.databaseId, this.table, {
      where: this.query.where,
      limit: 0,
      count: kind,
    })
  }

  private block(index: number): SelectResult<Row> | undefined {
    return this.queryClient.getQueryData<SelectResult<Row>>(this.blockKey(index))
  }

  private needsFetch(key: readonly unknown[]): boolean {
    const state = this.queryClient.getQueryState(key)
    return state === undefined || state.data === undefined || state.isInvalidated
  }

  /** Subscribes to changes (for `useSyncExternalStore`). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A number that changes whenever the rows, the total or the error change. */
  getVersion = (): number => this.version

  private changed(): void {
    this.version += 1
    for (const listener of this.listeners) {
      listener()
    }
  }

  /** Tells which rows are in view (`end` exclusive); fetches what is missing. */
  setViewport(start: number, end: number): void {
    if (start === this.start && end === this.end) {
      return
    }
    this.start = Math.max(0, start)
    this.end = Math.max(this.start, end)
    this.pump()
  }

  /** The row at `index` when its block is loaded. */
  getRow(index: number): Row | undefined {
    const block = this.block(Math.floor(index / this.blockSize))
    return block?.rows[index % this.blockSize]
  }

  /** Whether the first block has arrived (or failed). */
  get started(): boolean {
    return this.block(0) !== undefined
  }

  /** The last error of a read, cleared by {@link retry}. */
  get lastError(): unknown {
    return this.error
  }

  /** Clears the error and fetches again. */
  retry(): void {
    this.error = undefined
    this.changed()
    this.pump()
  }

  /** The rows currently loaded, in grid order with their indexes. */
  loadedRows(): { index: number; row: Row }[] {
    const out: { index: number; row: Row }[] = []
    for (const { index } of this.loadedBlocks()) {
      this.block(index)?.rows.forEach((row, i) =>
        out.push({ index: index * this.blockSize + i, row }),
      )
    }
    return out
  }

  /**
   * The total: counted exactly when the planner guesses fewer than the threshold, else the
   * guess; a short block (the end of the table) makes it exact, and loaded rows past a guess
   * stretch it.
   */
  getTotal(): RowTotal {
    const first = this.block(0)
    if (first === undefined) {
      return { kind: 'unknown', value: 0 }
    }
    if (first.rows.length < this.blockSize && first.nextCursor == null) {
      return { kind: 'exact', value: first.rows.length }
    }
    const exact = this.queryClient.getQueryData<SelectResult<Row>>(this.countKey('exact'))
    const estimated = this.queryClient.getQueryData<SelectResult<Row>>(this.countKey('estimated'))
    let known: RowTotal =
      exact?.count !== undefined
        ? { kind: 'exact', value: exact.count }
        : estimated?.count !== undefined
          ? { kind: 'estimated', value: estimated.count }
          : { kind: 'unknown', value: first.rows.length }
    if (known.kind !== 'exact') {
      // What the loaded blocks tell: a short block is the end; a full one means more follow.
      let lastFull = 0
      for (const { index } of this.loadedBlocks()) {
        const block = this.block(index)!
        if (
          block.rows.length < this.blockSize &&
          (block.rows.length > 0 || this.blockFull(index - 1))
        ) {
          return { kind: 'exact', value: index * this.blockSize + block.rows.length }
        }
        if (block.rows.length === 0 && index * this.blockSize < known.value) {
          known = { kind: known.kind, value: index * this.blockSize }
        }
        if (block.rows.length === this.blockSize) {
          lastFull = Math.max(lastFull, (index + 1) * this.blockSize + 1)
        }
      }
      if (lastFull > known.value) {
        known = { kind: known.kind === 'unknown' ? 'unknown' : 'estimated', value: lastFull }
      }
    }
    return known
  }

  private blockFull(index: number): boolean {
    return index >= 0 && this.block(index)?.rows.length === this.blockSize
  }

  private loadedBlocks(): { index: number }[] {
    const cache = this.queryClient.getQueryCache()
    const out: { index: number }[] = []
    for (const query of cache.findAll({
      queryKey: baseboxKeys.rows(this.databaseId, this.table),
    })) {
      const q = query.queryKey[7] as SelectQuery | undefined
      if (q?.offset === undefined || q.limit !== this.blockSize || query.state.data === undefined) {
        continue
      }
      const index = q.offset / this.blockSize
      if (JSON.stringify(q) === JSON.stringify(this.blockKey(index)[7])) {
        out.push({ index })
      }
    }
    return out.sort((a, b) => a.index - b.index)
  }

  // The next request: the blocks in view first (top to bottom), then one block ahead, then the count.
  private nextWork(): (() => Promise<unknown>) | undefined {
    const firstBlock = Math.floor(this.start / this.blockSize)
    const lastBlock = Math.floor(Math.max(this.start, this.end - 1) / this.blockSize)
    const wanted = [0]
    for (let i = firstBlock; i <= lastBlock + 1; i++) {
      wanted.push(i)
    }
    for (const index of wanted) {
      if (this.needsFetch(this.blockKey(index))) {
        return () => this.fetchBlock(index)
      }
    }
    const first = this.block(0)
    if (first !== undefined && first.nextCursor != null) {
      if (this.needsFetch(this.countKey('estimated'))) {
        return () => this.fetchCount('estimated')
      }
      const estimate =
        this.queryClient.getQueryData<SelectResult<Row>>(this.countKey('estimated'))?.count ??
        Infinity
      // Count exactly when the table is small, or when the rows proved the planner's guess wrong
      // (an empty block before the guessed end, a full block past it): one count, not a search.
      if (
        (estimate < this.countThreshold || this.estimateDisproved(estimate)) &&
        this.needsFetch(this.countKey('exact'))
      ) {
        return () => this.fetchCount('exact')
      }
    }
    return undefined
  }

  private estimateDisproved(estimate: number): boolean {
    for (const { index } of this.loadedBlocks()) {
      const length = this.block(index)!.rows.length
      const start = index * this.blockSize
      if (
        (length === 0 && index > 0 && start < estimate) ||
        (length === this.blockSize && start + length >= estimate)
      ) {
        return true
      }
    }
    return false
  }

  private fetchBlock(index: number): Promise<unknown> {
    const previous =
      index > 0
        ? this.queryClient.getQueryState<SelectResult<Row>>(this.blockKey(index - 1))
        : undefined
    const cursor = previous?.isInvalidated === false ? previous.data?.nextCursor : undefined
    return this.queryClient.fetchQuery({
      queryKey: this.blockKey(index),
      queryFn: ({ signal }) =>
        this.client.selectRows<Row>(
          this.databaseId,
          this.table,
          cursor != null
            ? { ...this.query, limit: this.blockSize, cursor }
            : { ...this.query, limit: this.blockSize, offset: index * this.blockSize },
          { signal },
        ),
      staleTime: 0,
      retry: false,
    })
  }

  private fetchCount(kind: 'exact' | 'estimated'): Promise<unknown> {
    return this.queryClient.fetchQuery({
      queryKey: this.countKey(kind),
      queryFn: ({ signal }) =>
        this.client.selectRows<Row>(
          this.databaseId,
          this.table,
          { where: this.query.where, limit: 0, count: kind },
          { signal },
        ),
      staleTime: 0,
      retry: false,
    })
  }

  /** Starts the next request unless one is in flight. */
  pump(): void {
    if (this.inFlight || !this.attached || this.error !== undefined) {
      return
    }
    const work = this.nextWork()
    if (work === undefined) {
      return
    }
    this.inFlight = true
    work().then(
      () => {
        this.inFlight = false
        this.changed()
        this.pump()
      },
      (error: unknown) => {
        this.inFlight = false
        // A write cancels reads in flight (its optimistic change must win): read again.
        if (error !== null && typeof error === 'object' && 'revert' in error) {
          queueMicrotask(() => this.pump())
          return
        }
        this.error = error
        this.changed()
      },
    )
  }
}

/** The {@link RowBlocks} of a table and query, re-made when the query changes. */
export function useRowBlocks(
  databaseId: string,
  table: string,
  query: BlockQuery | undefined,
  options: { blockSize: number; countThreshold: number },
): { blocks: RowBlocks | undefined; version: number } {
  const queryClient = useQueryClient()
  const client = useBaseboxClient()
  const queryText = JSON.stringify(query ?? null)
  const blocks = useMemo(
    () =>
      queryText === 'null'
        ? undefined
        : new RowBlocks(
            queryClient,
            client,
            databaseId,
            table,
            JSON.parse(queryText) as BlockQuery,
            options.blockSize,
            options.countThreshold,
          ),
    [queryClient, client, databaseId, table, queryText, options.blockSize, options.countThreshold],
  )
  useEffect(() => blocks?.attach(), [blocks])
  const version = useSyncExternalStore(
    (listener) => blocks?.subscribe(listener) ?? (() => undefined),
    () => blocks?.getVersion() ?? 0,
    () => 0,
  )
  return { blocks, version }
}
