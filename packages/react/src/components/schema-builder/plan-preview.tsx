import type { WireChangePlan } from '@basebox/client'
import { describeStep, isDestructiveStep } from './plan-steps.js'

/** Props of {@link PlanPreview}. */
export interface PlanPreviewProps {
  /** The plan to show, as `planChanges` returns it (steps and problems). */
  plan: WireChangePlan
  /** Accessible name of the preview. Default is `'Planned changes'`. */
  label?: string
}

function show(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null'
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * Shows a schema change plan before it is applied: every step in words (destructive steps
 * marked), and the problems the current data would cause, each with its offending rows (key and
 * value). Display only: it applies nothing. Used by `SchemaBuilder`; a host or another
 * component (a diagram) can show any `WireChangePlan` with it.
 *
 * ### Examples
 *
 * ```tsx
 * const plan = await client.planChanges(databaseId, wanted)
 * <PlanPreview plan={plan} />
 * ```
 */
export function PlanPreview({ plan, label = 'Planned changes' }: PlanPreviewProps) {
  const problems = plan.problems ?? []
  return (
    <section className="bb-root bb-plan-preview" aria-label={label}>
      {plan.steps.length === 0 ? (
        <p className="bb-plan-preview-empty">No changes.</p>
      ) : (
        <ol className="bb-plan-preview-steps">
          {plan.steps.map((step, index) => {
            const destructive = isDestructiveStep(step)
            const stepProblems = problems.filter((p) => p.step === index)
            return (
              <li
                key={index}
                className="bb-plan-preview-step"
                data-kind={step.kind}
                data-destructive={destructive ? '' : undefined}
                data-problem={stepProblems.length > 0 ? '' : undefined}
              >
                <span className="bb-plan-preview-text">{describeStep(step)}</span>
                {destructive ? (
                  <strong className="bb-plan-preview-badge"> (drops data)</strong>
                ) : null}
              </li>
            )
          })}
        </ol>
      )}
      {problems.length > 0 ? (
        <div className="bb-plan-preview-problems" role="alert">
          <p>
            The current data does not fit this plan ({problems.length}{' '}
            {problems.length === 1 ? 'problem' : 'problems'}); nothing can be applied until it is
            fixed.
          </p>
          {problems.map((problem, i) => (
            <div key={i} className="bb-plan-preview-problem">
              <p>
                Step {problem.step + 1},{' '}
                {problem.column === undefined
                  ? problem.table
                  : `${problem.table}.${problem.column}`}
                : {problem.message}
              </p>
              {problem.rows.length > 0 ? (
                <table className="bb-plan-preview-rows">
                  <thead>
                    <tr>
                      <th scope="col">Key</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problem.rows.map((row, j) => (
                      <tr key={j}>
                        <td>{show(row.key)}</td>
                        <td>{show(row.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}
    </section>
  )
}
