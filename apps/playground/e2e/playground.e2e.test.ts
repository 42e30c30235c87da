// The playground end to end, as a user goes through it: the built static site (served by the
// global setup) in Debian's headless Chromium, driven by playwright. Sign in -> create a project
// -> create its database -> tables from a template -> add, edit and delete rows -> query them in
// the SQL panel -> a runaway query is stopped (the page keeps running; the restarted worker has the
// rows) -> reload: everything is still there -> a second tab is told the database is open
// elsewhere -> reset. Any console error or uncaught page error fails the run. Screenshots of each
// page, light and dark, go to apps/playground/test-results.
import { mkdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

const SHOTS = fileURLToPath(new URL('../test-results/', import.meta.url))
/** A first start creates the cluster and loads 15 MB of WebAssembly: slow on a loaded machine. */
const BOOT = { timeout: 150_000 }

const url = inject('playgroundURL')
let browser: Browser
let context: BrowserContext
let page: Page
/** Console errors and uncaught errors of every page, in order. */
const problems: string[] = []

function watch(target: Page): Page {
  target.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}`)
    }
  })
  target.on('pageerror', (error) => problems.push(`page error: ${error.name}: ${error.message}`))
  return target
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  const root = page.locator('.pg-page').first()
  if ((await root.getAttribute('data-theme')) !== theme) {
    await page
      .getByRole('button', { name: theme === 'dark' ? 'Dark theme' : 'Light theme' })
      .click()
  }
  await page.locator(`.pg-page[data-theme="${theme}"]`).waitFor()
}

/** Screenshots of the page as it is, light then dark, and back to light. */
async function shoot(name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(theme)
    await page.screenshot({ path: `${SHOTS}${name}-${theme}.png`, fullPage: true })
  }
  await setTheme('light')
}

/** The app is up (the engine started) and shows the signed-in header. */
async function signedIn(target: Page): Promise<void> {
  await target.getByText('Signed in as').waitFor(BOOT)
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
  browser = await chromium.launch({
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
  context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
  })
  // Generous: CI runs this beside the rest of the suite on two busy cores (a limit, not a measurement).
  context.setDefaultTimeout(60_000)
  page = watch(await context.newPage())
})

afterAll(async () => {
  await browser?.close()
})

describe('given the built playground in Chromium', () => {
  it('signs in with a name and creates a project and its database with one click', async () => {
    await page.goto(url)
    await page.getByLabel('Your name').waitFor(BOOT)
    await shoot('sign-in')
    await page.getByLabel('Your name').fill('Ada')
    await page.keyboard.press('Enter')
    await signedIn(page)
    await page.getByText('No projects yet').waitFor()
    await shoot('projects-empty')

    await page.getByLabel('Project name').fill('Blog')
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
    expect(problems).toEqual([])
  })

  it('creates tables from the Blog template: plans, previews the plan, applies it', async () => {
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
    expect(problems).toEqual([])
  })

  it('adds a column with the SchemaBuilder: planned, drawn on the diagram, applied', async () => {
    const builder = page.getByRole('region', { name: 'Schema builder' })
    await builder
      .getByRole('navigation', { name: 'Tables' })
      .getByRole('button', { name: /^tags/ })
      .click()
    await builder.getByRole('button', { name: 'Add column' }).click()
    await builder.locator('.bb-sb-column[data-column="new_column"] input').first().fill('color')
    await builder.getByText(/ready to apply\.$/).waitFor()
    expect(await builder.locator('.bb-plan-preview-step').allTextContents()).toEqual([
      'Add column tags.color (text)',
    ])
    // The pending column on the diagram, as an addition.
    await page
      .locator(
        '.react-flow__node[data-id="tags"] .bb-schema-diagram__column[data-column="color"][data-status="added"]',
      )
      .waitFor()
    await shoot('schema-builder')
    await builder.getByRole('button', { name: 'Apply changes' }).click()
    await builder.getByText('Applied 1 change.').waitFor()
    expect(problems).toEqual([])
  })

  it('adds a row with the record form and one in the grid, edits one and deletes the other', async () => {
    await page.getByRole('link', { name: 'Tables' }).click()
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
    await shoot('tables-mobile')
    await page.setViewportSize({ width: 1280, height: 860 })
    expect(problems).toEqual([])
  })

  it('shows the overview and changes an access rule through its plan', async () => {
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor()
    // Counted in the database: the one tag row added above.
    await page
      .locator('tr[data-table="tags"] [data-slot="row-count"]')
      .filter({ hasText: /^\d+$/ })
      .waitFor()
    await page.locator('.bb-do-activity li').first().waitFor()
    await shoot('overview')
    await page.getByRole('link', { name: 'Access rules' }).click()
    const select = page.getByRole('combobox', { name: 'Who may select rows of posts' })
    await select.selectOption('public')
    await page.getByRole('button', { name: 'Apply changes' }).click()
    await page.getByText('Applied: the access rules of posts changed.').waitFor()
    await shoot('access-rules')
    expect(await select.inputValue()).toBe('public')
    expect(problems).toEqual([])
  })

  it('manages end users and API keys with auth running in the page', async () => {
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
    expect(problems).toEqual([])
  })

  it("runs the demo app as end users: an owner-only rule keeps one user's rows from another", async () => {
    // posts: owner-only for every operation (the owner column is guessed: author_id).
    await page.getByRole('link', { name: 'Access rules' }).click()
    for (const operation of ['select', 'insert', 'update', 'delete']) {
      await page
        .getByRole('combobox', { name: `Who may ${operation} rows of posts` })
        .selectOption('owner')
    }
    expect(await page.getByRole('combobox', { name: 'Owner column of posts' }).inputValue()).toBe(
      'author_id',
    )
    await page.getByRole('button', { name: 'Apply changes' }).click()
    await page.getByText('Applied: the access rules of posts changed.').waitFor()

    await page.getByRole('link', { name: 'Demo app' }).click()
    await page.getByRole('heading', { name: 'Demo app', exact: true }).waitFor()
    await page.getByLabel('Table').selectOption('posts')
    await page
      .getByText(
        'Access rules of posts: select owner, insert owner, update owner, delete owner (owner column author_id).',
      )
      .waitFor()
    const account = page.getByRole('form', { name: 'Sign up or sign in' })
    const signedInAs = page.locator('[data-slot="demo-signed-in"]')
    const newRow = page.getByRole('form', { name: 'New row of posts' })
    const rows = page.getByRole('region', { name: 'Rows of posts' })
    const join = async (email: string, button: 'Sign up' | 'Sign in') => {
      await account.getByLabel('Email').fill(email)
      await account.getByLabel('Password').fill(`${email} password`)
      await account.getByRole('button', { name: button, exact: true }).click()
      await signedInAs.filter({ hasText: `Signed in as ${email}` }).waitFor()
    }
    const leave = async () => {
      await page.getByRole('button', { name: 'Sign out of the app' }).click()
      await account.waitFor()
    }

    // Ann signs up (auth in the page signs her in) and writes a post: the owner column is hers.
    await join('ann@example.com', 'Sign up')
    const annId = (await signedInAs.locator('code').textContent())!
    await newRow.getByRole('textbox', { name: 'title text' }).fill('Ann’s post')
    await newRow.getByRole('textbox', { name: 'slug text' }).fill('anns-post')
    await newRow.getByRole('button', { name: 'Insert' }).click()
    await page.getByText('Inserted a row into posts.').waitFor()
    const annsRow = rows.getByRole('row').filter({ hasText: 'Ann’s post' })
    await annsRow.waitFor()
    expect(await annsRow.textContent()).toContain(annId)
    // Her verification email is in the outbox.
    await page.getByRole('button', { name: 'Confirm ann@example.com' }).first().waitFor()
    await shoot('demo-app')
    await page.setViewportSize({ width: 390, height: 844 })
    await annsRow.waitFor()
    await shoot('demo-app-mobile')
    await page.setViewportSize({ width: 1280, height: 860 })

    // Signed out (the anonymous role), then as Bob: Ann's post is not there.
    await leave()
    await page.getByText('No rows of posts that anyone signed out can see.').waitFor()
    await join('bob@example.com', 'Sign up')
    await page.getByText('No rows of posts that you can see.').waitFor()
    expect(await rows.getByText('Ann’s post').count()).toBe(0)
    // Nor can he write a post in her name: the access rule refuses it, in words.
    await newRow.getByRole('textbox', { name: 'title text' }).fill('Bob’s forgery')
    await newRow.getByRole('textbox', { name: 'slug text' }).fill('forgery')
    await newRow.getByRole('textbox', { name: 'author_id uuid' }).fill(annId)
    await newRow.getByRole('button', { name: 'Insert' }).click()
    const refused = page.locator('[data-slot="demo-error"]')
    await refused.filter({ hasText: 'The access rules refused this.' }).waitFor()
    expect(await refused.textContent()).toContain('FORBIDDEN')
    await shoot('demo-app-forbidden')

    // Ann again, by signing in: her post is there, and only hers.
    await leave()
    await join('ann@example.com', 'Sign in')
    await annsRow.waitFor()
    expect(await rows.getByText('Bob’s forgery').count()).toBe(0)
    // She edits her post, then deletes it.
    await annsRow.getByRole('button', { name: /^Edit row/ }).click()
    const edit = page.getByRole('form', { name: /^Edit row/ })
    await edit.getByRole('textbox', { name: 'title text' }).fill('Ann’s post, edited')
    await edit.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved the row of posts.').waitFor()
    const edited = rows.getByRole('row').filter({ hasText: 'Ann’s post, edited' })
    await edited.getByRole('button', { name: /^Delete row/ }).click()
    await page.getByText('Deleted a row of posts.').waitFor()
    await page.getByText('No rows of posts that you can see.').waitFor()
    expect(problems).toEqual([])
  })

  it('queries the rows in the SQL panel', async () => {
    await page.getByRole('link', { name: 'SQL' }).click()
    const editor = page.locator('.cm-content')
    await editor.click()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Backspace')
    await page.keyboard.type(
      "select string_agg(name, ',' order by name) as tag_names, count(*) as tag_count from tags",
    )
    // Closes the editor's autocompletion, which would stay open over the results.
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    await page.getByRole('status').filter({ hasText: '1 statement' }).waitFor()
    // One row: the edited tag only (the other was deleted).
    await page.getByRole('gridcell', { name: 'pglite', exact: true }).waitFor()
    await page.getByRole('gridcell', { name: '1', exact: true }).waitFor()
    await shoot('sql')
    expect(problems).toEqual([])
  })

  it('stops a runaway query without freezing the page; the restarted worker still has the rows', async () => {
    const runSQL = async (text: string) => {
      await page.locator('.cm-content').click()
      await page.keyboard.press('ControlOrMeta+a')
      await page.keyboard.press('Backspace')
      await page.keyboard.type(text)
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: 'Run', exact: true }).click()
    }
    await runSQL('select count(*) from generate_series(1, 5000000000)')
    await page.getByRole('status').filter({ hasText: 'Running' }).waitFor()
    // The page's own timers run while PGlite works in its worker.
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
    // The SQL panel's limit (30 s by default) stops it: the worker is terminated and restarted.
    await page
      .getByText('was stopped: its worker was terminated and restarted')
      .waitFor({ timeout: 120_000 })
    await runSQL('select name from tags')
    await page.getByRole('gridcell', { name: 'pglite', exact: true }).waitFor()
    expect(problems).toEqual([])
  })

  it('keeps everything across a reload', async () => {
    await page.reload()
    await signedIn(page)
    // Back on the SQL page (the route is in the hash); the tables and rows are still there.
    await page.getByRole('link', { name: 'Tables' }).click()
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
    await page.getByRole('link', { name: 'Projects' }).click()
    await page.getByRole('link', { name: 'Blog' }).waitFor()
    await shoot('projects')
    expect(problems).toEqual([])
  })

  it('shows each host user only their own projects, and is usable from the keyboard', async () => {
    // The skip link comes first in the tab order and moves focus to the page's content.
    const first = await page.evaluate(
      () => document.querySelector('a[href], button, input, [tabindex="0"]')?.textContent,
    )
    expect(first).toBe('Skip to content')
    await page.getByRole('link', { name: 'Skip to content' }).focus()
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Your name').fill('Grace')
    await page.keyboard.press('Enter')
    await page.getByText('No projects yet').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    // Back as Ada, by keyboard only: the name field has the focus.
    await page.getByLabel('Your name').waitFor()
    await page.keyboard.type('Ada')
    await page.keyboard.press('Enter')
    await page.getByRole('link', { name: 'Blog' }).waitFor()
    expect(problems).toEqual([])
  })

  it('exports the data, deletes the database, and re-imports the export into a new one', async () => {
    await page.getByRole('link', { name: 'Blog' }).click()
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
    await page.getByRole('link', { name: 'Tables' }).click()
    await page
      .getByRole('navigation', { name: 'Tables' })
      .getByRole('link', { name: 'tags', exact: true })
      .click()
    await page.getByRole('gridcell', { name: 'pglite' }).waitFor()
    expect(problems).toEqual([])
  })

  it('tells a second tab the database is open elsewhere, and opens it there once the first tab closes', async () => {
    const second = watch(await context.newPage())
    await second.goto(url)
    await second
      .getByRole('heading', { name: 'The playground is open in another tab' })
      .waitFor(BOOT)
    const first = page
    page = second
    await shoot('open-elsewhere')
    await first.close()
    await signedIn(second)
    await second.getByRole('link', { name: 'Blog' }).waitFor()
    expect(problems).toEqual([])
  })

  it('resets: the database is deleted and the user signed out', async () => {
    await page.getByRole('button', { name: 'Reset' }).click()
    await page
      .getByRole('dialog', { name: 'Reset the playground?' })
      .getByRole('button', { name: 'Delete everything' })
      .click()
    await page.getByLabel('Your name').waitFor(BOOT)
    await page.getByLabel('Your name').fill('Ada')
    await page.keyboard.press('Enter')
    await page.getByText('No projects yet').waitFor(BOOT)
    expect(problems).toEqual([])
  })
})
