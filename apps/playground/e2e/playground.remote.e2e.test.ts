// The playground end to end in remote mode: the built static site in Debian's headless Chromium,
// switched by its Connection setting to apps/server running on PostgreSQL (started by the global
// setup on a fresh database, allowing the site's origin by CORS). Connect (a wrong token is
// refused before the switch) -> create a project -> create its database -> tables from a
// template -> add, edit and delete rows -> the overview, end users and API keys -> a SQL query ->
// a runaway query is stopped by the server's time limit (the page keeps running; the next query
// works) -> export and re-import -> reload: everything is still there, on the server, with no
// engine in the page. Any console error or uncaught page error fails it, except the server's
// expected HTTP errors (named below). Screenshots, light and dark, go to
// apps/playground/test-results as `remote-*.png`. Without DATABASE_URL there is no server, and the
// run is skipped with a message.
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  addEditDeleteRows,
  applyBlogTemplate,
  createProjectAndDatabase,
  createUserAndKey,
  expectBlogRows,
  exportDeleteReimport,
  launchChromium,
  queryTags,
  runRunawaySQL,
  runSQL,
  screenshot,
  watch,
} from './steps.js'

const url = inject('playgroundURL')
const remote = inject('remoteServer')

if (remote === null) {
  console.warn(
    '[playground e2e] remote mode skipped: DATABASE_URL is not set, so apps/server was not started (CI sets it)',
  )
}

let browser: Browser | undefined
let page: Page
/** Console errors and uncaught errors of the page, in order. */
const problems: string[] = []
/** While set, the server's 401 for a wrong token is expected (the connection check). */
let wrongTokenExpected = false
/** While set, the server's 504 for SQL that ran past its time limit is expected (the runaway query). */
let sqlTimeoutExpected = false

/**
 * The HTTP errors the server is expected to answer, which Chromium logs as console errors: 404
 * for the database of a project that has none yet (the page then offers Create database), 401
 * for the wrong token of the connection check, and 504 (`TIMEOUT`) for the runaway query.
 */
function expectedHTTPError(text: string, from: string): boolean {
  if (!text.startsWith('Failed to load resource: the server responded with a status of')) {
    return false
  }
  const path = new URL(from).pathname
  return (
    (text.includes('status of 404') && /^\/api\/projects\/[^/]+\/database$/.test(path)) ||
    (wrongTokenExpected && text.includes('status of 401') && path === '/api/projects') ||
    (sqlTimeoutExpected &&
      text.includes('status of 504') &&
      /^\/api\/database\/[^/]+\/sql$/.test(path))
  )
}

const shoot = (name: string): Promise<void> => screenshot(page, `remote-${name}`)

/** The app is up on the remote client and shows the server in the header. */
async function connected(target: Page): Promise<void> {
  await target.getByText('Connected to').waitFor()
}

