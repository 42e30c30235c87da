// The dependency direction of DESIGN.md and STYLE B2, as the workspace's ESLint config enforces it
// for every package: each forbidden import, written in a file of that package, is an error, and
// the allowed ones are not. (Runs the real config on text; nothing is written.)
import { ESLint } from 'eslint'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const used = value\n`, {
    filePath: `${root}${file}`,
  })
  return result!.messages.some((message) => message.ruleId === 'no-restricted-imports')
}

const CASES: [file: string, source: string, refused: boolean][] = [
  ['packages/client/src/x.ts', "import value from 'kysely'", true],
  ['packages/client/src/x.ts', "import { z as value } from 'zod'", false],
  ['packages/core/src/x.ts', "import value from 'react'", true],
  ['packages/core/src/x.ts', "import value from '@basebox/auth'", true],
  ['packages/core/src/x.ts', "import value from 'pg'", true],
  ['packages/core/src/x.ts', "import type value from 'pg'", false],
  ['packages/auth/src/x.ts', "import value from '@basebox/server'", true],
  ['packages/auth/src/x.ts', "import value from '@basebox/ai'", true],
  ['packages/auth/src/x.ts', "import value from 'react'", true],
  ['packages/auth/src/x.ts', "import { PGlite as value } from '@electric-sql/pglite'", true],
  ['packages/auth/src/x.ts', "import { createBasebox as value } from '@basebox/core'", false],
  ['packages/auth/src/x.test.ts', "import { PGlite as value } from '@electric-sql/pglite'", false],
  ['packages/ai/src/x.ts', "import value from 'kysely'", true],
  ['packages/ai/src/x.ts', "import value from '@basebox/auth'", true],
  ['packages/ai/src/x.ts', "import { planChanges as value } from '@basebox/core'", false],
  ['packages/ai/src/x.ts', "import { pgliteDriver as value } from '@basebox/core/pglite'", true],
  ['packages/server/src/x.ts', "import value from '@basebox/react'", true],
  ['packages/server/src/x.ts', "import value from 'pg'", true],
  ['packages/server/src/x.ts', "import { createAuth as value } from '@basebox/auth'", false],
  ['packages/react/src/x.ts', "import value from '@basebox/core'", true],
  ['packages/react/src/x.ts', "import value from '@basebox/client'", false],
  ['packages/server/src/x.ts', "import value from '../../core/src/index.js'", true],
]

describe('given the workspace lint config', () => {
  it.each(CASES)('%s: `%s` is refused: %s', async (file, source, refused) => {
    expect(await restricted(file, source)).toBe(refused)
  })
})
