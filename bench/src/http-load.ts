// The load generator of `bench:http`, in its own process so that it does not share the server's
// event loop: autocannon against a loopback URL, for a fixed time. Started by http.ts with
// `fork()`; gets a LoadRequest as a message and answers with a LoadResult.
import autocannon from 'autocannon'

export interface LoadRequest {
  /** `http://127.0.0.1:<port>`: only loopback targets. */
  origin: string
  /** Paths to request, built from a counter: `prefix + n + suffix` with n in 1..maxN, or a fixed list. */
  path: { template: string; maxN: number }
  headers: Record<string, string>
  connections: number
  seconds: number
  /** Seconds before a request counts as timed out. */
  timeoutSeconds: number
}

export interface LoadResult {
  requests: number
  seconds: number
  /** 2xx responses per second. */
  perSecond: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
  /** Latency of 2xx responses, ms. */
  p50: number
  p99: number
  max: number
  /** Status codes seen, with counts. */
  statusCodes: Record<string, number>
  /** Every 2xx latency, ms, sorted. */
  latencies: number[]
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const url = new URL(request.origin)
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`only loopback targets: ${request.origin}`)
  }
  let n = 0
  const latencies: number[] = []
  const options: autocannon.Options = {
    url: request.origin,
    connections: request.connections,
    duration: request.seconds,
    timeout: request.timeoutSeconds,
    headers: request.headers,
    requests: [
      {
        method: 'GET',
        // A different id (or page) on every request.
        setupRequest: (req) => ({ ...req, path: request.path.template.replace('{n}', String((n++ % request.path.maxN) + 1)) }),
      },
    ],
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error as Error) : resolve(done)))
    // autocannon's own histogram keeps whole milliseconds; these keep the fractions.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime)
      }
    })
  })
  const sorted = Float64Array.from(latencies).sort()
  const ok = result['2xx']
  return {
    requests: result.requests.total,
    seconds: result.duration,
    perSecond: ok / result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count])),
    latencies: Array.from(sorted),
  }
}

process.once('message', (message) => {
  load(message as LoadRequest).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: String((error as Error)?.stack ?? error) }, () => process.exit(1)),
  )
})
