// Starts apps/server (the example server, as `pnpm --filter @basebox/example-server start` runs
// it) on a free port, on a fresh PostgreSQL database made next to DATABASE_URL's, with the
// playground's origin allowed by CORS: the remote end-to-end run's server. Any failure to start
// (Postgres unreachable, the process exiting, no address printed in time) rejects.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** A running apps/server: its URL and owner token, and how to stop it. */
export interface RemoteServer {
  url: string
  token: string
  close(): Promise<void>
}

const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url))
/** The server loads its TypeScript through tsx: slow on two busy cores (a limit, not a measurement). */
const START_TIMEOUT_MS = 120_000

/** Starts apps/server on a database of its own; `origin` is the playground page's. */
export async function startRemoteServer(
  databaseURL: string,
  origin: string,
): Promise<RemoteServer> {
  const name = `basebox_playground_e2e_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseURL })
  await admin.connect()
  const dropDatabase = async () => {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
  await admin.query(`create database ${name}`)
  const url = new URL(databaseURL)
  url.pathname = `/${name}`
  const token = randomBytes(18).toString('base64url')
  let child: ChildProcess
  try {
    child = spawn(
      process.execPath,
      ['--conditions=@basebox/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: SERVER_DIR,
        env: {
          ...process.env,
          DATABASE_URL: url.toString(),
          PORT: '0',
          BASEBOX_OWNER_TOKEN: token,
          BASEBOX_CORS_ORIGINS: origin,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const serverURL = await listening(child)
    return {
      url: serverURL,
      token,
      async close() {
        await stop(child)
        await dropDatabase()
      },
    }
  } catch (error) {
    await dropDatabase()
    throw error
  }
}

/** Resolves with the URL the server prints once it listens; rejects when it exits or is slow. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`apps/server did not start: ${why}\n${stdout}\n${stderr}`.trim()))
    }
    const timer = setTimeout(
      () => fail(`no address after ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    )
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /Basebox is listening on (\S+)/.exec(stdout)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.once('error', (error) => fail(error.message))
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`))
  })
}

/** Stops the server (SIGTERM: it closes its pool) and waits for it to exit. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
