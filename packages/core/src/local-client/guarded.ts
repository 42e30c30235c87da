import { toBaseboxError } from '@basebox/client'

/**
 * Runs `fn` and lets only `BaseboxError`s out, as the server does: anything else (a bug, a
 * driver failure) becomes `INTERNAL`, with the original as `cause`. @internal
 */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw toBaseboxError(error)
  }
}

/**
 * Runs `fn` unless `signal` is aborted, and rejects with the signal's reason as soon as it
 * aborts: the engine's work still finishes (a statement cannot be taken back), its result is
 * dropped. @internal
 */
export function abortable<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  if (signal === undefined) {
    return guarded(fn)
  }
  if (signal.aborted) {
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    guarded(fn).then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
