import { BaseboxError } from '@basebox/client'

/**
 * Which proxies in front of the handler are trusted to say who the client is in
 * `X-Forwarded-For`: their addresses or CIDR ranges (`['10.0.0.0/8', '::1']`), or the number of
 * proxy hops in front of the handler (`1` behind one load balancer). Default is none: the
 * client is the peer of the connection, and `X-Forwarded-For` is ignored.
 */
export type TrustedProxies = readonly string[] | number

/** An address as 128 bits (IPv4 as IPv4-mapped IPv6), `undefined` when it is not an IP address. */
function parseIP(text: string): bigint | undefined {
  let address = text.trim()
  if (address.startsWith('[') && address.endsWith(']')) {
    address = address.slice(1, -1)
  }
  const zone = address.indexOf('%')
  if (zone !== -1) {
    address = address.slice(0, zone)
  }
  const v4 = parseIPv4(address)
  if (v4 !== undefined) {
    return 0xffff00000000n | v4
  }
  if (!address.includes(':')) {
    return undefined
  }
  const lastColon = address.lastIndexOf(':')
  const embedded = parseIPv4(address.slice(lastColon + 1))
  if (embedded !== undefined) {
    // `::ffff:10.0.0.1`: the dotted tail stands for the last two groups.
    address = `${address.slice(0, lastColon + 1)}${(embedded >> 16n).toString(16)}:${(embedded & 0xffffn).toString(16)}`
  }
  const halves = address.split('::')
  if (halves.length > 2) {
    return undefined
  }
  const groups = (half: string) => (half === '' ? [] : half.split(':'))
  const head = groups(halves[0]!)
  const rest = halves.length === 2 ? groups(halves[1]!) : []
  const count = head.length + rest.length
  if (halves.length === 1 ? count !== 8 : count > 7) {
    return undefined
  }
  const parts: bigint[] = []
  for (const group of [...head, ...Array<string>(8 - count).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) {
      return undefined
    }
    parts.push(BigInt(`0x${group}`))
  }
  return parts.reduce((value, part) => (value << 16n) | part, 0n)
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (
    parts.length !== 4 ||
    !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
  ) {
    return undefined
  }
  return parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n)
}

interface Range {
  base: bigint
  mask: bigint
}

const ALL = (1n << 128n) - 1n

function parseRange(text: string): Range {
  const slash = text.indexOf('/')
  const address = parseIP(slash === -1 ? text : text.slice(0, slash))
  const isV4 = parseIPv4((slash === -1 ? text : text.slice(0, slash)).trim()) !== undefined
  const bits = slash === -1 ? 128 : Number(text.slice(slash + 1)) + (isV4 ? 96 : 0)
  if (
    address === undefined ||
    !Number.isInteger(bits) ||
    bits < (isV4 ? 96 : 0) ||
    bits > 128 ||
    (slash !== -1 && !/^\d{1,3}$/.test(text.slice(slash + 1)))
  ) {
    throw new BaseboxError(
      'VALIDATION_FAILED',
      `trustedProxies: ${JSON.stringify(text)} is not an IP address or CIDR range`,
    )
  }
  const mask = ALL ^ ((1n << BigInt(128 - bits)) - 1n)
  return { base: address & mask, mask }
}

/**
 * Finds the client's address of a request: the peer of the connection, unless that peer is a
 * trusted proxy, in which case `X-Forwarded-For` is walked from the right, skipping trusted
 * proxies, to the first address that is not one. @internal
 */
export function createClientAddress(
  trusted: TrustedProxies | undefined,
): (peer: string | undefined, forwardedFor: string | null) => string | undefined {
  if (
    trusted === undefined ||
    (typeof trusted !== 'number' && trusted.length === 0) ||
    trusted === 0
  ) {
    return (peer) => peer
  }
  if (typeof trusted === 'number') {
    if (!Number.isInteger(trusted) || trusted < 0) {
      throw new BaseboxError(
        'VALIDATION_FAILED',
        'trustedProxies must be a list of addresses or a whole number of hops',
      )
    }
    // The peer is the nearest hop; the client is `trusted` hops further along the chain (or the
    // furthest address the chain has, when it is shorter).
    return (peer, forwardedFor) => {
      if (peer === undefined) {
        return undefined
      }
      const chain = [...entries(forwardedFor), peer]
      return chain[Math.max(0, chain.length - 1 - trusted)]
    }
  }
  const ranges = trusted.map(parseRange)
  const isTrusted = (address: string) => {
    const ip = parseIP(address)
    return ip !== undefined && ranges.some((r) => (ip & r.mask) === r.base)
  }
  return (peer, forwardedFor) => {
    if (peer === undefined || !isTrusted(peer)) {
      return peer
    }
    const chain = entries(forwardedFor)
    for (let i = chain.length - 1; i >= 0; i--) {
      const address = chain[i]!
      if (parseIP(address) === undefined) {
        // Garbage in the header: nothing further left can be trusted; the last proxy is the client.
        return i === chain.length - 1 ? peer : chain[i + 1]
      }
      if (!isTrusted(address)) {
        return address
      }
    }
    return chain[0] ?? peer
  }
}

function entries(forwardedFor: string | null): string[] {
  if (forwardedFor === null) {
    return []
  }
  return forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}
