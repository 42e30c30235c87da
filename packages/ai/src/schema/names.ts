import {
  identifierProblem,
  MAX_IDENTIFIER_BYTES,
  RESERVED_WORDS,
  SYSTEM_COLUMN_NAMES,
} from '@basebox/client'

/** Column names a model may use that are reserved words, with the name Basebox uses instead. */
const RESERVED_COLUMN_RENAMES: Readonly<Record<string, string>> = {
  order: 'sort_order',
  desc: 'description',
  limit: 'limit_value',
  offset: 'offset_value',
  default: 'default_value',
  user: 'user_name',
  group: 'group_name',
}

/**
 * `BlogPost`, `blog-post`, `Blog Post` and `blogPost` all become `blog_post`: accents dropped,
 * camel case split, anything else that is not a letter or digit turned into one underscore.
 */
export function toSnakeCase(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
}

/** The outcome of {@link fixName}. */
export interface FixedName {
  /** A valid identifier, or `undefined` when nothing sensible could be made of the input. */
  name: string | undefined
  /** Whether the name was a reserved word (or prefix, or system column) that had to change. */
  reserved: boolean
}

/**
 * Makes a valid Basebox identifier of a name a model wrote, when the fix is obvious: snake case,
 * no leading digit, no `pg_` prefix, at most 63 bytes, and reserved words made plural (tables:
 * `order` -> `orders`) or given a suffix (columns: `order` -> `sort_order`, `from` -> `from_value`).
 */
export function fixName(raw: string, kind: 'table' | 'column'): FixedName {
  if (
    identifierProblem(raw) === undefined &&
    !(kind === 'column' && SYSTEM_COLUMN_NAMES.has(raw))
  ) {
    return { name: raw, reserved: false }
  }
  let name = toSnakeCase(raw)
  let reserved = false
  while (name.startsWith('pg_')) {
    name = name.slice(3)
    reserved = true
  }
  if (name === '') {
    return { name: undefined, reserved }
  }
  if (/^[0-9]/.test(name)) {
    name = `${kind === 'table' ? 't' : 'c'}_${name}`
  }
  name = name.slice(0, MAX_IDENTIFIER_BYTES).replace(/_+$/, '')
  if (RESERVED_WORDS.has(name) || (kind === 'column' && SYSTEM_COLUMN_NAMES.has(name))) {
    reserved = true
    if (kind === 'table') {
      name = RESERVED_WORDS.has(`${name}s`) ? `${name}_items` : `${name}s`
    } else {
      name = RESERVED_COLUMN_RENAMES[name] ?? `${name}_value`
    }
  }
  return { name: identifierProblem(name) === undefined ? name : undefined, reserved }
}

/** The table names a `<base>_id` column may point at: `category` -> categories, `box` -> boxes. */
export function pluralCandidates(base: string): string[] {
  const forms = [base, `${base}s`, `${base}es`]
  if (/[^aeiou]y$/.test(base)) {
    forms.push(`${base.slice(0, -1)}ies`)
  }
  if (base.endsWith('person')) {
    forms.push(`${base.slice(0, -6)}people`)
  }
  return forms
}

/**
 * `_id` columns that name a person's role rather than a table (`author_id`, `owner_id`): with no
 * table of that name, they point at `users`, as the schema conventions ask.
 */
export const PERSON_ROLES: ReadonlySet<string> = new Set([
  'author',
  'owner',
  'creator',
  'created_by',
  'updated_by',
  'assignee',
  'assigned_to',
  'reporter',
  'reviewer',
  'sender',
  'recipient',
  'organizer',
  'host',
  'invited_by',
  'member',
  'approver',
])
