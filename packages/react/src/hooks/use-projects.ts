'use client'
import type { CreateDatabaseInput, CreateProjectInput, UpdateProjectInput } from '@basebox/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useBaseboxClient } from '../provider.js'
import { baseboxKeys } from '../query/keys.js'
import { baseboxQueryOptions } from '../query/options.js'

/** The owner's projects, oldest first. */
export function useProjects() {
  return useQuery(baseboxQueryOptions.projects(useBaseboxClient()))
}

/** One project. */
export function useProject(projectId: string) {
  return useQuery(baseboxQueryOptions.project(useBaseboxClient(), projectId))
}

/** The database of a project; fails with `NOT_FOUND` while it has none. */
export function useProjectDatabase(projectId: string) {
  return useQuery(baseboxQueryOptions.projectDatabase(useBaseboxClient(), projectId))
}

/** Creates a project; the project list is refetched after it. */
export function useCreateProject() {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: CreateProjectInput) => client.createProject(input),
    onSuccess: (project) => {
      queryClient.setQueryData(baseboxKeys.project(project.id), project)
      return queryClient.invalidateQueries({ queryKey: baseboxKeys.projects() })
    },
  })
}

/** Renames a project or changes its description. */
export function useUpdateProject() {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ projectId, changes }: { projectId: string; changes: UpdateProjectInput }) =>
      client.updateProject(projectId, changes),
    onSuccess: (project) => {
      queryClient.setQueryData(baseboxKeys.project(project.id), project)
      return queryClient.invalidateQueries({ queryKey: baseboxKeys.projects() })
    },
  })
}

/** Deletes a project with its database; everything cached for it is dropped. */
export function useDeleteProject() {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (projectId: string) => client.deleteProject(projectId),
    onSuccess: (_nothing, projectId) => {
      const database = queryClient.getQueryData<{ id: string }>(
        baseboxKeys.projectDatabase(projectId),
      )
      queryClient.removeQueries({ queryKey: baseboxKeys.project(projectId) })
      if (database !== undefined) {
        queryClient.removeQueries({ queryKey: baseboxKeys.database(database.id) })
      }
      return queryClient.invalidateQueries({ queryKey: baseboxKeys.projects() })
    },
  })
}

/** Creates the database of a project (with its default `users` table). */
export function useCreateDatabase() {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ projectId, input }: { projectId: string; input?: CreateDatabaseInput }) =>
      client.createDatabase(projectId, input),
    onSuccess: (database) => {
      queryClient.setQueryData(baseboxKeys.projectDatabase(database.project_id), database)
    },
  })
}
