/**
 * Regenerates `appPackage/color.png` and `appPackage/outline.png` from their SVGs.
 * Usage: `npx tsx scripts/teams-icons.ts` (commit the PNGs afterwards).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ICONS, iconProblems, renderIcon } from './teams/icons.js';

const appPackageDir = fileURLToPath(new URL('../appPackage/', import.meta.url));

for (const spec of ICONS) {
  const svg = await readFile(appPackageDir + spec.svg, 'utf8');
  const png = renderIcon(svg, spec);
  const problems = iconProblems(png, spec);
  if (problems.length > 0) {
    console.error(`${spec.svg} does not make a valid Teams icon:\n- ${problems.join('\n- ')}`);
    process.exitCode = 1;
    continue;
  }
  await writeFile(appPackageDir + spec.png, png);
  console.log(`${spec.png}: ${spec.size}×${spec.size}, ${png.length} bytes`);
}
