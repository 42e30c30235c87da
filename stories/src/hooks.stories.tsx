// The hooks alone, without the components: a list of blog posts built with useInfiniteRows, and
// a toggle built with useUpdateRows (what a host that draws its own UI writes).
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useInfiniteRows, useUpdateRows } from '@basebox/react'
import { expect, waitFor, within, userEvent } from 'storybook/test'
import { sample, scratch, type LoadedDatabase } from './story-support.js'

interface Post {
  id: number
  title: string
  published: boolean
}

/** A plain list of posts, 20 at a time, with a "Load more" button and a publish toggle per post. */
function PostList({ databaseId, pageSize = 20 }: { databaseId: string; pageSize?: number }) {
  const rows = useInfiniteRows<Post>(databaseId, 'posts', {
    orderBy: { column: 'id' },
    limit: pageSize,
    count: 'exact',
    columns: ['id', 'title', 'published'],
  })
  const update = useUpdateRows(databaseId, 'posts')
  if (rows.isPending) return <p role="status">Loading posts…</p>
  if (rows.isError) return <p role="alert">{rows.error.message}</p>
  const posts = rows.data.pages.flatMap((page) => page.rows)
  return (
    <section
      aria-label="Posts"
      style={{ color: 'var(--bb-color-fg)', fontFamily: 'var(--bb-font-sans)' }}
    >
      <p>
        {posts.length} of {rows.data.pages[0]?.count} posts
      </p>
      <ul>
        {posts.map((post) => (
          <li key={post.id}>
            <label>
              <input
                type="checkbox"
                checked={post.published}
                onChange={(event) =>
                  update.mutate({
                    where: { id: post.id },
                    patch: { published: event.target.checked },
                  })
                }
              />{' '}
              {post.title}
            </label>
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={() => void rows.fetchNextPage()}
        disabled={!rows.hasNextPage || rows.isFetchingNextPage}
      >
        Load more
      </button>
    </section>
  )
}

const meta = {
  title: 'Hooks/useInfiniteRows',
  component: PostList,
  args: { databaseId: '' },
  argTypes: { databaseId: { control: false } },
  render: (args, { loaded }) => (
    <PostList {...args} databaseId={(loaded as LoadedDatabase).basebox.databaseId} />
  ),
} satisfies Meta<typeof PostList>

export default meta
type Story = StoryObj<typeof meta>

/** The shared blog: 120 posts, 20 a page. */
export const Default: Story = {
  loaders: [sample(['blog'])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('20 of 120 posts', {}, { timeout: 30_000 })).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Load more' }))
    await expect(await canvas.findByText('40 of 120 posts', {}, { timeout: 30_000 })).toBeVisible()
    await expect(canvas.getAllByRole('checkbox')).toHaveLength(40)
  },
}

/** A toggle writes through useUpdateRows; the database has the change afterwards. */
export const Toggle: Story = {
  loaders: [scratch('hooks toggle')],
  play: async ({ canvasElement, loaded }) => {
    const { client, databaseId } = (loaded as LoadedDatabase).basebox
    const canvas = within(canvasElement)
    await canvas.findByText('12 of 12 posts', {}, { timeout: 30_000 })
    const [before] = (await client.selectRows<Post>(databaseId, 'posts', { where: { id: 1 } })).rows
    const box = canvas.getAllByRole('checkbox')[0]!
    await userEvent.click(box)
    await waitFor(
      async () => {
        const [after] = (await client.selectRows<Post>(databaseId, 'posts', { where: { id: 1 } }))
          .rows
        await expect(after?.published).toBe(!before!.published)
      },
      { timeout: 30_000 },
    )
    await expect(box).toHaveProperty('checked', !before!.published)
  },
}
