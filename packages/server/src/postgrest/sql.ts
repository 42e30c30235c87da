import { quoteIdentifier } from '@basebox/core'

/**
 * The text and values of one statement being built: identifiers go in quoted (names that come
 * from the database's definitions, checked again by {@link SQLBuilder.id}), values only ever as
 * `$n` parameters.
 * @internal
 */
export class SQLBuilder {
  readonly parameters: unknown[] = []
  /** The SQL type of each parameter. */
  readonly types: string[] = []

  /** A `$n` placeholder for `value`, cast to `type` (an allow-listed SQL type name). */
  param(value: unknown, type: string): string {
    this.parameters.push(value)
    this.types.push(type)
    return `$${this.parameters.length}::${type}`
  }

  /** Every parameter as a typed placeholder, for a statement that must declare them all. */
  allParameters(): string[] {
    return this.types.map((type, i) => `$${i + 1}::${type}`)
  }

  /** `"name"`, refusing anything that is not a plain lower-case identifier. */
  id(name: string): string {
    return quoteIdentifier(name)
  }

  /** `"a"."b"` */
  ref(alias: string, column: string): string {
    return `${quoteIdentifier(alias)}.${quoteIdentifier(column)}`
  }
}

/** An output name chosen by the client (an alias, or a JSON key), as a quoted identifier. */
export function quoteLabel(label: string): string {
  return `"${label.replaceAll('"', '""')}"`
}
