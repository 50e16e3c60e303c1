/**
 * CSV for Excel: UTF-8 with a byte-order mark (so Excel shows ä and ö), CRLF line ends, and
 * every text cell that Excel would read as a formula neutralised with a leading apostrophe.
 */
import { stringify } from 'csv-stringify/sync';

/** Cell starts Excel (and LibreOffice, Google Sheets) treat as a formula or a DDE call. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * `=HYPERLINK(...)` → `'=HYPERLINK(...)`: respondents' text must never run in a spreadsheet.
 * Only text is changed; numbers go out as numbers (a negative change is data, not a formula).
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvValue = string | number | boolean | null | undefined;

/** Separators the CSV outputs accept: `,` (default) or `;` (what Excel in a Finnish locale expects). */
export type CsvDelimiter = ',' | ';';

/** Parses a user-supplied delimiter ("," ";" "comma" "semicolon"); undefined when not one of them. */
export function parseDelimiter(text: string | undefined): CsvDelimiter | undefined {
  if (text === undefined || text === ',' || text === 'comma') return ',';
  if (text === ';' || text === 'semicolon') return ';';
  return undefined;
}

/** Rows (the first is the header) as CSV text with a BOM. null/undefined become empty cells. */
export function toCsvText(rows: readonly (readonly CsvValue[])[], delimiter: CsvDelimiter = ','): string {
  const safe = rows.map((row) =>
    row.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? neutraliseCell(v) : String(v))),
  );
  return stringify(safe, { bom: true, delimiter, record_delimiter: 'windows' });
}
