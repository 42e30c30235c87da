// The bundle-size budget of the issue (gzipped, without peers, under 100 kB), measured on the
// source by the same script the build runs after tsup (scripts/bundle-size.mjs). The size of a
// bundle is deterministic: this is a size budget, not a timing threshold.
import { describe, expect, it } from 'vitest'
import { BUDGET_BYTES, measureBundle, PEERS } from '../scripts/bundle-size.mjs'

describe('given the whole package bundled for a browser host', () => {
  it('stays under 100 kB gzipped with its dependencies, leaving only the peers out', async () => {
    const result = await measureBundle({ entry: 'source' })
    console.log(
      `@basebox/react: ${(result.gzip / 1000).toFixed(1)} kB gzip (JS ${(result.js.gzip / 1000).toFixed(1)} + CSS ${(result.css.gzip / 1000).toFixed(1)})`,
    )
    expect(BUDGET_BYTES).toBe(100_000)
    // Only peers stay imports, and react is one of them (the bundle really left it out).
    expect(result.external.length).toBeGreaterThan(0)
    const isPeer = (path: string) =>
      PEERS.some((peer: string) =>
        peer.endsWith('/*') ? path.startsWith(peer.slice(0, -1)) : path === peer,
      )
    expect(result.external.filter((path) => !isPeer(path))).toEqual([])
    expect(result.external).toContain('react')
    // @basebox/client is a dependency: it is in the bundle, counted, and so is the stylesheet.
    expect(
      result.inputs.some(
        (path) => /(^|\/)client\/src\//.test(path) || path.includes('@basebox/client'),
      ),
    ).toBe(true)
    expect(result.inputs.some((path) => /node_modules\/(react|react-dom)\//.test(path))).toBe(false)
    expect(result.css.bytes).toBeGreaterThan(0)
    expect(result.gzip).toBe(result.js.gzip + result.css.gzip)
    expect(result.gzip).toBeLessThanOrEqual(BUDGET_BYTES)
  })
})

describe('given a host that imports only the TableEditor, not the SQLPanel', () => {
  it('never downloads CodeMirror: the SQLPanel editor is a lazy chunk of its own, measured apart', async () => {
    const result = await measureBundle({ entry: 'source' })
    const sqlPanel = result.lazy.find((chunk) =>
      chunk.entryPoint.endsWith('sql-panel/sql-panel-impl.tsx'),
    )
    expect(sqlPanel).toBeDefined()
    console.log(
      `@basebox/react SQLPanel lazy chunk (CodeMirror and the panel): ${(sqlPanel!.js.gzip / 1000).toFixed(1)} kB gzip`,
    )
    expect(sqlPanel!.inputs.some((path) => path.includes('@codemirror/view'))).toBe(true)
    expect(sqlPanel!.inputs.some((path) => path.includes('@codemirror/lang-sql'))).toBe(true)
    // The main entry (what every host downloads) has none of it.
    expect(
      result.inputs.filter((path) => /@codemirror|@lezer|sql-panel-impl|sql-editor/.test(path)),
    ).toEqual([])
  })
})

describe('given a host that imports only the TableEditor, not the SQLPanel', () => {
  it('does not download the SchemaDiagram: @xyflow/react, dagre and html-to-image are in its lazy chunk only', async () => {
    const result = await measureBundle({ entry: 'source' })
    const diagram = result.lazy.find((chunk) =>
      chunk.entryPoint.endsWith('schema-diagram/schema-diagram-view.tsx'),
    )
    expect(diagram).toBeDefined()
    console.log(
      `@basebox/react SchemaDiagram lazy chunk: ${(diagram!.js.gzip / 1000).toFixed(1)} kB gzip (${(diagram!.js.bytes / 1000).toFixed(1)} kB minified), outside the budget`,
    )
    const heavy = /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(@xyflow|@dagrejs|html-to-image)\//
    expect(result.inputs.filter((path) => heavy.test(path))).toEqual([])
    // The main entry keeps only the small wrapper of the diagram.
    expect(result.inputs.some((path) => path.endsWith('schema-diagram/schema-diagram.tsx'))).toBe(
      true,
    )
    expect(
      result.inputs.some((path) => path.endsWith('schema-diagram/schema-diagram-view.tsx')),
    ).toBe(false)
    for (const dependency of [
      '@xyflow/react',
      '@xyflow/system',
      '@dagrejs/dagre',
      'html-to-image',
    ]) {
      expect(
        diagram!.inputs.some((path) => path.includes(`node_modules/${dependency}/`)),
        dependency,
      ).toBe(true)
    }
  })
})

describe('given a host that imports only the TableEditor, not the SchemaBuilder', () => {
  it('does not download the builder: its form, AI panel and stylesheet are a lazy chunk of their own', async () => {
    const result = await measureBundle({ entry: 'source' })
    const builder = result.lazy.find((chunk) =>
      chunk.entryPoint.endsWith('schema-builder/schema-builder-impl.tsx'),
    )
    expect(builder).toBeDefined()
    console.log(
      `@basebox/react SchemaBuilder lazy chunk: ${(builder!.js.gzip / 1000).toFixed(1)} kB gzip (${(builder!.js.bytes / 1000).toFixed(1)} kB minified), outside the budget`,
    )
    for (const part of [
      'schema-builder-impl.tsx',
      'table-form.tsx',
      'ai-panel.tsx',
      'builder-model.ts',
      'schema-builder.styles.ts',
    ]) {
      expect(
        builder!.inputs.some((path) => path.endsWith(part)),
        part,
      ).toBe(true)
      expect(
        result.inputs.some((path) => path.endsWith(part)),
        part,
      ).toBe(false)
    }
    // The diagram's stylesheet (with xyflow's) ships in the diagram's chunk, not in styles.css.
    const diagram = result.lazy.find((chunk) =>
      chunk.entryPoint.endsWith('schema-diagram/schema-diagram-view.tsx'),
    )
    expect(diagram!.inputs.some((path) => path.endsWith('schema-diagram-view.styles.ts'))).toBe(
      true,
    )
    expect(result.inputs.some((path) => path.endsWith('.styles.ts'))).toBe(false)
  })
})

describe('given a host that imports only the TableEditor, not the admin components', () => {
  it('does not download AccessRules, DatabaseOverview, APIKeys, AuthUsers or DataTransfer: each is a lazy chunk with its stylesheet', async () => {
    const result = await measureBundle({ entry: 'source' })
    const chunks = [
      {
        name: 'AccessRules',
        impl: 'access-rules/access-rules-impl.tsx',
        parts: ['access-rules-impl.tsx', 'access-model.ts', 'access-rules.styles.ts'],
        wrapper: 'access-rules/access-rules.tsx',
      },
      {
        name: 'DatabaseOverview',
        impl: 'database-overview/database-overview-impl.tsx',
        parts: ['database-overview-impl.tsx', 'overview-text.ts', 'database-overview.styles.ts'],
        wrapper: 'database-overview/database-overview.tsx',
      },
      {
        name: 'APIKeys',
        impl: 'api-keys/api-keys-impl.tsx',
        parts: ['api-keys-impl.tsx', 'admin-shared.tsx', 'api-keys.styles.ts'],
        wrapper: 'api-keys/api-keys.tsx',
      },
      {
        name: 'AuthUsers',
        impl: 'auth-users/auth-users-impl.tsx',
        parts: ['auth-users-impl.tsx', 'admin-shared.tsx', 'auth-users.styles.ts'],
        wrapper: 'auth-users/auth-users.tsx',
      },
      {
        name: 'DataTransfer',
        impl: 'data-transfer/data-transfer-impl.tsx',
        parts: [
          'data-transfer-impl.tsx',
          'import-panel.tsx',
          'import-report.tsx',
          'transfer-files.ts',
          'data-transfer.styles.ts',
        ],
        wrapper: 'data-transfer/data-transfer.tsx',
      },
    ]
    for (const { name, impl, parts, wrapper } of chunks) {
      const chunk = result.lazy.find((lazy) => lazy.entryPoint.endsWith(impl))
      expect(chunk, name).toBeDefined()
      console.log(
        `@basebox/react ${name} lazy chunk: ${(chunk!.js.gzip / 1000).toFixed(1)} kB gzip (${(chunk!.js.bytes / 1000).toFixed(1)} kB minified), outside the budget`,
      )
      for (const part of parts) {
        expect(
          chunk!.inputs.some((path) => path.endsWith(part)),
          part,
        ).toBe(true)
        expect(
          result.inputs.some((path) => path.endsWith(part)),
          part,
        ).toBe(false)
      }
      // The main entry keeps only the small wrapper.
      expect(
        result.inputs.some((path) => path.endsWith(wrapper)),
        wrapper,
      ).toBe(true)
    }
    // explainRule is shared by the SchemaBuilder's and AccessRules' chunks, never in the main entry.
    expect(result.inputs.some((path) => path.endsWith('explain-rule.ts'))).toBe(false)
  })
})
