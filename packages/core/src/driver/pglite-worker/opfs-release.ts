const OPFS_AHP = 'opfs-ahp://'
/** Pause between two looks at files still held. */
const POLL_MS = 20

/**
 * How to wait until a terminated worker's files on `dataDir` can be opened again, or `undefined`
 * when nothing needs waiting for. Only `opfs-ahp://` needs it: PGlite's access handle pool holds
 * an exclusive sync access handle on every file of the directory (about a thousand), and
 * Chromium releases them some time after `Worker.terminate()`, and AFTER the worker's Web Locks.
 * A new worker wins PGlite's election lock (`pglite-election-lock:<id>`) as soon as the old one's
 * locks are gone, opens the pool while handles are still held, and its `init` fails, or never
 * settles (PGlite 0.5.16 opens pool files in async Promise executors, whose throw is lost), so it
 * never answers. Measured in Chromium under load: the locks were free seconds before the files.
 * @internal
 */
export function releaseWaiterFor(
  dataDir: string,
): ((signal: AbortSignal) => Promise<void>) | undefined {
  if (!dataDir.startsWith(OPFS_AHP)) {
    return undefined
  }
  // Without writable streams (older Safari) the holder of a file cannot be told: start at once.
  if (
    typeof FileSystemFileHandle === 'undefined' ||
    !('createWritable' in FileSystemFileHandle.prototype)
  ) {
    return undefined
  }
  const path = dataDir.slice(OPFS_AHP.length).split('/').filter(Boolean)
  return (signal) => waitForOPFSRelease(path, signal)
}

/**
 * Resolves once no file under the OPFS directory `path` is held by a sync access handle (a
 * missing directory has none). Looks again every {@link POLL_MS} ms until then, or rejects with
 * the signal's reason once `signal` aborts.
 */
async function waitForOPFSRelease(path: readonly string[], signal: AbortSignal): Promise<void> {
  const directory = await openDirectory(path)
  if (directory === undefined) {
    return
  }
  let held = await listFiles(directory)
  for (;;) {
    signal.throwIfAborted()
    const stillHeld = await Promise.all(held.map(isHeld))
    held = held.filter((_, index) => stillHeld[index])
    if (held.length === 0) {
      return
    }
    await pause(POLL_MS, signal)
  }
}

async function openDirectory(
  path: readonly string[],
): Promise<FileSystemDirectoryHandle | undefined> {
  let directory = await navigator.storage.getDirectory()
  for (const part of path) {
    try {
      directory = await directory.getDirectoryHandle(part)
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotFoundError') {
        return undefined
      }
      throw error
    }
  }
  return directory
}

/**
 * A directory's async iteration (TypeScript's `DOM.AsyncIterable` lib), declared here: the
 * packages that compile this source do not all include that lib.
 */
interface IterableDirectory {
  values(): AsyncIterable<FileSystemHandle>
}

async function listFiles(
  directory: FileSystemDirectoryHandle,
  into: FileSystemFileHandle[] = [],
): Promise<FileSystemFileHandle[]> {
  for await (const entry of (directory as FileSystemDirectoryHandle & IterableDirectory).values()) {
    if (entry instanceof FileSystemFileHandle) {
      into.push(entry)
    } else if (entry instanceof FileSystemDirectoryHandle) {
      await listFiles(entry, into)
    }
  }
  return into
}

/**
 * Whether a sync access handle holds `file`. A writable stream takes the file's shared lock,
 * which an open sync access handle (exclusive) refuses with `NoModificationAllowedError`. The
 * stream is aborted at once: nothing is written, and the lock is free again before the next
 * worker starts.
 */
async function isHeld(file: FileSystemFileHandle): Promise<boolean> {
  try {
    const writable = await file.createWritable({ keepExistingData: false })
    await writable.abort()
    return false
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NoModificationAllowedError') {
      return true
    }
    if (error instanceof DOMException && error.name === 'NotFoundError') {
      return false
    }
    throw error
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
