// What the playground's end-to-end runs share: Chromium, the console-error watch, screenshots
// light and dark, and the steps of the flow that run the same in the browser (PGlite) and
// against a remote server: a project and its database, tables from the Blog template, rows added,
// edited and deleted, a SQL query, a runaway query that leaves the page responsive, export and
// re-import, and the rows still there after a reload.
import { mkdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright'
import { expect } from 'vitest'

/** Where screenshots go (ignored by git). */
export const SHOTS = fileURLToPath(new URL('../test-results/', import.meta.url))

/** Takes a screenshot of the page as it is now, under a name. */
export type Shoot = (name: string) => Promise<void>

/** Debian's headless Chromium (or `CHROMIUM_PATH`) with a desktop-sized light context. */
export async function launchChromium(): Promise<{ browser: Browser; context: BrowserContext }> {
  await mkdir(SHOTS, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
  })
  // Generous: CI runs this beside the rest of the suite on two busy cores (a limit, not a measurement).
  context.setDefaultTimeout(60_000)
  return { browser, context }
}

/**
 * Adds the page's console errors and uncaught errors to `problems`, in order, except those
 * `expected` accepts (given the message and the URL it came from).
 */
export function watch(
  target: Page,
  problems: string[],
  expected: (text: string, url: string) => boolean = () => false,
): Page {
  target.on('console', (message) => {
    if (message.type() === 'error' && !expected(message.text(), message.location().url)) {
      problems.push(`console error: ${message.text()}`)
    }
  })
  target.on('pageerror', (error) => problems.push(`page error: ${error.name}: ${error.message}`))
  return target
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const root = page.locator('.pg-page').first()
  if ((await root.getAttribute('data-theme')) !== theme) {
    if ((await page.locator('dialog[open]').count()) > 0) {
      // A modal dialog covers the header's toggle: the stored choice, as another tab would set it.
      await page.evaluate((next) => {
        localStorage.setItem('basebox-playground:theme', next)
        window.dispatchEvent(new StorageEvent('storage'))
      }, theme)
    } else {
      await page
        .getByRole('button', { name: theme === 'dark' ? 'Dark theme' : 'Light theme' })
        .click()
    }
  }
  await page.locator(`.pg-page[data-theme="${theme}"]`).waitFor()
}

/** Screenshots of the page as it is, light then dark (`<name>-light.png`, `-dark.png`), and back to light. */
export async function screenshot(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme)
    await page.screenshot({ path: `${SHOTS}${name}-${theme}.png`, fullPage: true })
  }
  await setTheme(page, 'light')
}

/**
 * A tab of the database's pages. (A bare `getByRole('link', { name: 'Tables' })` also matches the
 * Tables page's own "Add tables from a template".)
 */
export function databasePage(page: Page, name: string): Locator {
  return page
    .getByRole('navigation', { name: 'Database pages' })
    .getByRole('link', { name, exact: true })
}

/** From the projects page: creates a project, then its database with one click. */
export async function createProjectAndDatabase(
  page: Page,
  shoot: Shoot,
  name = 'Blog',
): Promise<void> {
  await page.getByLabel('Project name').fill(name)
  await page.getByRole('button', { name: 'Create project' }).click()
  await page.getByRole('button', { name: 'Create database' }).waitFor()
  await shoot('project-without-database')
  await page.getByRole('button', { name: 'Create database' }).click()
  await page.getByRole('navigation', { name: 'Database pages' }).waitFor()
  // The new database's default table.
  await page
    .getByRole('navigation', { name: 'Tables' })
    .getByRole('link', { name: 'users' })
    .waitFor()
}

