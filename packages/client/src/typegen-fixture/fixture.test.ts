// database.generated.ts is generateTypes' output for FIXTURE_TABLES, checked in so the type
// tests (typegen.test-d.ts) compile against real generated code. Regenerate it when typegen
// changes: `pnpm --filter @basebox/client exec tsx scripts/write-typegen-fixture.ts`.
import { describe, expect, it } from 'vitest'
import { generateTypes } from '../typegen.js'
import generated from './database.generated.ts?raw'
import { FIXTURE_TABLES } from './tables.js'

describe('given the checked-in generated types of the fixture tables', () => {
  it('is what generateTypes writes today', () => {
    expect(
      generated,
      'run: pnpm --filter @basebox/client exec tsx scripts/write-typegen-fixture.ts',
    ).toBe(generateTypes(FIXTURE_TABLES))
  })
})
