// Server-side rendering in Node, with no DOM: importing the kit touches no `window`, and
// rendering to a string calls no client method and gives the same markup every time.
import type { BaseboxClient } from '@basebox/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

// Every method of this client fails the test if the server render calls it.
const untouchable = new Proxy({} as BaseboxClient, {
  get: (_target, method) => () => {
    throw new Error(`the server render called client.${String(method)}`)
  },
})

describe('given a Node server render', () => {
  it('imports the package without a window or document', async () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    const kit = await import('./index.js')
    expect(typeof kit.BaseboxProvider).toBe('function')
    expect(typeof kit.useInfiniteRows).toBe('function')
  })

  it('renders the hooks and every component to a stable string without calling the client', async () => {
    const kit = await import('./index.js')
    const { PostList } = await import('./examples/hooks-only.js')
    const render = () =>
      renderToString(
        <kit.BaseboxProvider client={untouchable}>
          <PostList databaseId="db" />
          <kit.TableEditor databaseId="db" table="posts" />
          <kit.RecordForm databaseId="db" table="posts" />
          <kit.RecordForm databaseId="db" table="posts" recordId={1} />
        </kit.BaseboxProvider>,
      )
    const first = render()
    expect(first).toContain('Loading')
    // The grid's skeleton and the forms' loading state, not empty strings.
    expect(first).toContain('data-slot="table-editor"')
    expect(first).toContain('data-slot="record-form"')
    expect(render()).toBe(first)
  })

  it('renders the SQLPanel as its same-size placeholder, loading no editor', async () => {
    const kit = await import('./index.js')
    const html = renderToString(
      <kit.BaseboxProvider client={untouchable}>
        <kit.SQLPanel databaseId="db" height={480} />
      </kit.BaseboxProvider>,
    )
    expect(html).toContain('data-slot="sql-panel-loading"')
    expect(html).toContain('height:480px')
    expect(html).not.toContain('cm-editor')
  })

  it('renders AccessRules and DatabaseOverview as their same-size placeholders, calling no client method', async () => {
    const kit = await import('./index.js')
    const html = renderToString(
      <kit.BaseboxProvider client={untouchable}>
        <kit.AccessRules databaseId="db" height={400} />
        <kit.DatabaseOverview databaseId="db" height={300} apiURL="https://x" anonKey="k" />
      </kit.BaseboxProvider>,
    )
    expect(html).toContain('data-slot="access-rules-loading"')
    expect(html).toContain('height:400px')
    expect(html).toContain('data-slot="database-overview-loading"')
    expect(html).toContain('height:300px')
  })

  it('renders APIKeys and AuthUsers as their same-size placeholders, calling no client method', async () => {
    const kit = await import('./index.js')
    const html = renderToString(
      <kit.BaseboxProvider client={untouchable}>
        <kit.APIKeys databaseId="db" height={410} />
        <kit.AuthUsers databaseId="db" height={310} />
      </kit.BaseboxProvider>,
    )
    expect(html).toContain('data-slot="api-keys-loading"')
    expect(html).toContain('height:410px')
    expect(html).toContain('data-slot="auth-users-loading"')
    expect(html).toContain('height:310px')
  })
})
