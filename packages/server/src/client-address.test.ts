import { BaseboxError } from '@basebox/client'
import type { Auth } from '@basebox/auth'
import type { Basebox, DatabaseHandle } from '@basebox/core'
import type { TestHarness } from '@basebox/core/testing'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeListener } from './adapters/node.js'
import { toHonoHandler } from './adapters/hono.js'
import { toNextRouteHandlers } from './adapters/next.js'
import { Hono } from 'hono'
import { createClientAddress, type TrustedProxies } from './client-address.js'
import { createHandler, type BaseboxHandler } from './handler.js'
import type { RateLimiter } from './rate-limit.js'
import { authForDataAPI } from './routes/auth-api.js'
import { testBackends } from './testing.js'

describe('the client address', () => {
  const address = (
    trusted: TrustedProxies | undefined,
    peer: string | undefined,
    forwardedFor: string | null = null,
  ) => createClientAddress(trusted)(peer, forwardedFor)

  it('is the peer, and X-Forwarded-For is ignored, without trusted proxies', () => {
    expect(address(undefined, '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9')
    expect(address([], '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9')
    expect(address(0, '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9')
    expect(address(undefined, undefined, '1.2.3.4')).toBeUndefined()
  })

  it('reads X-Forwarded-For from the right only when the peer is a trusted proxy', () => {
    const trusted = ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']
    // An untrusted peer: what it forwards is ignored.
    expect(address(trusted, '198.51.100.7', '1.2.3.4')).toBe('198.51.100.7')
    // A trusted peer: the nearest address that is not a trusted proxy; the spoofed left part is never reached.
    expect(address(trusted, '10.1.2.3', 'spoofed, 1.2.3.4, 203.0.113.5')).toBe('203.0.113.5')
    expect(address(trusted, '10.1.2.3', '1.2.3.4, 203.0.113.5, 10.9.9.9')).toBe('203.0.113.5')
    expect(address(trusted, '::1', '2001:db8::1')).toBe('2001:db8::1')
    expect(address(trusted, '::ffff:127.0.0.1', '203.0.113.5')).toBe('203.0.113.5')
    expect(address(trusted, 'fd12:3456::1', '[2001:db8::2], fd00::5')).toBe('[2001:db8::2]')
    // A trusted peer without the header, or with only proxies in it.
    expect(address(trusted, '10.1.2.3', null)).toBe('10.1.2.3')
    expect(address(trusted, '10.1.2.3', '10.0.0.1')).toBe('10.0.0.1')
    // Garbage that our proxy could not have written stops the walk at the last proxy.
    expect(address(trusted, '10.1.2.3', '203.0.113.5, not-an-ip, 10.0.0.2')).toBe('10.0.0.2')
    // Near misses of the ranges are not trusted.
    expect(address(trusted, '11.0.0.1', '1.2.3.4')).toBe('11.0.0.1')
    expect(address(trusted, '127.0.0.2', '1.2.3.4')).toBe('127.0.0.2')
    expect(address(trusted, 'fe80::1', '1.2.3.4')).toBe('fe80::1')
  })

  it('counts hops when given a number', () => {
    expect(address(1, '10.0.0.1', 'spoofed, 203.0.113.5')).toBe('203.0.113.5')
    expect(address(2, '10.0.0.1', 'spoofed, 203.0.113.5, 10.0.0.2')).toBe('203.0.113.5')
    expect(address(3, '10.0.0.1', '203.0.113.5')).toBe('203.0.113.5')
    expect(address(1, '10.0.0.1', null)).toBe('10.0.0.1')
    expect(address(1, undefined, '203.0.113.5')).toBeUndefined()
  })

  it('refuses a malformed trusted proxy at creation', () => {
    for (const bad of [
      ['10.0.0.0/33'],
      ['300.1.1.1'],
      ['localhost'],
      ['::1/129'],
      ['10.0.0.0/x'],
    ]) {
      expect(() => createClientAddress(bad), String(bad)).toThrow(BaseboxError)
    }
    expect(() => createClientAddress(-1)).toThrow(BaseboxError)
    expect(() => createClientAddress(1.5)).toThrow(BaseboxError)
  })
})

function send(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin)
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: body === undefined ? 'GET' : 'POST',
        path,
        headers,
        agent: false,
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode!))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

for (const backend of testBackends()) {
  describe(`${backend.name}: per-address limits and sign-in throttling see the real client`, () => {
    let h: TestHarness
    let bb: Basebox
    let db: DatabaseHandle
    const keys: string[] = []
    const signInIPs: (string | undefined)[] = []
    const rateLimit: RateLimiter = async (key) => {
      keys.push(key)
    }
    // An Auth whose sign-in records the address it is given: the handler's own path through
    // authForDataAPI, without depending on how @basebox/auth throttles.
    const fakeAuth = {
      forDatabase: () => ({
        verifyAPIKey: async () => ({ kind: 'anon' }),
        signIn: async (input: { ip?: string }) => {
          signInIPs.push(input.ip)
          throw new BaseboxError('UNAUTHENTICATED', 'wrong email or password')
        },
      }),
    } as unknown as Auth
    const servers: Server[] = []

    const serve = async (handler: BaseboxHandler): Promise<string> => {
      const server = createServer(toNodeListener(handler))
      servers.push(server)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    }
    const make = (trustedProxies?: TrustedProxies) =>
      createHandler({
        basebox: bb,
        getOwner: () => 'address-owner',
        dataAuth: authForDataAPI(fakeAuth),
        rateLimit,
        ...(trustedProxies === undefined ? {} : { trustedProxies }),
      })

    beforeAll(async () => {
      h = await backend.create()
      bb = await h.engine()
      const owner = bb.owner('address-owner')
      db = await owner.createDatabase((await owner.createProject({ name: 'Addresses' })).id)
    })
    afterAll(async () => {
      for (const server of servers) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      }
      await h?.close()
    })

    const signIn = (origin: string, forwardedFor: string) =>
      send(
        origin,
        `/db/${db.id}/auth/v1/token?grant_type=password`,
        { apikey: 'anon', 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        JSON.stringify({ email: 'a@example.com', password: 'a wrong password' }),
      )

    it('keys on the socket address when X-Forwarded-For comes from an untrusted peer', async () => {
      const origin = await serve(make())
      keys.length = 0
      signInIPs.length = 0
      expect(await send(origin, '/api/projects', { 'x-forwarded-for': '1.2.3.4' })).toBe(200)
      expect(await send(origin, '/api/projects', { 'x-forwarded-for': '5.6.7.8' })).toBe(200)
      expect(await signIn(origin, '9.9.9.9')).toBe(401)
      expect(keys.filter((k) => k.startsWith('ip:'))).toEqual([
        'ip:127.0.0.1',
        'ip:127.0.0.1',
        'ip:127.0.0.1',
      ])
      expect(signInIPs).toEqual(['127.0.0.1'])
      // Not trusted either: a peer that is not in the list.
      const other = await serve(make(['10.0.0.0/8']))
      keys.length = 0
      expect(await send(other, '/api/projects', { 'x-forwarded-for': '1.2.3.4' })).toBe(200)
      expect(keys.filter((k) => k.startsWith('ip:'))).toEqual(['ip:127.0.0.1'])
    })

    it('keys on the forwarded client when the socket is a trusted proxy', async () => {
      for (const trusted of [['127.0.0.1'], ['127.0.0.0/8', '::1'], 1] as TrustedProxies[]) {
        const origin = await serve(make(trusted))
        keys.length = 0
        signInIPs.length = 0
        expect(await send(origin, '/api/projects', { 'x-forwarded-for': '1.2.3.4' })).toBe(200)
        expect(
          await send(origin, `/db/${db.id}/rest/v1/items`, {
            'x-forwarded-for': 'spoofed, 5.6.7.8',
          }),
        ).toBe(401)
        expect(await signIn(origin, '9.9.9.9')).toBe(401)
        expect(keys.filter((k) => k.startsWith('ip:'))).toEqual([
          'ip:1.2.3.4',
          'ip:5.6.7.8',
          'ip:9.9.9.9',
        ])
        expect(signInIPs).toEqual(['9.9.9.9'])
      }
    })

    it('takes the Next mount’s getClientAddress as the peer, and ignores X-Forwarded-For without it', async () => {
      const handler = make()
      const request = () =>
        new Request('http://localhost/api/projects', { headers: { 'x-forwarded-for': '1.2.3.4' } })
      keys.length = 0
      expect((await toNextRouteHandlers(handler).GET(request())).status).toBe(200)
      expect(
        (
          await toNextRouteHandlers(handler, { getClientAddress: () => '203.0.113.8' }).GET(
            request(),
          )
        ).status,
      ).toBe(200)
      expect(keys).toEqual(['owner:address-owner', 'ip:203.0.113.8', 'owner:address-owner'])
    })

    it('takes the Hono mount’s getClientAddress as the peer, and trusts X-Forwarded-For only from a trusted one', async () => {
      const app = new Hono()
      app.all(
        '*',
        toHonoHandler(make(['10.0.0.0/8']), {
          getClientAddress: (c) => c.req.header('x-test-peer'),
        }),
      )
      keys.length = 0
      expect(
        (
          await app.request('/api/projects', {
            headers: { 'x-forwarded-for': '1.2.3.4', 'x-test-peer': '198.51.100.1' },
          })
        ).status,
      ).toBe(200)
      expect(
        (
          await app.request('/api/projects', {
            headers: { 'x-forwarded-for': '1.2.3.4', 'x-test-peer': '10.0.0.9' },
          })
        ).status,
      ).toBe(200)
      expect(keys.filter((k) => k.startsWith('ip:'))).toEqual(['ip:198.51.100.1', 'ip:1.2.3.4'])
    })
  })
}
