// The README's "Hooks without the components" example, as it is printed there (a test checks
// that README.md holds this file's text, with `'../index.js'` written `'@basebox/react'`).
import { isBaseboxError } from '@basebox/client'
import { useState } from 'react'
import { useDeleteRows, useInfiniteRows, useInsertRows, useUpdateRows } from '../index.js'

type Post = { id: string; title: string; published: boolean }

export function PostList({ databaseId }: { databaseId: string }) {
  const posts = useInfiniteRows<Post>(databaseId, 'posts', {
    columns: ['id', 'title', 'published'],
    orderBy: [{ column: 'created_at', direction: 'desc' }],
    count: 'exact',
    limit: 50,
  })
  const insert = useInsertRows(databaseId, 'posts')
  const update = useUpdateRows(databaseId, 'posts')
  const remove = useDeleteRows(databaseId, 'posts')
  const [title, setTitle] = useState('')

  if (posts.isPending) return <p>Loading…</p>
  if (posts.isError) return <p role="alert">{posts.error.message}</p>
  const rows = posts.data.pages.flatMap((page) => page.rows)
  const problem = insert.error ?? update.error ?? remove.error

  return (
    <section>
      <h2>
        Posts ({rows.length} of {posts.data.pages[0]?.count})
      </h2>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          insert.mutate({ rows: { title } }, { onSuccess: () => setTitle('') })
        }}
      >
        <input
          aria-label="Title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <button type="submit" disabled={insert.isPending}>
          Add
        </button>
      </form>
      {problem && (
        <p role="alert">
          {isBaseboxError(problem) ? `${problem.code}: ${problem.message}` : String(problem)}
        </p>
      )}
      <ul>
        {rows.map((post) => (
          <li key={post.id}>
            <label>
              <input
                type="checkbox"
                checked={post.published}
                onChange={() =>
                  update.mutate({ where: { id: post.id }, patch: { published: !post.published } })
                }
              />
              {post.title}
            </label>
            <button onClick={() => remove.mutate({ where: { id: post.id } })}>
              Delete {post.title}
            </button>
          </li>
        ))}
      </ul>
      {posts.hasNextPage && (
        <button onClick={() => posts.fetchNextPage()} disabled={posts.isFetchingNextPage}>
          Load more
        </button>
      )}
    </section>
  )
}
