// The load generator of `bench:http`, in its own process so that it does not share the server's
// event loop: autocannon against a loopback URL, for a fixed time. Started once per backend by
// http.ts with `fork()`; answers each LoadRequest message with a LoadResult, one at a time, and
// exits when the parent disconnects.
import http from 'node:http'
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
  /**
   * Without it, autocannon: every connection sends its next request as soon as the last is
   * answered. With it, node:http: each connection (its own keep-alive agent with one socket)
   * sends one request, then waits so that all of them together send `pacedRate` requests per
   * second (an open loop that keeps every connection open but idle most of the time).
   */
  pacedRate?: number
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
  /** Sockets the client opened (more than `connections` means some were closed and reopened); paced mode only. */
  sockets?: number
  /** CPU time of the load generator's process during the load, ms. */
  cpuMs?: number
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const url = new URL(request.origin)
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`only loopback targets: ${request.origin}`)
  }
  if (request.pacedRate !== undefined) {
    return paced(url, request, request.pacedRate)
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
        setupRequest: (req) => ({
          ...req,
          path: request.path.template.replace('{n}', String((n++ % request.path.maxN) + 1)),
        }),
      },
    ],
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) =>
      error ? reject(error as Error) : resolve(done),
    )
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
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [
        code,
        (stats as { count: number }).count,
      ]),
    ),
    latencies: Array.from(sorted),
  }
}

/** See {@link LoadRequest.pacedRate}. */
async function paced(url: URL, request: LoadRequest, rate: number): Promise<LoadResult> {
  const started = performance.now()
  const deadline = started + request.seconds * 1000
  const interval = (request.connections * 1000) / rate
  const latencies: number[] = []
  const statusCodes: Record<string, number> = {}
  let n = 0
  let requests = 0
  let errors = 0
  let timeouts = 0
  let sockets = 0
  const get = (agent: http.Agent) =>
    new Promise<void>((resolve) => {
      const path = request.path.template.replace('{n}', String((n++ % request.path.maxN) + 1))
      const t = performance.now()
      requests += 1
      const req = http.get(
        { host: url.hostname, port: url.port, path, headers: request.headers, agent },
        (res) => {
          res.resume()
          res.on('end', () => {
            const code = res.statusCode ?? 0
            statusCodes[code] = (statusCodes[code] ?? 0) + 1
            if (code >= 200 && code < 300) {
              latencies.push(performance.now() - t)
            }
            resolve()
          })
        },
      )
      req.on('socket', (socket) => {
        if (!(socket as { counted?: boolean }).counted) {
          ;(socket as { counted?: boolean }).counted = true
          sockets += 1
        }
      })
      req.setTimeout(request.timeoutSeconds * 1000, () => {
        timeouts += 1
        req.destroy(new Error('timeout'))
      })
      req.on('error', () => {
        errors += 1
        resolve()
      })
    })
  const agents = Array.from(
    { length: request.connections },
    () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  )
  await Promise.all(
    agents.map(async (agent, k) => {
      // Spread the connections' first requests over the first interval.
      await new Promise((resolve) => setTimeout(resolve, (k * interval) / request.connections))
      while (performance.now() < deadline) {
        const next = performance.now() + interval
        await get(agent)
        const wait = next - performance.now()
        if (wait > 0 && next < deadline) {
          await new Promise((resolve) => setTimeout(resolve, wait))
        } else if (next >= deadline) {
          break
        }
      }
    }),
  )
  agents.forEach((agent) => agent.destroy())
  const seconds = (performance.now() - started) / 1000
  const sorted = Float64Array.from(latencies).sort()
  const ok = latencies.length
  return {
    requests,
    seconds,
    perSecond: ok / seconds,
    ok,
    non2xx: Object.entries(statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .reduce((sum, [, count]) => sum + count, 0),
    errors,
    timeouts,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    statusCodes,
    latencies: Array.from(sorted),
    sockets,
  }
}

process.on('message', (message) => {
  const cpu = process.cpuUsage()
  load(message as LoadRequest).then(
    (result) => {
      const used = process.cpuUsage(cpu)
      process.send!({ result: { ...result, cpuMs: (used.user + used.system) / 1000 } })
    },
    (error: unknown) => process.send!({ error: String((error as Error)?.stack ?? error) }),
  )
})
process.on('disconnect', () => process.exit(0))
