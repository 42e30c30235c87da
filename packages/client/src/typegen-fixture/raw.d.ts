// Vite's `?raw` imports (a file's text), which vitest serves to the fixture check.
declare module '*?raw' {
  const text: string
  export default text
}
