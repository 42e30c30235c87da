// Export of the diagram as an image: the xyflow viewport (SVG edges and HTML table nodes) drawn
// by html-to-image into an SVG (the nodes in a foreignObject) or a PNG, at zoom 1 around every
// table. Nothing is loaded from the network (web fonts are skipped; the system fonts are used).
import { toPng, toSvg } from 'html-to-image'

/** The image formats the diagram exports. */
export type SchemaDiagramImageFormat = 'png' | 'svg'

/** An exported image of the diagram. */
export interface SchemaDiagramExport {
  format: SchemaDiagramImageFormat
  /** `image/png` or `image/svg+xml`. */
  blob: Blob
  /** The name the download gets, e.g. `schema.png`. */
  fileName: string
}

/** The area to draw, in flow coordinates (the bounds of every table). @internal */
export interface ExportBounds {
  x: number
  y: number
  width: number
  height: number
}

const PADDING = 24

function dataURLToBlob(dataURL: string, type: string): Blob {
  const comma = dataURL.indexOf(',')
  const header = dataURL.slice(0, comma)
  const body = dataURL.slice(comma + 1)
  if (header.endsWith(';base64')) {
    const binary = atob(body)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return new Blob([bytes], { type })
  }
  return new Blob([decodeURIComponent(body)], { type })
}

/**
 * Draws `viewport` (the `.react-flow__viewport` element) around `bounds` as a PNG or SVG, on
 * `background`. @internal
 */
export async function renderDiagramImage(
  viewport: HTMLElement,
  bounds: ExportBounds,
  format: SchemaDiagramImageFormat,
  background: string,
): Promise<Blob> {
  const width = Math.ceil(bounds.width + PADDING * 2)
  const height = Math.ceil(bounds.height + PADDING * 2)
  const options = {
    width,
    height,
    backgroundColor: background,
    skipFonts: true,
    pixelRatio: 1,
    style: {
      width: `${width}px`,
      height: `${height}px`,
      transform: `translate(${PADDING - bounds.x}px, ${PADDING - bounds.y}px) scale(1)`,
    },
  }
  if (format === 'png') return dataURLToBlob(await toPng(viewport, options), 'image/png')
  return dataURLToBlob(await toSvg(viewport, options), 'image/svg+xml')
}

/** Starts a download of `file` in the browser. @internal */
export function downloadFile(file: SchemaDiagramExport): void {
  const url = URL.createObjectURL(file.blob)
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the click; the URL is no longer needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
