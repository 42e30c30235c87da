// The playground end to end, as a user goes through it: the built static site (served by the
// global setup) in Debian's headless Chromium, driven by playwright. Sign in -> create a project
// -> create its database -> tables from a template -> add, edit and delete rows -> query them in
// the SQL panel -> a runaway query is stopped (the page keeps running; the restarted worker has the
// rows) -> reload: everything is still there -> a second tab is told the database is open
// elsewhere -> reset. Any console error or uncaught page error fails the run. Screenshots of each
// page, light and dark, go to apps/playground/test-results.
import { type Browser, type BrowserContext, type Page } from 'playwright'
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
  watch as watchPage,
} from './steps.js'

/** A first start creates the cluster and loads 15 MB of WebAssembly: slow on a loaded machine. */
const BOOT = { timeout: 150_000 }

const url = inject('playgroundURL')
let browser: Browser
let context: BrowserContext
let page: Page
/** Console errors and uncaught errors of every page, in order. */
const problems: string[] = []

const watch = (target: Page): Page => watchPage(target, problems)

/** Screenshots of the current page, light then dark. */
const shoot = (name: string): Promise<void> => screenshot(page, name)

/** The app is up (the engine started) and shows the signed-in header. */
async function signedIn(target: Page): Promise<void> {
  await target.getByText('Signed in as').waitFor(BOOT)
}

beforeAll(async () => {
  ;({ browser, context } = await launchChromium())
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

    await createProjectAndDatabase(page, shoot)
    expect(problems).toEqual([])
  })

  it('creates tables from the Blog template: plans, previews the plan, applies it', async () => {
    await applyBlogTemplate(page, shoot)
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
    await addEditDeleteRows(page, shoot)
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
    await createUserAndKey(page, shoot)
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
    await queryTags(page, shoot)
    expect(problems).toEqual([])
  })

  it('stops a runaway query without freezing the page; the restarted worker still has the rows', async () => {
    // The page's own timers run while PGlite works in its worker.
    await runRunawaySQL(page, 'select count(*) from generate_series(1, 5000000000)')
    // The SQL panel's limit (30 s by default) stops it: the worker is terminated and restarted.
    await page
      .getByText('was stopped: its worker was terminated and restarted')
      .waitFor({ timeout: 120_000 })
    // The panel keeps the earlier result on an error, and that one also shows "pglite": its
    // column names tell the two apart.
    await runSQL(page, 'select name from tags')
    await page.getByRole('columnheader', { name: /^name/ }).waitFor()
    await page.getByRole('gridcell', { name: 'pglite', exact: true }).waitFor()
    expect(await page.locator('[data-slot="sql-panel-error"]').count()).toBe(0)
    expect(problems).toEqual([])
  })

  it('keeps everything across a reload', async () => {
    await page.reload()
    await signedIn(page)
    // Back on the SQL page (the route is in the hash); the tables and rows are still there.
    await expectBlogRows(page)
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
    await exportDeleteReimport(page, shoot)
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
