export {
  ChangePlanInput,
  PlanStep,
  type ChangePlan,
  type PlanProblem,
  type PlanStepKind,
} from '@basebox/client'
export type { ColumnDefinition, PlanOptions } from '@basebox/client'
