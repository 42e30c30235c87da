// Builds the playground as the static site it ships as (apps/playground/dist) and serves it with
// `vite preview` on a free local port, for the end-to-end test; provides `playgroundURL`.
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { build, preview } from 'vite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built playground, served locally (`http://127.0.0.1:<port>/`). */
    playgroundURL: string
  }
}

const root = fileURLToPath(new URL('..', import.meta.url))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await build({ root, logLevel: 'warn' })
  const server = await preview({
    root,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  })
  const { port } = server.httpServer.address() as AddressInfo
  project.provide('playgroundURL', `http://127.0.0.1:${port}/`)
  return async () => {
    await server.close()
  }
}
