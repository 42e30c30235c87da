// The page's engine and end-user auth for the demo app, from the app that started them.
import { createContext, useContext } from 'react'
import type { DemoEngine } from './end-user-session.js'

const DemoEngineContext = createContext<DemoEngine | null>(null)

/** Gives the demo app the page's engine and auth. */
export const DemoEngineProvider = DemoEngineContext.Provider

/** The page's engine and auth; throws outside {@link DemoEngineProvider}. */
export function useDemoEngine(): DemoEngine {
  const demo = useContext(DemoEngineContext)
  if (demo === null) {
    throw new Error('`useDemoEngine` must be used within `DemoEngineProvider`')
  }
  return demo
}
