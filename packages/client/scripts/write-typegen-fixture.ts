// Writes src/typegen-fixture/database.generated.ts, the generated types the type tests compile
// against (src/typegen-fixture/fixture.test.ts checks it is up to date):
//   pnpm --filter @basebox/client exec tsx scripts/write-typegen-fixture.ts
import { writeFile } from 'node:fs/promises'
import { generateTypes } from '../src/typegen.js'
import { FIXTURE_TABLES } from '../src/typegen-fixture/tables.js'

await writeFile(
  new URL('../src/typegen-fixture/database.generated.ts', import.meta.url),
  generateTypes(FIXTURE_TABLES),
)
