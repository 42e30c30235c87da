// Shared by the page (page.tsx) and the driver (run.ts), which must not import the page's modules.
export const ROWS = 100_000
/** Rows per request of both views: TableEditor's default block, and the plain table's one page. */
export const PAGE = 100

/** The view a mount shows. */
export type View = 'plain' | 'editor'
