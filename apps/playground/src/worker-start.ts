// The PGlite worker. The page's first script starts it (see main.tsx) before the app's code has
// even loaded, so that the worker's own script, PGlite's WebAssembly and its file-system bundle
// load and compile while the page does the same for React and the kit; the engine then takes
// that worker for its first start instead of making one. Restarts (a runaway query stopped) make
// new ones.

interface EarlyWorker {
  worker: Worker
  /** Whether the worker's first message (PGlite's `here`) came before anyone listened. */
  announced: boolean
}

let early: EarlyWorker | undefined

function newWorker(): Worker {
  return new Worker(new URL('./pglite.worker.ts', import.meta.url), { type: 'module' })
}

/** Starts the worker now, for {@link takeWorker} to hand out later. */
export function prestartWorker(): void {
  if (early !== undefined) {
    return
  }
  const started: EarlyWorker = { worker: newWorker(), announced: false }
  // A message with no listener yet is lost: PGlite's `here` is remembered, to be given again.
  started.worker.addEventListener(
    'message',
    (event: MessageEvent<{ type?: unknown }>) => {
      started.announced ||= event.data?.type === 'here'
    },
    { once: true },
  )
  early = started
}

/**
 * The worker started early (once), or a new one. Pass it to `PGliteWorker.create` at once: an
 * early worker's `here`, if it came already, is given again right after, once PGliteWorker
 * listens.
 */
export function takeWorker(): Worker {
  const taken = early
  early = undefined
  if (taken === undefined) {
    return newWorker()
  }
  if (taken.announced) {
    queueMicrotask(() =>
      taken.worker.dispatchEvent(new MessageEvent('message', { data: { type: 'here' } })),
    )
  }
  return taken.worker
}
