/**
 * The Teams app icons: which SVG becomes which PNG, how it is rendered, and the rules Teams sets
 * for each (colour 192×192 full-bleed; outline 32×32, white on transparent).
 */
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';

export interface IconSpec {
  kind: 'color' | 'outline';
  /** Source drawing in `appPackage/`. */
  svg: string;
  /** Rendered file in `appPackage/`, and its name at the root of the zip. */
  png: string;
  size: number;
}

export const ICONS: readonly IconSpec[] = [
  { kind: 'color', svg: 'icon-color.svg', png: 'color.png', size: 192 },
  { kind: 'outline', svg: 'icon-outline.svg', png: 'outline.png', size: 32 },
];

/** Renders an icon's SVG to a PNG of exactly `spec.size` pixels square. */
export function renderIcon(svg: string, spec: IconSpec): Buffer {
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'width', value: spec.size },
    // The drawings use no text; skipping the system font scan keeps rendering fast.
    font: { loadSystemFonts: false },
  }).render();
  if (rendered.width !== spec.size || rendered.height !== spec.size) {
    throw new Error(
      `${spec.svg} rendered at ${rendered.width}×${rendered.height}, expected ${spec.size}×${spec.size}: ` +
        `give the SVG a square viewBox.`,
    );
  }
  const png = rendered.asPng();
  return spec.kind === 'outline' ? whiten(png) : png;
}

/**
 * Forces every visible pixel of an outline icon to pure white. Anti-aliasing leaves edge pixels
 * at 254 or so after un-premultiplying; Teams wants the outline white and nothing else.
 */
function whiten(pngBuffer: Buffer): Buffer {
  const png = PNG.sync.read(pngBuffer);
  for (let i = 0; i < png.data.length; i += 4) {
    const value = png.data[i + 3] === 0 ? 0 : 255;
    png.data[i] = value;
    png.data[i + 1] = value;
    png.data[i + 2] = value;
  }
  return PNG.sync.write(png);
}

/**
 * What is wrong with an icon file against Teams' rules; empty when it is fine.
 * Checked before packaging so a replaced icon cannot slip into the zip at the wrong size.
 */
export function iconProblems(pngBuffer: Buffer, spec: IconSpec): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(pngBuffer);
  } catch (error) {
    return [`${spec.png} is not a readable PNG (${(error as Error).message}); run \`npx tsx scripts/teams-icons.ts\`.`];
  }
  const problems: string[] = [];
  if (png.width !== spec.size || png.height !== spec.size) {
    problems.push(`${spec.png} is ${png.width}×${png.height}; Teams requires ${spec.size}×${spec.size}.`);
  }
  let transparent = 0;
  let notWhite = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const alpha = png.data[i + 3];
    if (alpha === 0) transparent += 1;
    else if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) notWhite += 1;
  }
  const pixels = png.width * png.height;
  if (spec.kind === 'outline') {
    if (notWhite > 0) problems.push(`${spec.png} has ${notWhite} visible pixels that are not white.`);
    if (transparent === 0) problems.push(`${spec.png} has no transparent background.`);
    if (transparent === pixels) problems.push(`${spec.png} is fully transparent.`);
  } else if (transparent > 0) {
    problems.push(`${spec.png} has ${transparent} transparent pixels; the colour icon needs a full-bleed background.`);
  }
  return problems;
}
