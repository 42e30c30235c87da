import { argon2id } from 'hash-wasm'
import { describe, expect, it } from 'vitest'
import {
  createArgon2idHasher,
  matchesArgon2idParams,
  OWASP_ARGON2ID_PARAMS,
  parsePHCString,
} from './password-hasher.js'

const cheap = createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 })

describe('createArgon2idHasher', () => {
  it("defaults to OWASP's argon2id parameters, as a PHC string", async () => {
    const hasher = createArgon2idHasher()
    const hash = await hasher.hash('correct horse battery staple')
    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    )
    expect(OWASP_ARGON2ID_PARAMS).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1 })
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true)
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false)
    expect(hasher.needsRehash(hash)).toBe(false)
    // Real work, not a stub: the digest is argon2id's at these costs for the stored salt.
    const [, , , , salt] = hash.split('$')
    const again = await argon2id({
      password: 'correct horse battery staple',
      salt: Buffer.from(salt!, 'base64'),
      memorySize: 19456,
      iterations: 2,
      parallelism: 1,
      hashLength: 32,
      outputType: 'encoded',
    })
    expect(again).toBe(hash)
  })

  it('salts every hash', async () => {
    const [a, b] = [await cheap.hash('same password'), await cheap.hash('same password')]
    expect(a).not.toBe(b)
    expect(await cheap.verify(a, 'same password')).toBe(true)
    expect(await cheap.verify(b, 'same password')).toBe(true)
  })

  it('hashes full Unicode, byte for byte', async () => {
    const hash = await cheap.hash('пароль 密码 😀 كلمة')
    expect(await cheap.verify(hash, 'пароль 密码 😀 كلمة')).toBe(true)
    expect(await cheap.verify(hash, 'пароль 密码 😀 كلمه')).toBe(false)
  })

  it('asks for a rehash when the parameters or the algorithm differ', async () => {
    const hash = await cheap.hash('some password')
    expect(cheap.needsRehash(hash)).toBe(false)
    expect(
      createArgon2idHasher({ memoryKiB: 128, iterations: 1, parallelism: 1 }).needsRehash(hash),
    ).toBe(true)
    expect(cheap.needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true)
    expect(cheap.needsRehash('garbage')).toBe(true)
    expect(matchesArgon2idParams(hash, { memoryKiB: 64, iterations: 1, parallelism: 1 })).toBe(true)
  })

  it('answers false, never throws, for malformed or absurd stored hashes', async () => {
    for (const hash of [
      '',
      'garbage',
      '$argon2id$v=19$m=64,t=1,p=1$bad',
      '$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaA',
      '$2b$10$abc',
    ]) {
      expect(await cheap.verify(hash, 'some password')).toBe(false)
    }
  })

  it('refuses parameters argon2 cannot run with', () => {
    expect(() => createArgon2idHasher({ memoryKiB: 4, iterations: 1, parallelism: 1 })).toThrow(
      RangeError,
    )
    expect(() => createArgon2idHasher({ memoryKiB: 64, iterations: 0, parallelism: 1 })).toThrow(
      RangeError,
    )
  })
})

describe('parsePHCString', () => {
  it('reads the algorithm, version and parameters', () => {
    expect(parsePHCString('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA')).toEqual({
      algorithm: 'argon2id',
      version: 19,
      params: { m: 19456, t: 2, p: 1 },
    })
    expect(parsePHCString('not a phc string')).toBeUndefined()
    expect(parsePHCString('$argon2id$v=19$m=x$c2FsdA$aGFzaA')).toBeUndefined()
  })
})
