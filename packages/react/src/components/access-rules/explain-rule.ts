// What an access rule means, in words: shared by the SchemaBuilder's table form and the
// AccessRules component (both lazy chunks, so this module lands in a chunk they share).
import type { AccessOperation, AccessRule } from '@basebox/client'

const VERB: Record<AccessOperation, string> = {
  select: 'read',
  insert: 'add',
  update: 'change',
  delete: 'delete',
}

/** What an access rule means, in words, for one operation. @internal */
export function explainRule(
  operation: AccessOperation,
  rule: AccessRule,
  ownerColumn: string | undefined,
): string {
  const verb = VERB[operation]
  switch (rule) {
    case 'public':
      return `Anyone, signed in or not, can ${verb} rows.`
    case 'authenticated':
      return `Any signed-in user can ${verb} rows.`
    case 'owner':
      return operation === 'insert'
        ? `A signed-in user can add rows only with their own id in ${ownerColumn ?? 'the owner column'}.`
        : `A signed-in user can ${verb} only the rows whose ${ownerColumn ?? 'owner column'} holds their id.`
    case 'nobody':
      return `No end user can ${verb} rows; only the service key and your own tools can.`
    default:
      return rule satisfies never
  }
}
