import { BaseboxError } from '@basebox/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { answeringModel } from './testing/mock-model.js'
import { DEFAULT_MODEL_ID, resolveMaxRetries, resolveModel } from './model.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('resolveModel', () => {
  it('uses the given model', () => {
    const model = answeringModel()
    expect(resolveModel({ model, apiKey: 'ignored' })).toBe(model)
  })

  it('defaults to Codestral with the given key or MISTRAL_API_KEY, without a network call', () => {
    const fromOption = resolveModel({ apiKey: 'test-key' })
    expect(typeof fromOption === 'object' && fromOption.modelId).toBe(DEFAULT_MODEL_ID)
    expect(typeof fromOption === 'object' && fromOption.provider).toMatch(/^mistral/)
    vi.stubEnv('MISTRAL_API_KEY', 'env-key')
    const fromEnv = resolveModel({})
    expect(typeof fromEnv === 'object' && fromEnv.modelId).toBe('codestral-latest')
  })

  it('fails with AI_GENERATION_FAILED when there is neither a model nor a key', () => {
    vi.stubEnv('MISTRAL_API_KEY', '  ')
    expect(() => resolveModel({})).toThrow(BaseboxError)
    try {
      resolveModel({})
    } catch (error) {
      expect((error as BaseboxError).code).toBe('AI_NOT_CONFIGURED')
    }
  })
})

describe('resolveMaxRetries', () => {
  it('defaults to 2 and accepts 0 to 5', () => {
    expect(resolveMaxRetries(undefined)).toBe(2)
    expect(resolveMaxRetries(0)).toBe(0)
    expect(resolveMaxRetries(5)).toBe(5)
    for (const bad of [-1, 6, 1.5, '2']) {
      expect(() => resolveMaxRetries(bad)).toThrow(/maxRetries/)
    }
  })
})

describe('tests and the network', () => {
  it('cannot reach a provider: the default model fails instead of calling out', async () => {
    const { generateSchema } = await import('./schema/generate-schema.js')
    const error = await generateSchema({
      description: 'blog',
      apiKey: 'test-key',
      maxRetries: 0,
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect((error as BaseboxError).code).toBe('AI_GENERATION_FAILED')
    expect((error as BaseboxError).message).toContain(
      'network access in a test: https://api.mistral.ai',
    )
  })
})
