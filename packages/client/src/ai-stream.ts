import type { AIStream } from './ai.js'

/**
 * The writable side of an {@link AIStream}: `push` partial values, then `resolve` or `reject`.
 * The remote and the local client build their streams with it. @internal
 */
export interface AIStreamWriter<TPartial, TResult> {
  readonly stream: AIStream<TPartial, TResult>
  push(value: TPartial): void
  resolve(result: TResult): void
  reject(error: unknown): void
}

/**
 * An {@link AIStream} fed by hand. `partial` buffers until read and ends when the result
 * settles; a failure rejects both (`result` is marked handled, so reading only `partial` is
 * safe). Aborting `signal` rejects with its reason. @internal
 */
export function createAIStreamWriter<TPartial, TResult>(
  signal?: AbortSignal,
): AIStreamWriter<TPartial, TResult> {
  const items: TPartial[] = []
  let settled = false
  let failure: { error: unknown } | undefined
  let wake: (() => void) | undefined
  let resolveResult!: (value: TResult) => void
  let rejectResult!: (error: unknown) => void
  const result = new Promise<TResult>((resolve, reject) => {
    resolveResult = resolve
    rejectResult = reject
  })
  result.catch(() => {})
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const onAbort = () => writer.reject(signal!.reason)
  const writer: AIStreamWriter<TPartial, TResult> = {
    stream: {
      partial: {
        async *[Symbol.asyncIterator]() {
          for (;;) {
            if (failure !== undefined) {
              throw failure.error
            }
            if (items.length > 0) {
              yield items.shift()!
            } else if (settled) {
              return
            } else {
              await new Promise<void>((resolve) => {
                wake = resolve
              })
            }
          }
        },
      },
      result,
    },
    push(value) {
      if (!settled) {
        items.push(value)
        notify()
      }
    },
    resolve(value) {
      if (!settled) {
        settled = true
        signal?.removeEventListener('abort', onAbort)
        resolveResult(value)
        notify()
      }
    },
    reject(error) {
      if (!settled) {
        settled = true
        failure = { error }
        signal?.removeEventListener('abort', onAbort)
        rejectResult(error)
        notify()
      }
    },
  }
  if (signal?.aborted) {
    writer.reject(signal.reason)
  } else {
    signal?.addEventListener('abort', onAbort, { once: true })
  }
  return writer
}