/** On a database: plans the Blog template, previews the plan, applies it. */
export async function applyBlogTemplate(page: Page, shoot: Shoot): Promise<void> {
  await page.getByRole('link', { name: 'Schema' }).click()
  await page.getByRole('button', { name: 'Blog', exact: true }).click()
  const preview = page.getByRole('region', { name: 'Plan for the Blog template' })
  await preview.waitFor()
  expect(await preview.textContent()).toContain('posts')
  await shoot('schema-plan')
  await page.getByRole('button', { name: 'Apply plan' }).click()
  await page.getByRole('status').filter({ hasText: 'Applied: the tables are ready' }).waitFor()
  await page.locator('.react-flow__node').filter({ hasText: 'post_tags' }).first().waitFor()
  await shoot('schema')
}

/**
 * On tags (of the Blog template): adds "postgres" with the record form and "sql" in the grid,
 * edits "postgres" to "pglite" in the row's sheet and deletes "sql"; then the page at a phone's width.
 */
export async function addEditDeleteRows(page: Page, shoot: Shoot): Promise<void> {
  await databasePage(page, 'Tables').click()
  await page
    .getByRole('navigation', { name: 'Tables' })
    .getByRole('link', { name: 'tags', exact: true })
    .click()
  await page.getByRole('heading', { name: 'tags' }).waitFor()

  // Add: the RecordForm in the New record dialog.
  await page.getByRole('button', { name: 'New record' }).click()
  const dialog = page.getByRole('dialog', { name: 'New tags record' })
  await dialog.getByRole('textbox', { name: 'name', exact: true }).fill('postgres')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByRole('gridcell', { name: 'postgres' }).waitFor()

  // Add: a draft row in the grid.
  await page.getByRole('button', { name: 'Add row' }).click()
  await page.getByRole('textbox', { name: 'New name' }).fill('sql')
  await page.keyboard.press('Enter')
  // Saved: the draft row is gone (a cell of the draft holding "sql" is not a saved row).
  await page.locator('[data-slot="table-editor-draft-row"]').waitFor({ state: 'detached' })
  await page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: 'sql', exact: true }) })
    .getByRole('rowheader')
    .waitFor()

  // Edit: the row's RecordForm in the side sheet.
  const postgresRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: 'postgres' }) })
  await postgresRow.getByRole('button', { name: /^Expand row/ }).click()
  const sheet = page.getByRole('dialog', { name: 'Edit tags row' })
  await sheet.getByRole('textbox', { name: 'name', exact: true }).fill('pglite')
  await sheet.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
  await page.keyboard.press('Escape')
  await sheet.waitFor({ state: 'hidden' })

  // Delete: select the row, Delete, confirm.
  const sqlRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: 'sql', exact: true }) })
  await sqlRow.getByRole('rowheader').click()
  await page.getByRole('button', { name: 'Delete', exact: true }).click()
  const confirm = page
    .getByRole('dialog')
    .filter({ has: page.getByRole('heading', { name: 'Delete 1 row?' }) })
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click()
  await page.getByRole('gridcell', { name: 'sql', exact: true }).waitFor({ state: 'detached' })
  await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
  await shoot('tables')

  // The same page at a phone's width.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
  // Every page's tab is on the screen, none scrolled out of reach.
  const tabs = page.getByRole('navigation', { name: 'Database pages' }).getByRole('link')
  expect(await tabs.count()).toBeGreaterThanOrEqual(7)
  for (const tab of await tabs.all()) {
    const box = (await tab.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
  }
  await shoot('tables-mobile')
  await page.setViewportSize({ width: 1280, height: 860 })
}

/** On a database: creates an end user on the Users page, then an API key (shown once). */
export async function createUserAndKey(page: Page, shoot: Shoot): Promise<void> {
  await page.getByRole('link', { name: 'Users', exact: true }).click()
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor()
  await page.getByLabel('Email', { exact: true }).fill('reader@example.com')
  await page.getByLabel('Password').fill('long enough 1')
  await page.getByRole('button', { name: 'Create user' }).click()
  await page.getByText('Created reader@example.com.').waitFor()
  await shoot('users')
  await page.getByRole('link', { name: 'API keys' }).click()
  await page.getByLabel('Name').fill('web app')
  await page.getByRole('button', { name: 'Create key' }).click()
  await page.getByText(/you will not see it again/).waitFor()
  expect((await page.getByLabel('The new key').first().textContent())!.length).toBeGreaterThan(20)
  await shoot('api-keys')
  await page.getByRole('button', { name: 'Done' }).click()
}

