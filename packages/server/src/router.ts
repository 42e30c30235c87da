import type { Answer } from './body.js'

/** A matched route: its handler and the path parameters. */
export interface Match<TContext> {
  handler: RouteHandler<TContext>
  params: Record<string, string>
}

/** A route handler: gets the request, the path parameters and the context; answers a {@link Answer} (a text answer, or a `Response` for a streamed body). */
export type RouteHandler<TContext> = (
  request: Request,
  params: Record<string, string>,
  context: TContext,
) => Promise<Answer>

interface Route<TContext> {
  method: string
  parts: string[]
  handler: RouteHandler<TContext>
}

/**
 * A small path router: `/api/database/:databaseId/tables/:table`. Segments are matched exactly
 * or captured by `:name`; captured values are URI-decoded.
 */
export class Router<TContext> {
  readonly #routes: Route<TContext>[] = []

  /** Adds a route. */
  on(method: string, path: string, handler: RouteHandler<TContext>): this {
    this.#routes.push({ method, parts: path.split('/').filter(Boolean), handler })
    return this
  }

  /** The route for a method and path; `'method'` when the path exists for other methods only. */
  match(method: string, path: string): Match<TContext> | 'method' | undefined {
    const parts = path.split('/').filter(Boolean)
    let pathExists = false
    for (const route of this.#routes) {
      if (route.parts.length !== parts.length) {
        continue
      }
      const params: Record<string, string> = {}
      let ok = true
      for (let i = 0; i < parts.length && ok; i++) {
        const want = route.parts[i]!
        if (want.startsWith(':')) {
          try {
            params[want.slice(1)] = decodeURIComponent(parts[i]!)
          } catch {
            ok = false
          }
        } else {
          ok = want === parts[i]
        }
      }
      if (!ok) {
        continue
      }
      pathExists = true
      if (route.method === method) {
        return { handler: route.handler, params }
      }
    }
    return pathExists ? 'method' : undefined
  }
}
