'use client'
// The shared body of the lazy admin components (<AccessRules>, <APIKeys>, <AuthUsers>,
// <DataTransfer>, <DatabaseOverview>, <SchemaBuilder>): a placeholder of the component's size
// while its chunk loads, then the chunk's component with that size.
import { Suspense, type ComponentType, type CSSProperties } from 'react'

/** The props every lazy panel shares. */
export interface LazyPanelProps {
  height?: number | string
  theme?: 'light' | 'dark'
  'aria-label'?: string
  className?: string
}

/**
 * Renders `Impl` (a `React.lazy` component) with `props` and a `style` of the panel's height,
 * behind a skeleton of the same size, so nothing moves when the chunk arrives.
 */
export function LazyPanel<P extends LazyPanelProps>({
  Impl,
  props,
  slot,
  label,
  defaultHeight,
}: {
  Impl: ComponentType<P & { style: CSSProperties }>
  props: P
  /** The placeholder's `data-slot` is `<slot>-loading`. */
  slot: string
  /** The accessible name when `props['aria-label']` is not given. */
  label: string
  /** E.g. `'var(--bb-api-keys-height, 560px)'`. */
  defaultHeight: string
}) {
  const height = props.height ?? defaultHeight
  const style = { height: typeof height === 'number' ? `${height}px` : height }
  return (
    <Suspense
      fallback={
        <div
          className={['bb-root', props.className].filter(Boolean).join(' ')}
          data-theme={props.theme}
          data-slot={`${slot}-loading`}
          style={style}
          aria-label={props['aria-label'] ?? label}
          aria-busy="true"
        >
          <span className="bb-te-skeleton" style={{ display: 'block', height: '100%' }} />
        </div>
      }
    >
      <Impl {...props} style={style} />
    </Suspense>
  )
}