/** On the SQL page: replaces the editor's text and runs it. */
export async function runSQL(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Backspace')
  await page.keyboard.type(text)
  // Closes the editor's autocompletion, which would stay open over the results.
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Run', exact: true }).click()
}

/** Queries tags in the SQL panel: one row, the edited tag only (the other was deleted). */
export async function queryTags(page: Page, shoot: Shoot): Promise<void> {
  await page.getByRole('link', { name: 'SQL' }).click()
  await runSQL(
    page,
    "select string_agg(name, ',' order by name) as tag_names, count(*) as tag_count from tags",
  )
  await page.getByRole('status').filter({ hasText: '1 statement' }).waitFor()
  await page.getByRole('gridcell', { name: 'pglite', exact: true }).waitFor()
  await page.getByRole('gridcell', { name: '1', exact: true }).waitFor()
  await shoot('sql')
}

/**
 * On the SQL page: runs a statement that would take minutes and checks that it shows as running
 * and that the page stays responsive meanwhile (its own timers tick while the query runs). What
 * stops it (the SQL panel's time limit) is the caller's to check.
 */
export async function runRunawaySQL(page: Page, text: string): Promise<void> {
  await runSQL(page, text)
  await page.getByRole('status').filter({ hasText: 'Running' }).waitFor()
  const ticks = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let count = 0
        const timer = setInterval(() => count++, 50)
        setTimeout(() => {
          clearInterval(timer)
          resolve(count)
        }, 1000)
      }),
  )
  expect(ticks).toBeGreaterThan(0)
}

/** Opens tags on the Tables page and checks its one row ("pglite") and the Blog tables. */
export async function expectBlogRows(page: Page): Promise<void> {
  await databasePage(page, 'Tables').click()
  await page
    .getByRole('navigation', { name: 'Tables' })
    .getByRole('link', { name: 'tags', exact: true })
    .click()
  await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
  expect(await page.getByRole('gridcell', { name: 'sql', exact: true }).count()).toBe(0)
  for (const table of ['users', 'posts', 'comments', 'post_tags']) {
    await page
      .getByRole('navigation', { name: 'Tables' })
      .getByRole('link', { name: table, exact: true })
      .waitFor()
  }
}

/**
 * On a database: exports its data as JSON from Settings, deletes the database, creates a new one
 * and imports the downloaded file; the rows are back in the new database.
 */
export async function exportDeleteReimport(page: Page, shoot: Shoot): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export', exact: true }).click(),
  ])
  const file = await download.path()
  const exported = JSON.parse(await readFile(file, 'utf8')) as {
    tables: { definition: { name: string } }[]
  }
  expect(exported.tables.map((table) => table.definition.name)).toContain('tags')
  await shoot('settings')

  await page.getByRole('button', { name: 'Delete database…' }).click()
  await page.getByRole('button', { name: 'Delete it for good' }).click()
  await page.getByRole('button', { name: 'Create database' }).click()
  await page.getByRole('link', { name: 'Settings' }).click()
  // The downloaded file under its own name (playwright keeps downloads without an extension).
  await page.getByLabel('File to import').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/json',
    buffer: await readFile(file),
  })
  const importButton = page.getByRole('button', { name: /^Import \d+ rows?/ })
  await importButton.click()
  await page.locator('[data-slot="import-result"]').filter({ hasText: 'tags' }).waitFor()

  // The rows are back, in the new database.
  await databasePage(page, 'Tables').click()
  await page
    .getByRole('navigation', { name: 'Tables' })
    .getByRole('link', { name: 'tags', exact: true })
    .click()
  await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
}
