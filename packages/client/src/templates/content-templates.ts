import type { SchemaTemplate } from './schema-templates.js'
import { id, ref, requiredText, timestamps } from './columns.js'

/** Posts by users, comments, and tags on posts. */
export const BLOG_TEMPLATE: SchemaTemplate = {
  id: 'blog',
  title: 'Blog',
  description: 'Posts written by users, with comments and tags.',
  tables: [
    {
      name: 'posts',
      columns: [
        id(),
        ref('author_id', 'users', 'cascade', true),
        requiredText('title'),
        { name: 'slug', type: 'text', required: true, unique: true },
        { name: 'excerpt', type: 'text' },
        { name: 'body', type: 'text' },
        { name: 'status', type: 'text', required: true, default: 'draft' },
        { name: 'published_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['author_id'] }, { columns: ['status', 'published_at'] }],
    },
    {
      name: 'comments',
      columns: [
        id(),
        ref('post_id', 'posts', 'cascade', true),
        ref('author_id', 'users', 'set null'),
        requiredText('body'),
        ...timestamps(),
      ],
      indexes: [{ columns: ['post_id'] }],
    },
    {
      name: 'tags',
      columns: [
        id(),
        { name: 'name', type: 'text', required: true, unique: true },
        ...timestamps(),
      ],
    },
    {
      name: 'post_tags',
      columns: [
        id(),
        ref('post_id', 'posts', 'cascade', true),
        ref('tag_id', 'tags', 'cascade', true),
        ...timestamps(),
      ],
      indexes: [{ columns: ['post_id', 'tag_id'], unique: true }],
    },
  ],
}

/** Lists of tasks, owned by users, tasks assignable to users. */
export const TODO_TEMPLATE: SchemaTemplate = {
  id: 'todo',
  title: 'To-do lists',
  description: 'Lists of tasks with due dates and priorities, shared by assigning tasks to users.',
  tables: [
    {
      name: 'lists',
      columns: [
        id(),
        ref('owner_id', 'users', 'cascade', true),
        requiredText('title'),
        { name: 'color', type: 'text' },
        { name: 'position', type: 'integer', required: true, default: 0 },
        ...timestamps(),
      ],
      indexes: [{ columns: ['owner_id'] }],
    },
    {
      name: 'tasks',
      columns: [
        id(),
        ref('list_id', 'lists', 'cascade', true),
        ref('assignee_id', 'users', 'set null'),
        requiredText('title'),
        { name: 'notes', type: 'text' },
        { name: 'done', type: 'boolean', required: true, default: false },
        { name: 'priority', type: 'integer', required: true, default: 0 },
        { name: 'due_date', type: 'date' },
        { name: 'completed_at', type: 'timestamptz' },
        { name: 'position', type: 'integer', required: true, default: 0 },
        ...timestamps(),
      ],
      indexes: [{ columns: ['list_id', 'position'] }, { columns: ['assignee_id'] }],
    },
  ],
}

/** Companies, contacts, deals through a pipeline, and activities. */
export const CRM_TEMPLATE: SchemaTemplate = {
  id: 'crm',
  title: 'CRM',
  description:
    'Companies and their contacts, deals moving through pipeline stages, and logged activities.',
  tables: [
    {
      name: 'companies',
      columns: [
        id(),
        ref('owner_id', 'users', 'set null'),
        requiredText('name'),
        { name: 'domain', type: 'text' },
        { name: 'industry', type: 'text' },
        { name: 'employee_count', type: 'integer' },
        ...timestamps(),
      ],
    },
    {
      name: 'contacts',
      columns: [
        id(),
        ref('company_id', 'companies', 'set null'),
        ref('owner_id', 'users', 'set null'),
        requiredText('first_name'),
        { name: 'last_name', type: 'text' },
        { name: 'email', type: 'text' },
        { name: 'phone', type: 'text' },
        { name: 'job_title', type: 'text' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['company_id'] }, { columns: ['email'] }],
    },
    {
      name: 'deals',
      columns: [
        id(),
        ref('company_id', 'companies', 'set null'),
        ref('contact_id', 'contacts', 'set null'),
        ref('owner_id', 'users', 'set null'),
        requiredText('name'),
        { name: 'stage', type: 'text', required: true, default: 'lead' },
        { name: 'amount', type: 'numeric' },
        { name: 'currency', type: 'text', required: true, default: 'USD' },
        { name: 'expected_close_date', type: 'date' },
        { name: 'closed_at', type: 'timestamptz' },
        ...timestamps(),
      ],
      indexes: [{ columns: ['stage'] }, { columns: ['company_id'] }],
    },
    {
      name: 'activities',
      columns: [
        id(),
        ref('contact_id', 'contacts', 'cascade'),
        ref('deal_id', 'deals', 'cascade'),
        ref('user_id', 'users', 'set null'),
        { name: 'kind', type: 'text', required: true, default: 'note' },
        { name: 'subject', type: 'text' },
        { name: 'body', type: 'text' },
        { name: 'due_at', type: 'timestamptz' },
        { name: 'done', type: 'boolean', required: true, default: false },
        ...timestamps(),
      ],
      indexes: [{ columns: ['contact_id'] }, { columns: ['deal_id'] }],
    },
  ],
}
