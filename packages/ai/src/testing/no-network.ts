// Vitest setup for @basebox/ai: no test may reach the network (DESIGN.md: "no network in
// tests, ever"). A model call that escaped its mock fails loudly instead of calling a provider.
const realFetch = globalThis.fetch

globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input)
  if (/^(https?|wss?):/i.test(url)) {
    throw new Error(`network access in a test: ${url}`)
  }
  return realFetch(input, init)
}
