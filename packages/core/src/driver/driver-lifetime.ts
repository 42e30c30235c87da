import { DriverDestroyedError } from './driver.js'

/**
 * The destroy-once state of a driver: {@link DriverLifetime.destroy} runs the release once,
 * and {@link DriverLifetime.check} throws a {@link DriverDestroyedError} from then on.
 * @internal
 */
export class DriverLifetime {
  readonly #name: string
  readonly #release: () => Promise<void>
  #destroyed: Promise<void> | undefined

  constructor(name: string, release: () => Promise<void>) {
    this.#name = name
    this.#release = release
  }

  /** Whether {@link DriverLifetime.destroy} was called. */
  get destroyed(): boolean {
    return this.#destroyed !== undefined
  }

  /** Throws a {@link DriverDestroyedError} once the driver is destroyed. */
  check(): void {
    if (this.#destroyed !== undefined) {
      throw new DriverDestroyedError(this.#name)
    }
  }

  /** Runs `fn` unless the driver is destroyed, in which case it rejects (adding no tick). */
  guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#destroyed !== undefined) {
      return Promise.reject(new DriverDestroyedError(this.#name))
    }
    return fn()
  }

  /** Releases the driver's resources, once. */
  destroy(): Promise<void> {
    this.#destroyed ??= this.#release()
    return this.#destroyed
  }
}
