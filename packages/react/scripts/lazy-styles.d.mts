/** One lazy stylesheet: its .css source, the module generated from it, and the constant it exports. */
export interface LazyStyle {
  source: string
  module: string
  name: string
}
export const LAZY_STYLES: LazyStyle[]
/** The text of the module generated from `entry`. */
export function renderLazyStyle(entry: LazyStyle): Promise<string>
