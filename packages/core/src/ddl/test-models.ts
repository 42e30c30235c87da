// Database models the ddl tests share.
import { parseTableDefinition, type TableDefinitionInput } from '@basebox/client'
import { USERS_TABLE } from '../default-tables.js'
import { BLOG_TABLES } from '../testing/fixtures.js'
import type { DatabaseModel } from './database-model.js'

/** The blog fixture (users, posts, comments) as the catalog holds it. */
export const BLOG: DatabaseModel = [USERS_TABLE, ...BLOG_TABLES.map(parseTableDefinition)]

/** A model of `tables`, each parsed as the catalog would. */
export const model = (...tables: TableDefinitionInput[]): DatabaseModel =>
  tables.map(parseTableDefinition)
