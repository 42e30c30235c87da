/**
 * The evaluation of schema generation against a real provider (not a test): each description of
 * `EVAL_CASES` goes through `generateSchema`, and the result is applied to a fresh project
 * database on PGlite. Run with `MISTRAL_API_KEY=… pnpm --filter @basebox/ai eval`; without a key
 * it says so and exits 0. Flags: `--only=<id,id>`, `--limit=<n>`, `--model=<mistral model id>`,
 * `--strict` (exit 1 below the 95% bar).
 *
 * @module
 */
import { createMistral } from '@ai-sdk/mistral'
import { PGlite } from '@electric-sql/pglite'
import { createBasebox } from '@basebox/core'
import { pgliteDriver } from '@basebox/core/pglite'
import { isBaseboxError } from '@basebox/client'
import { DEFAULT_MODEL_ID } from '../model.js'
import { PROMPT_VERSION } from '../prompts/prompts.js'
import { generateSchema } from '../schema/generate-schema.js'
import { EVAL_CASES } from './eval-cases.js'
import { scoreCase, summarize, type CaseScore } from './score.js'

/** The bar of the original plan is 90% correct; Basebox aims at 95%. */
const BAR = 0.95

function flag(name: string): string | undefined {
  const prefix = `--${name}=`
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length)
}

function message(error: unknown): string {
  return isBaseboxError(error) || error instanceof Error ? error.message : String(error)
}

async function main(): Promise<number> {
  const apiKey = process.env.MISTRAL_API_KEY
  if (apiKey === undefined || apiKey.trim() === '') {
    console.log(
      'The evaluation calls a real model: set MISTRAL_API_KEY to run it. Nothing was run.',
    )
    return 0
  }
  const only = flag('only')?.split(',')
  const limit = Number(flag('limit') ?? Infinity)
  const modelId = flag('model') ?? DEFAULT_MODEL_ID
  const cases = EVAL_CASES.filter((c) => only === undefined || only.includes(c.id)).slice(0, limit)
  const model = createMistral({ apiKey })(modelId)
  console.log(
    `Evaluating ${cases.length} descriptions with ${modelId}, prompts ${PROMPT_VERSION}\n`,
  )

  const bb = await createBasebox({ driver: pgliteDriver(new PGlite()) })
  const owner = bb.owner('basebox-ai-eval')
  const scores: CaseScore[] = []
  try {
    for (const evalCase of cases) {
      const started = Date.now()
      let score: CaseScore
      try {
        const result = await generateSchema({ description: evalCase.description, model })
        const project = await owner.createProject({ name: evalCase.id })
        const db = await owner.createDatabase(project.id)
        let applyError: string | undefined
        try {
          await db.applyPlan(await db.planChanges(result.tables))
        } catch (error) {
          applyError = message(error)
        }
        score = scoreCase(evalCase, result, applyError, Date.now() - started)
      } catch (error) {
        score = scoreCase(evalCase, undefined, message(error), Date.now() - started)
      }
      scores.push(score)
      console.log(
        `${score.correct ? 'ok  ' : 'FAIL'} ${evalCase.id}${score.error === undefined ? '' : `: ${score.error}`}${score.validAfterRepair && score.missing.length > 0 ? ` (missing ${score.missing.join(', ')})` : ''}`,
      )
    }
  } finally {
    await bb.destroy()
  }
  const summary = summarize(scores)
  console.log(`\n${summary.table}\n`)
  console.log(`valid without repair: ${summary.rates.validWithoutRepair}`)
  console.log(`valid after repair:   ${summary.rates.validAfterRepair}   <- validity rate`)
  console.log(`applies cleanly:      ${summary.rates.applies}`)
  console.log(`expected tables:      ${summary.rates.expectedTables}`)
  console.log(`correct (all three):  ${summary.rates.correct}   (bar: ${BAR * 100}%)`)
  return process.argv.includes('--strict') && summary.correctRate < BAR ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
