import { startServer } from './server.js'

// pnpm --filter @basebox/example-server start
// Embedded PGlite in ./.pglite-data by default; DATABASE_URL=postgres://… for PostgreSQL.
// BASEBOX_CORS_ORIGINS=https://app.example.com,https://admin.example.com (or *) lets browsers call it;
// BASEBOX_TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1 (or a hop count, 1) makes X-Forwarded-For count.
const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
const cors = process.env.BASEBOX_CORS_ORIGINS
const proxies = process.env.BASEBOX_TRUSTED_PROXIES
const server = await startServer({
  ...(cors ? { corsOrigins: cors === '*' ? '*' : list(cors) } : {}),
  ...(proxies ? { trustedProxies: /^\d+$/.test(proxies) ? Number(proxies) : list(proxies) } : {}),
  ...(process.env.DATABASE_URL ? { databaseURL: process.env.DATABASE_URL } : {}),
  ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}),
  ...(process.env.BASEBOX_OWNER_TOKEN ? { ownerToken: process.env.BASEBOX_OWNER_TOKEN } : {}),
})
console.log(`Basebox is listening on ${server.url}`)
console.log(
  `  management API:  ${server.url}/api  (Authorization: Bearer ${process.env.BASEBOX_OWNER_TOKEN ?? 'dev-owner-token'})`,
)
console.log(`  OpenAPI:         ${server.url}/api/openapi.json`)
if (server.demo) {
  console.log('Seeded a demo project (keys are shown once):')
  console.log(`  data API URL:    ${server.demo.dataURL}   (use it as the supabase-js URL)`)
  console.log(`  anon key:        ${server.demo.anonKey}`)
  console.log(`  service key:     ${server.demo.serviceKey}`)
}
const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
