// One project: its database, created with one click, and the database's pages as tabs.
import { BaseboxError } from '@basebox/client'
import {
  AccessRules,
  APIKeys,
  AuthUsers,
  DatabaseOverview,
  useCreateDatabase,
  useProject,
  useProjectDatabase,
} from '@basebox/react'
import { useConnection } from '../connection.js'
import { ErrorNote } from '../error-note.js'
import type { Theme } from '../preferences.js'
import { DATABASE_PAGES, navigate, toHash, type DatabasePage, type Route } from '../route.js'
import { DemoPage } from './demo-page.js'
import { SchemaPage } from './schema-page.js'
import { SettingsPage } from './settings-page.js'
import { SQLPage } from './sql-page.js'
import { TablesPage } from './tables-page.js'

const PAGE_TITLES: Record<DatabasePage, string> = {
  overview: 'Overview',
  tables: 'Tables',
  schema: 'Schema',
  sql: 'SQL',
  users: 'Users',
  keys: 'API keys',
  access: 'Access rules',
  demo: 'Demo app',
  settings: 'Settings',
}

/** The project's header, then its database (or the button that creates it). */
export function ProjectPage({
  route,
  theme,
}: {
  route: Extract<Route, { name: 'project' }>
  theme: Theme
}) {
  const project = useProject(route.projectId)
  const database = useProjectDatabase(route.projectId)
  const create = useCreateDatabase()
  const connection = useConnection()
  if (project.error !== null) {
    return <ErrorNote error={project.error} />
  }
  const missing = database.error instanceof BaseboxError && database.error.code === 'NOT_FOUND'
  return (
    <div className="pg-stack">
      <nav aria-label="Breadcrumb" className="pg-breadcrumb">
        <a href={toHash({ name: 'projects' })}>Projects</a> /{' '}
        <span aria-current="page">{project.data?.name ?? '…'}</span>
      </nav>
      {database.isPending ? (
        <p className="pg-muted">Loading the database…</p>
      ) : missing ? (
        <section className="pg-card" aria-labelledby="pg-no-database">
          <h1 id="pg-no-database">{project.data?.name ?? 'Project'} has no database yet</h1>
          <p>
            One click makes it: a Postgres schema of its own, with a role of its own and a `users`
            table.
          </p>
          <button
            type="button"
            className="bb-button"
            data-variant="primary"
            disabled={create.isPending}
            aria-busy={create.isPending}
            onClick={() => create.mutate({ projectId: route.projectId })}
          >
            {create.isPending ? 'Creating the database…' : 'Create database'}
          </button>
          {create.error !== null && <ErrorNote error={create.error} />}
        </section>
      ) : database.error !== null ? (
        <ErrorNote error={database.error} />
      ) : (
        <>
          <nav className="pg-tabs" aria-label="Database pages">
            {DATABASE_PAGES.map((page) => (
              <a
                key={page}
                href={toHash({ ...route, page, table: null })}
                aria-current={route.page === page ? 'page' : undefined}
              >
                {PAGE_TITLES[page]}
              </a>
            ))}
          </nav>
          {route.page === 'tables' ? (
            <TablesPage databaseId={database.data.id} route={route} theme={theme} />
          ) : route.page === 'schema' ? (
            <SchemaPage databaseId={database.data.id} route={route} theme={theme} />
          ) : route.page === 'overview' ? (
            <section className="pg-section" aria-labelledby="pg-overview-title">
              <h1 id="pg-overview-title">Overview</h1>
              {/* In the browser there is no data API server: the URL and keys show as placeholders.
                  A remote server serves each database's data API at <url>/db/<id>. */}
              <DatabaseOverview
                databaseId={database.data.id}
                {...(connection.mode === 'remote'
                  ? { apiURL: `${connection.url}/db/${database.data.id}` }
                  : {})}
                theme={theme}
                onOpenTable={(table) => navigate({ ...route, page: 'tables', table })}
              />
            </section>
          ) : route.page === 'users' ? (
            <section className="pg-section" aria-labelledby="pg-users-title">
              <h1 id="pg-users-title">Users</h1>
              <p className="pg-muted">
                {connection.mode === 'remote'
                  ? "The app's end users, on the server. Emails (resets, invites) are the server's: apps/server has no mailer, so a password reset answers UNSUPPORTED there."
                  : "The app's end users. Emails (resets, invites) are not sent: the playground shows them in the browser console."}
              </p>
              <AuthUsers databaseId={database.data.id} theme={theme} />
            </section>
          ) : route.page === 'keys' ? (
            <section className="pg-section" aria-labelledby="pg-keys-title">
              <h1 id="pg-keys-title">API keys</h1>
              <APIKeys databaseId={database.data.id} theme={theme} />
            </section>
          ) : route.page === 'demo' && connection.mode === 'remote' ? (
            <section className="pg-section" aria-labelledby="pg-demo-title">
              <h1 id="pg-demo-title">Demo app</h1>
              {/* The demo app runs end-user auth on the page's own engine; a server has its own. */}
              <p>
                The demo app runs in this browser, on the playground's own database. On a remote
                server, an app signs its end users in through the server's data API instead: use{' '}
                <code>{`${connection.url}/db/${database.data.id}`}</code> as the supabase-js URL
                with an anon key from API keys (see the Overview's snippet).
              </p>
            </section>
          ) : route.page === 'demo' ? (
            <DemoPage databaseId={database.data.id} route={route} />
          ) : route.page === 'settings' ? (
            <SettingsPage databaseId={database.data.id} projectId={route.projectId} theme={theme} />
          ) : route.page === 'access' ? (
            <section className="pg-section" aria-labelledby="pg-access-title">
              <h1 id="pg-access-title">Access rules</h1>
              <AccessRules databaseId={database.data.id} theme={theme} />
            </section>
          ) : (
            <SQLPage databaseId={database.data.id} theme={theme} />
          )}
        </>
      )}
    </div>
  )
}
