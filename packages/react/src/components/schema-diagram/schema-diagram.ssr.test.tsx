// The SchemaDiagram on a Node server render: the skeleton in its sized box, no client call, and
// the diagram's chunk (xyflow, dagre) never imported.
import type { BaseboxClient } from '@basebox/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BaseboxProvider } from '../../provider.js'
import { SchemaDiagram } from './schema-diagram.js'

const untouchable = new Proxy({} as BaseboxClient, {
  get: (_target, method) => () => {
    throw new Error(`the server render called client.${String(method)}`)
  },
})

describe('given a Node server render of the SchemaDiagram', () => {
  it('renders the busy skeleton at the given height, the same every time, without calling the client', () => {
    expect(typeof window).toBe('undefined')
    const render = () =>
      renderToString(
        <BaseboxProvider client={untouchable}>
          <SchemaDiagram databaseId="db" height={400} theme="dark" />
        </BaseboxProvider>,
      )
    const html = render()
    expect(html).toContain('class="bb-root bb-schema-diagram"')
    expect(html).toContain('data-theme="dark"')
    expect(html).toContain('height:400px')
    expect(html).toContain('aria-busy="true"')
    expect(html).toContain('aria-label="Schema diagram"')
    expect(html).not.toContain('react-flow')
    expect(render()).toBe(html)
  })
})
