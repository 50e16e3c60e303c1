/** Number formats of reports: Finnish uses a decimal comma; both write "57 %" with a space. */
import type { Lang } from '../core/types.js';

function decimal(value: number, digits: number, lang: Lang): string {
  // Avoid "-0.0" for tiny negative changes.
  const fixed = (Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value).toFixed(digits);
  return lang === 'fi' ? fixed.replace('.', ',') : fixed;
}

/** A share 0..1 as a percentage: `0.5714` → "57.1 %" (en) / "57,1 %" (fi). */
export function formatShare(share: number, lang: Lang, digits = 1): string {
  return `${decimal(share * 100, digits, lang)} %`;
}

/** A change in percentage points with its sign: "+2.3", "-15.5", "0.0". */
export function formatChange(pp: number, lang: Lang, digits = 1): string {
  const text = decimal(pp, digits, lang);
  return pp > 0 && !/^0[.,]0*$/.test(text) ? `+${text}` : text;
}

/** Rounds for machine-readable output (CSV): fixed decimals, dot, no sign padding. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
