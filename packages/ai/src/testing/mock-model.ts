import { simulateReadableStream } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'

type LanguageModelV4CallOptions = MockLanguageModelV4['doGenerateCalls'][number]
type LanguageModelV4GenerateResult = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>
type LanguageModelV4StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T>
    ? T
    : never

// Test helpers: mock models of the AI SDK (no network, ever). Not published (see `files`).

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
}

/** A generate result whose text is `answer` (objects as JSON, strings as written). */
export function textResult(answer: unknown): LanguageModelV4GenerateResult {
  return {
    content: [{ type: 'text', text: typeof answer === 'string' ? answer : JSON.stringify(answer) }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: USAGE,
    warnings: [],
  }
}

/**
 * A mock model that answers each call with the next of `answers`, and fails the test loudly
 * when called more often than there are answers.
 */
export function answeringModel(...answers: unknown[]): MockLanguageModelV4 {
  let call = 0
  return new MockLanguageModelV4({
    doGenerate: async () => {
      if (call >= answers.length) {
        throw new Error(
          `the mock model was called ${call + 1} times but has only ${answers.length} answers`,
        )
      }
      return textResult(answers[call++])
    },
  })
}

/** A mock model that streams `answer` as JSON text in chunks of `size` characters. */
export function streamingModel(answer: unknown, size = 9): MockLanguageModelV4 {
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer)
  const deltas: LanguageModelV4StreamPart[] = []
  for (let i = 0; i < text.length; i += size) {
    deltas.push({ type: 'text-delta', id: 't', delta: text.slice(i, i + size) })
  }
  const chunks: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...deltas,
    { type: 'text-end', id: 't' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: USAGE },
  ]
  return new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }),
    }),
  })
}

/** The system text and the text of each user and assistant message of one model call. */
export function promptOf(call: LanguageModelV4CallOptions): {
  system: string
  messages: { role: string; text: string }[]
} {
  let system = ''
  const messages: { role: string; text: string }[] = []
  for (const message of call.prompt) {
    if (message.role === 'system') {
      system += message.content
      continue
    }
    const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
    messages.push({ role: message.role, text })
  }
  return { system, messages }
}

/**
 * A mock streaming model whose text the test writes piece by piece, to observe what the caller
 * sees before the answer is complete.
 */
export function controlledStreamingModel(): {
  model: MockLanguageModelV4
  write(text: string): void
  finish(): void
  fail(error: Error): void
} {
  let controller: ReadableStreamDefaultController<LanguageModelV4StreamPart> | undefined
  const stream = new ReadableStream<LanguageModelV4StreamPart>({
    start(c) {
      controller = c
      c.enqueue({ type: 'stream-start', warnings: [] })
      c.enqueue({ type: 'text-start', id: 't' })
    },
  })
  return {
    model: new MockLanguageModelV4({ doStream: async () => ({ stream }) }),
    write: (text) => controller!.enqueue({ type: 'text-delta', id: 't', delta: text }),
    finish() {
      controller!.enqueue({ type: 'text-end', id: 't' })
      controller!.enqueue({
        type: 'finish',
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: USAGE,
      })
      controller!.close()
    },
    fail: (error) => controller!.error(error),
  }
}
