'use client'
import type {
  DropTableOptions,
  PlanOptions,
  TableDefinitionInput,
  WireChangePlan,
} from '@basebox/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useBaseboxClient } from '../provider.js'
import { baseboxKeys } from '../query/keys.js'
import { baseboxQueryOptions } from '../query/options.js'

/** The tables of a database, in creation order, with their definitions. */
export function useTables(databaseId: string) {
  return useQuery(baseboxQueryOptions.tables(useBaseboxClient(), databaseId))
}

/** One table and its definition (`NOT_FOUND` for an unknown name). */
export function useTable(databaseId: string, table: string) {
  return useQuery(baseboxQueryOptions.table(useBaseboxClient(), databaseId, table))
}

// A schema change can change any table's columns, references and rows: refetch the database.
function useInvalidateDatabase(databaseId: string) {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) })
}

/** Creates a table from its definition. */
export function useCreateTable(databaseId: string) {
  const client = useBaseboxClient()
  const invalidate = useInvalidateDatabase(databaseId)
  return useMutation({
    mutationFn: (definition: TableDefinitionInput) => client.createTable(databaseId, definition),
    onSuccess: invalidate,
  })
}

/**
 * Plans the changes that turn the database's tables into `wanted`, with the problems the data
 * would cause. Nothing changes, so nothing is invalidated.
 */
export function usePlanChanges(databaseId: string) {
  const client = useBaseboxClient()
  return useMutation({
    mutationFn: ({ wanted, options }: { wanted: TableDefinitionInput[]; options?: PlanOptions }) =>
      client.planChanges(databaseId, wanted, options),
  })
}

/** Applies a plan in one transaction; every query of the database is refetched after it. */
export function useApplyPlan(databaseId: string) {
  const client = useBaseboxClient()
  const invalidate = useInvalidateDatabase(databaseId)
  return useMutation({
    mutationFn: (plan: Pick<WireChangePlan, 'steps'>) => client.applyPlan(databaseId, plan),
    onSuccess: invalidate,
  })
}

/** Drops a table. */
export function useDropTable(databaseId: string) {
  const client = useBaseboxClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ table, options }: { table: string; options?: DropTableOptions }) =>
      client.dropTable(databaseId, table, options),
    onSuccess: (_nothing, { table }) => {
      queryClient.removeQueries({ queryKey: baseboxKeys.table(databaseId, table) })
      return queryClient.invalidateQueries({ queryKey: baseboxKeys.database(databaseId) })
    },
  })
}
