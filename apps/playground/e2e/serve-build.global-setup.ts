// Builds the playground as the static site it ships as (apps/playground/dist) and serves it with
// `vite preview` on a free local port, for the end-to-end tests; provides `playgroundURL`. With
// DATABASE_URL it also starts apps/server on PostgreSQL for the remote-mode run (and fails when
// that server cannot start); without it `remoteServer` is `null` and that run is skipped.
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { build, preview } from 'vite'
import type { TestProject } from 'vitest/node'
import { startRemoteServer } from './remote-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built playground, served locally (`http://127.0.0.1:<port>/`). */
    playgroundURL: string
    /** apps/server on PostgreSQL, allowing the playground's origin; `null` without DATABASE_URL. */
    remoteServer: { url: string; token: string } | null
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
  const databaseURL = process.env.DATABASE_URL
  let remote
  try {
    remote =
      databaseURL === undefined || databaseURL === ''
        ? null
        : await startRemoteServer(databaseURL, `http://127.0.0.1:${port}`)
  } catch (error) {
    await server.close()
    throw error
  }
  project.provide('remoteServer', remote === null ? null : { url: remote.url, token: remote.token })
  return async () => {
    await remote?.close()
    await server.close()
  }
}
