// Vitest global setup of the `@basebox/react (chromium)` project: starts
// ../test-support/remote-server.ts (a real @basebox/server on Node, over Postgres when
// DATABASE_URL is set, PGlite otherwise) in a child Node process and provides what it prints to
// the browser tests (`inject('baseboxServer')`).
// A child process, not an import: vitest's global setup runner does not resolve the workspace's
// `@basebox/source` condition, and the packages have no dist in a test run.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import type { BaseboxServerContext } from '../test-support/remote-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    baseboxServer: BaseboxServerContext
  }
}

const READY = 'BASEBOX_TEST_SERVER '

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const script = fileURLToPath(new URL('../test-support/remote-server.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    ['--conditions=@basebox/source', '--import', 'tsx', script],
    {
      // tsx is the workspace root's; DATABASE_URL (CI's Postgres) is inherited.
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
      env: process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    process.stderr.write(chunk)
  })
  const context = await new Promise<BaseboxServerContext>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(
      () => reject(new Error(`the test server did not start in 90 s\n${stderr}`)),
      90_000,
    )
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(READY))
      if (line !== undefined) {
        clearTimeout(timer)
        resolve(JSON.parse(line.slice(READY.length)) as BaseboxServerContext)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the test server exited with ${code} before it listened\n${stderr}`))
    })
  })
  project.provide('baseboxServer', context)
  return async () => {
    child.kill('SIGTERM')
    const code = await exited
    if (code !== 0) {
      throw new Error(`the test server stopped with ${code}\n${stderr}`)
    }
  }
}
