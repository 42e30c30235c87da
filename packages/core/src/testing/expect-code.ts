import { BaseboxError } from '@basebox/client'
import { expect } from 'vitest'

/** Awaits `promise`, expects it to fail with a `BaseboxError` of `code`, and returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<BaseboxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected a ${code} error`).toBeInstanceOf(BaseboxError)
  expect((error as BaseboxError).code, (error as Error).message).toBe(code)
  return error as BaseboxError
}