describe.skipIf(remote === null)(
  'given the built playground connected to apps/server on PostgreSQL',
  () => {
    beforeAll(async () => {
      let context
      ;({ browser, context } = await launchChromium())
      page = watch(await context.newPage(), problems, expectedHTTPError)
    })

    afterAll(async () => {
      await browser?.close()
    })

    it('switches to the remote server in the Connection dialog, after checking the token', async () => {
      const server = remote!
      await page.goto(url)
      // The page starts in this browser: the switch comes once its engine is up (the sign-in asks
      // for a name), as a visitor sees it. Reloading while PGlite was still starting its worker
      // crashed the tab in one run.
      await page.getByLabel('Your name').waitFor({ timeout: 150_000 })
      await page.getByRole('button', { name: /^Connection:/ }).click()
      const dialog = page.getByRole('dialog', { name: 'Connection' })
      await dialog.getByRole('radio', { name: 'Remote server' }).check()
      await dialog.getByLabel('Server URL').fill(server.url)
      await dialog.getByLabel('Owner token').fill('not-the-token')
      wrongTokenExpected = true
      await dialog.getByRole('button', { name: 'Switch and reload' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor()
      wrongTokenExpected = false
      await dialog.getByLabel('Owner token').fill(server.token)
      await shoot('connection')
      await dialog.getByRole('button', { name: 'Switch and reload' }).click()
      await connected(page)
      // The token's owner on the server: its seeded demo project is listed, and no sign-in is asked.
      await page.getByRole('link', { name: 'Demo' }).waitFor()
      expect(await page.getByLabel('Your name').count()).toBe(0)
      expect(await page.getByRole('button', { name: 'Connection: remote' }).count()).toBe(1)
      await shoot('projects')
      expect(problems).toEqual([])
    })

    it('creates a project and its database with one click, on the server', async () => {
      await createProjectAndDatabase(page, shoot)
      expect(problems).toEqual([])
    })

    it("creates tables from the Blog template, and says the AI is the server's", async () => {
      await applyBlogTemplate(page, shoot)
      await page.getByText("AI: the server's model.").waitFor()
      expect(problems).toEqual([])
    })

    it('adds a row with the record form and one in the grid, edits one and deletes the other', async () => {
      await addEditDeleteRows(page, shoot)
      expect(problems).toEqual([])
    })

    it("shows the server's data API URL, and manages end users and API keys on the server", async () => {
      await page.getByRole('link', { name: 'Overview' }).click()
      await page
        .locator('.bb-do-api code')
        .filter({ hasText: `${remote!.url}/db/` })
        .waitFor()
      await shoot('overview')
      await createUserAndKey(page, shoot)
      await page.getByRole('link', { name: 'Users', exact: true }).click()
      await page.getByText("Emails (resets, invites) are the server's").waitFor()
      expect(problems).toEqual([])
    })

    it('queries the rows in the SQL panel', async () => {
      await queryTags(page, shoot)
      expect(problems).toEqual([])
    })

    it("stops a runaway query at the server's time limit without freezing the page", async () => {
      sqlTimeoutExpected = true
      // The page only waits on the server: its own timers run while Postgres sleeps.
      await runRunawaySQL(page, 'select pg_sleep(600)')
      // The SQL panel's limit (30 s by default; the playground sets none) is sent with the query:
      // the server cancels the statement and answers TIMEOUT, whose message the panel shows.
      await page
        .getByRole('alert')
        .filter({ hasText: 'the SQL ran longer than 30000 ms and was cancelled' })
        .waitFor({ timeout: 120_000 })
      sqlTimeoutExpected = false
      // The next query runs. (The panel keeps the earlier result on an error, and that one also
      // shows "pglite": its column names tell the two apart.)
      await runSQL(page, 'select name from tags')
      await page.getByRole('columnheader', { name: /^name/ }).waitFor()
      await page.getByRole('gridcell', { name: 'pglite', exact: true }).waitFor()
      expect(await page.locator('[data-slot="sql-panel-error"]').count()).toBe(0)
      expect(problems).toEqual([])
    })

    it('exports the data, deletes the database, and re-imports the export into a new one', async () => {
      await exportDeleteReimport(page, shoot)
      expect(problems).toEqual([])
    })

    it('keeps everything across a reload: on the server, with no engine in the page', async () => {
      await page.reload()
      await connected(page)
      await expectBlogRows(page)
      await shoot('tables-after-reload')
      // No engine in the page: nothing holds the lock the local database is opened under.
      const held = await page.evaluate(async () =>
        ((await navigator.locks.query()).held ?? []).map((lock) => lock.name),
      )
      expect(held).not.toContain('basebox-playground:database')
      // The server has the project, for the same owner token.
      const response = await fetch(`${remote!.url}/api/projects`, {
        headers: { authorization: `Bearer ${remote!.token}` },
      })
      expect(((await response.json()) as { name: string }[]).map((p) => p.name).sort()).toEqual([
        'Blog',
        'Demo',
      ])
      expect(problems).toEqual([])
    })
  },
)
