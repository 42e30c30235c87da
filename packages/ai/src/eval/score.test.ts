import { describe, expect, it } from 'vitest'
import { schemaFromTemplate } from '../templates/schema-template.js'
import { EVAL_CASES } from './eval-cases.js'
import { scoreCase, summarize } from './score.js'

describe('evaluation scoring', () => {
  it('has at least 40 distinct cases, each expecting tables', () => {
    expect(EVAL_CASES.length).toBeGreaterThanOrEqual(40)
    expect(new Set(EVAL_CASES.map((c) => c.id)).size).toBe(EVAL_CASES.length)
    for (const evalCase of EVAL_CASES) {
      expect(evalCase.expected.length, evalCase.id).toBeGreaterThan(0)
    }
  })

  it('scores a result: valid, applied, expected tables by any accepted name or number', () => {
    const blog = EVAL_CASES.find((c) => c.id === 'blog')!
    const result = schemaFromTemplate('blog')
    expect(scoreCase(blog, result, undefined, 1200)).toMatchObject({
      validWithoutRepair: false, // a template is not a model call: attempts is 0
      validAfterRepair: true,
      applies: true,
      expectedTables: true,
      correct: true,
      missing: [],
    })
    const crm = EVAL_CASES.find((c) => c.id === 'crm')!
    expect(scoreCase(crm, result, 'relation exists', 10)).toMatchObject({
      applies: false,
      correct: false,
      missing: ['companies', 'contacts', 'deals', 'activities'],
    })
    expect(scoreCase(crm, undefined, 'the model call failed', 10)).toMatchObject({
      validAfterRepair: false,
      correct: false,
    })
  })

  it('prints a table and the rates', () => {
    const blog = EVAL_CASES.find((c) => c.id === 'blog')!
    const scores = [
      scoreCase(blog, { ...schemaFromTemplate('blog'), attempts: 1 }, undefined, 1500),
      scoreCase(blog, undefined, 'x', 0),
    ]
    const summary = summarize(scores)
    expect(summary.table.split('\n')[0]).toMatch(
      /^case\s+no repair\s+after repair\s+applies\s+expected/,
    )
    expect(summary.table.split('\n')).toHaveLength(4)
    expect(summary.rates).toEqual({
      validWithoutRepair: '50.0% (1/2)',
      validAfterRepair: '50.0% (1/2)',
      applies: '50.0% (1/2)',
      expectedTables: '50.0% (1/2)',
      correct: '50.0% (1/2)',
    })
    expect(summary.correctRate).toBe(0.5)
  })
})
