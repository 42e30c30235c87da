import { describe, expect, it, vi } from 'vitest'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalizePassword } from './password-policy.js'

describe('normalizePassword', () => {
  it('accepts 8 to 256 code points and refuses the rest', () => {
    expect(normalizePassword('a'.repeat(MIN_PASSWORD_LENGTH))).toBe('aaaaaaaa')
    expect(normalizePassword('a'.repeat(MAX_PASSWORD_LENGTH))).toHaveLength(256)
    expect(() => normalizePassword('a'.repeat(7))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
    expect(() => normalizePassword('a'.repeat(257))).toThrow(/at most 256/)
    expect(() => normalizePassword(12345678)).toThrow(/must be a string/)
  })

  it('counts code points, not UTF-16 units: 256 emoji pass, 257 do not', () => {
    expect(normalizePassword('😀'.repeat(256))).toHaveLength(512)
    expect(() => normalizePassword('😀'.repeat(257))).toThrow(/at most 256/)
    expect(() => normalizePassword('😀'.repeat(7))).toThrow(/at least 8/)
  })

  it('normalizes with NFKC, so one password typed two ways matches', () => {
    const composed = 'caf\u00e9 au lait'
    const decomposed = 'cafe\u0301 au lait'
    expect(normalizePassword(decomposed)).toBe(normalizePassword(composed))
    expect(normalizePassword('ｐａｓｓｗｏｒｄ１')).toBe('password1') // full-width forms
    expect(normalizePassword('пароль-密码-كلمة')).toBe('пароль-密码-كلمة')
  })

  it('never truncates: passwords differing only at the end stay different', () => {
    const base = 'x'.repeat(255)
    expect(normalizePassword(`${base}a`)).not.toBe(normalizePassword(`${base}b`))
  })

  it('refuses a megabyte at once, without normalizing it', () => {
    const huge = 'é'.repeat(1024 * 1024)
    const normalize = vi.spyOn(String.prototype, 'normalize')
    try {
      expect(() => normalizePassword(huge)).toThrow(/at most 256/)
      expect(normalize).not.toHaveBeenCalled()
      // The spy sees a normalization when one happens.
      normalizePassword('a fine password')
      expect(normalize).toHaveBeenCalledTimes(1)
    } finally {
      normalize.mockRestore()
    }
  })
})
