import { describe, expect, it } from 'vitest'
import { incomingFromRequest, splitURL } from './incoming-request.js'

describe('splitURL', () => {
  it('cuts a Request URL where the URL parser would', () => {
    const urls = [
      'http://localhost/api/projects',
      'http://localhost/',
      'http://localhost',
      'https://example.com:8443/db/x/rest/v1/items?id=eq.1&select=*',
      'http://localhost/db/x/rest/v1/items?',
      'http://localhost/db/x/rest/v1/items?a=1#fragment?b=2',
      'http://localhost/db/x#frag/ment',
      'http://localhost/a/../b/./c?x=%20y',
      'http://localhost/caf\u00e9?q=\u00e9t\u00e9',
      'http://localhost/a?b=c?d=e',
    ]
    for (const url of urls) {
      const request = new Request(url)
      const parsed = new URL(request.url)
      expect({ url, ...splitURL(request.url) }).toEqual({
        url,
        path: parsed.pathname,
        query: parsed.search.slice(1),
      })
    }
  })

  it('parses other URLs, and refuses what is not one', () => {
    expect(splitURL('file:///a/b?c')).toEqual({ path: '/a/b', query: 'c' })
    expect(() => splitURL('not a url')).toThrow('malformed URL')
  })

  it('reads a Request as it is', () => {
    const request = new Request('http://localhost/db/x/rest/v1/items?id=eq.1', {
      method: 'POST',
      headers: { apikey: 'k' },
      body: '{}',
    })
    const incoming = incomingFromRequest(request)
    expect([
      incoming.method,
      incoming.path,
      incoming.query,
      incoming.header('APIKEY'),
      incoming.header('prefer'),
    ]).toEqual(['POST', '/db/x/rest/v1/items', 'id=eq.1', 'k', null])
    expect(incoming.body()).toBe(request.body)
    expect(incoming.request()).toBe(request)
  })
})
