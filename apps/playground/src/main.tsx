// The playground's entry, kept small: it starts the PGlite worker at once (in local mode, when
// this browser can run it), then loads the app. The worker's boot and the app's code load
// side by side instead of one after the other.
import { readConnection } from './connection-setting.js'
import { prestartWorker } from './worker-start.js'

if (readConnection().mode === 'local' && 'locks' in navigator) {
  prestartWorker()
}

import('./start.js').catch((error: unknown) => {
  const root = document.getElementById('root')!
  root.textContent = `The playground could not load: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`
  root.setAttribute('role', 'alert')
})
