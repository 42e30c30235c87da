'use client'
import {
  createContext,
  useContext,
  useEffect,
  useLayoutEffect,
  useState,
  type RefObject,
} from 'react'

/** A component's theme and density, as its portalled parts (popovers, dialogs, menus) need them. @internal */
export interface ThemeScopeValue {
  /** `'light'`, `'dark'`, or none (the host's `prefers-color-scheme` decides). */
  theme?: 'light' | 'dark' | undefined
  density?: 'compact' | 'normal' | 'comfortable' | undefined
}

const ThemeScopeContext = createContext<ThemeScopeValue>({})

/** Provides {@link ThemeScopeValue} to a component's portalled parts. @internal */
export const ThemeScope = ThemeScopeContext.Provider

// A layout effect in the browser (the theme is known before the first paint), nothing on the server.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect

function toTheme(value: string | null | undefined): 'light' | 'dark' | undefined {
  return value === 'light' || value === 'dark' ? value : undefined
}

/**
 * The theme a component root shows: its own `theme` prop, else the nearest ancestor's
 * `data-theme` (a host's dark page), else none. Radix portals render under `document.body`,
 * outside that ancestor, so the root hands this to them through {@link ThemeScope}. @internal
 */
export function useResolvedTheme(
  root: RefObject<HTMLElement | null>,
  own: 'light' | 'dark' | undefined,
): 'light' | 'dark' | undefined {
  const outer = useContext(ThemeScopeContext).theme
  const [ancestor, setAncestor] = useState<'light' | 'dark' | undefined>(undefined)
  const read = () =>
    toTheme(root.current?.parentElement?.closest('[data-theme]')?.getAttribute('data-theme'))
  // Read after every render: cheap (one closest()), and a host may switch its theme at any time.
  // Set only on a change (an updater that returns the same value still schedules a render, and
  // an effect that runs after every render then loops).
  useIsomorphicLayoutEffect(() => {
    const found = read()
    if (found !== ancestor) {
      setAncestor(found)
    }
  })
  // A host that switches its page's theme without rendering this component again (a toggle on
  // <html>) is seen too, so open popovers, menus and dialogs follow it at once.
  useEffect(() => {
    if (typeof MutationObserver === 'undefined') {
      return
    }
    const observer = new MutationObserver(() => setAncestor(read()))
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
      subtree: true,
    })
    return () => observer.disconnect()
    // `read` only reads the ref.
  }, [])
  return own ?? ancestor ?? outer
}

/**
 * The `data-theme` and `data-density` attributes for a portalled part's outermost element (it
 * carries `bb-root` too), so a popover opened from a dark grid is dark. @internal
 */
export function usePortalTheme(): {
  'data-theme'?: 'light' | 'dark'
  'data-density'?: 'compact' | 'normal' | 'comfortable'
} {
  const { theme, density } = useContext(ThemeScopeContext)
  return {
    ...(theme !== undefined ? { 'data-theme': theme } : {}),
    ...(density !== undefined ? { 'data-density': density } : {}),
  }
}

/** The nearest component root's {@link ThemeScopeValue}. @internal */
export function useThemeScope(): ThemeScopeValue {
  return useContext(ThemeScopeContext)
}
