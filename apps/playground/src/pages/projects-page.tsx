// The signed-in user's projects, and a form to create one.
import { useCreateProject, useProjects } from '@basebox/react'
import { useState, type FormEvent } from 'react'
import { ErrorNote } from '../error-note.js'
import { navigate, toHash } from '../route.js'

/** The projects list with a create form; a new project opens at once. */
export function ProjectsPage() {
  const projects = useProjects()
  const create = useCreateProject()
  const [name, setName] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed === '') {
      return
    }
    create.mutate(
      { name: trimmed },
      {
        onSuccess: (project) => {
          setName('')
          navigate({ name: 'project', projectId: project.id, page: 'tables', table: null })
        },
      },
    )
  }
  return (
    <div className="pg-stack">
      <section className="pg-card" aria-labelledby="pg-new-project">
        <h1 id="pg-new-project">New project</h1>
        <form onSubmit={submit} className="pg-form-row">
          <label htmlFor="pg-project-name">Project name</label>
          <input
            id="pg-project-name"
            className="bb-input"
            maxLength={200}
            value={name}
            placeholder="e.g. Blog"
            onChange={(event) => setName(event.target.value)}
          />
          <button
            type="submit"
            className="bb-button"
            data-variant="primary"
            disabled={name.trim() === '' || create.isPending}
          >
            Create project
          </button>
        </form>
        {create.error !== null && <ErrorNote error={create.error} />}
      </section>
      <section className="pg-card" aria-labelledby="pg-projects">
        <h2 id="pg-projects">Your projects</h2>
        {projects.isPending ? (
          <p className="pg-muted">Loading projects…</p>
        ) : projects.error !== null ? (
          <ErrorNote error={projects.error} />
        ) : projects.data.length === 0 ? (
          <p className="pg-muted">No projects yet: create one above.</p>
        ) : (
          <ul className="pg-project-list">
            {projects.data.map((project) => (
              <li key={project.id}>
                <a
                  href={toHash({
                    name: 'project',
                    projectId: project.id,
                    page: 'tables',
                    table: null,
                  })}
                >
                  {project.name}
                </a>
                <span className="pg-muted">
                  {' '}
                  · created {new Date(project.created_at).toLocaleDateString()}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
