/** A seeded pseudo-random generator (mulberry32): the same seed gives the same data in every browser. */
export function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  return {
    next,
    int,
    pick,
    chance: (p: number) => next() < p,
    /** A version-4-shaped uuid from the generator's bits. */
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16))
      hex[12] = '4'
      hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
      const s = hex.join('')
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
    },
    /** Some of `items`, in order, without repeats. */
    some: <T>(items: readonly T[], max: number): T[] =>
      items.filter(() => next() < max / items.length),
    /** A timestamp between `from` and `from + days`, as ISO text. */
    timestamp: (from: Date, days: number) =>
      new Date(from.getTime() + Math.floor(next() * days * 86_400_000)).toISOString(),
  }
}

/** A generator from {@link createRandom}. */
export type Random = ReturnType<typeof createRandom>
