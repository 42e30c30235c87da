'use client'

/** The message under an editor saying why its input was refused. @internal */
export function ErrorText({
  id,
  message,
}: {
  id: string | undefined
  message: string | undefined
}) {
  if (message === undefined || message === '') {
    return null
  }
  return (
    <span id={id} className="bb-editor-error" data-slot="editor-error" role="alert">
      {message}
    </span>
  )
}
