// The Web Worker the playground's PGlite runs in. `relaxedDurability` lets a query answer before
// IndexedDB is written (the write still starts at once): in durable mode each query waited for a
// sync of the whole file system, and creating a database from a template took over a minute.
import { PGlite } from '@electric-sql/pglite'
import wasmURL from '@electric-sql/pglite/pglite.wasm?url'
import bundleURL from '@electric-sql/pglite/pglite.data?url'
import { worker } from '@electric-sql/pglite/worker'

// Loaded and compiled as soon as the worker starts (the page starts it before its own app code
// has loaded), not once the page sends `init`. Should either fail (a static host serving .wasm
// with the wrong type), PGlite loads it itself.
const wasmModule = WebAssembly.compileStreaming(fetch(wasmURL)).catch(() => undefined)
const fsBundle = fetch(bundleURL)
  .then((response) => (response.ok ? response.blob() : undefined))
  .catch(() => undefined)

let pglite: PGlite | undefined
let resyncs = 0
let resyncPending = false
/** Resyncs after failures; beyond this many the page's data may be behind, and we say so once. */
const MAX_RESYNCS = 20

// In relaxed mode PGlite starts each IndexedDB sync without awaiting it, so a failed one is an
// unhandled rejection here. The one seen is ENOENT (an Emscripten `ErrnoError`): Postgres removed a
// file while the sync was copying it, on a first start. A sync copies every change since the last
// complete one, so running another catches IndexedDB up.
self.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as { name?: unknown } | null
  if (reason?.name !== 'ErrnoError') {
    return
  }
  event.preventDefault()
  if (resyncPending) {
    return
  }
  if (resyncs >= MAX_RESYNCS) {
    console.warn(
      '[playground] saving to IndexedDB keeps failing; recent changes may be lost on reload',
    )
    return
  }
  resyncs++
  resyncPending = true
  setTimeout(() => {
    resyncPending = false
    void pglite?.syncToFs()
  }, 250)
})

void worker({
  init: async (options) => {
    const [pgliteWasmModule, bundle] = await Promise.all([wasmModule, fsBundle])
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      relaxedDurability: true,
      ...(pgliteWasmModule ? { pgliteWasmModule } : {}),
      ...(bundle ? { fsBundle: bundle } : {}),
    })
    return pglite
  },
})
