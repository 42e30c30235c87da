import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { PlanPreview } from './plan-preview.js'
import { describeStep, destructiveSteps } from './plan-steps.js'

describe('PlanPreview', () => {
  test('lists every step in words and marks the destructive ones', () => {
    const plan = {
      steps: [
        { kind: 'rename_column', table: 'posts', column: 'body', to: 'content' },
        { kind: 'drop_column', table: 'posts', column: 'legacy' },
        {
          kind: 'create_table',
          table: {
            name: 'tags',
            columns: [{ name: 'id', type: 'uuid' as const, primary_key: true }],
          },
        },
      ],
      problems: [],
    }
    const html = renderToStaticMarkup(<PlanPreview plan={plan} />)
    expect(html).toContain('Rename column posts.body to content')
    expect(html).toContain('Drop column posts.legacy and its values')
    expect(html).toContain('Create table tags (1 column)')
    expect(html.match(/data-destructive/g)).toHaveLength(1)
    expect(destructiveSteps(plan)).toEqual([1])
    expect(html).not.toContain('role="alert"')
  })

  test('shows the problems of a step with the offending rows', () => {
    const html = renderToStaticMarkup(
      <PlanPreview
        plan={{
          steps: [{ kind: 'change_type', table: 'posts', column: 'views', to: 'integer' }],
          problems: [
            {
              step: 0,
              table: 'posts',
              column: 'views',
              message: 'invalid input syntax for type integer',
              rows: [{ key: 7, value: 'many' }],
            },
          ],
        }}
      />,
    )
    expect(html).toContain('role="alert"')
    expect(html).toContain('Step 1, posts.views: invalid input syntax for type integer')
    expect(html).toContain('<td>7</td><td>many</td>')
    expect(html).toContain('data-problem=""')
  })

  test('a column reorder names the new order', () => {
    expect(
      describeStep({ kind: 'reorder_columns', table: 'posts', columns: ['id', 'title', 'body'] }),
    ).toBe('Reorder the columns of posts: id, title, body')
  })

  test('an unknown step kind is still listed', () => {
    expect(describeStep({ kind: 'future_kind', table: 'posts' })).toBe('future_kind on posts')
  })
})
