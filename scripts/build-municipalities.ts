/**
 * Builds `data/municipalities.json` from the reference CSV of Finland's municipalities.
 *
 *   npx tsx scripts/build-municipalities.ts [path/to/municipalities.csv]
 *
 * Default input: `/work/shared/data/municipalities.csv` (env `MUNICIPALITIES_CSV` overrides).
 * The CSV has columns `code,name_fi,name_sv,population_2020,wellbeing_county`. The output is
 * sorted by code and checked: unique codes and names, positive populations, and the count the
 * data's vintage should have (309 in 2021; see `data/municipalities.README.md`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** One municipality as the normaliser stores it. */
export interface MunicipalityRecord {
  /** Statistics Finland's three-digit code. */
  code: string;
  /** Official Finnish name: the value the survey records. */
  name: string;
  /** Official Swedish name (same as `name` where there is only one). */
  nameSv: string;
  population: number;
  /** Wellbeing services county code; empty for Åland, which has none. */
  county: string;
}

/** The municipality count the 2021 reference data must have (Honkajoki joined Kankaanpää in 2021). */
export const EXPECTED_COUNT = 309;

/** Parses and checks the CSV text; throws a message that says which row is wrong. */
export function parseMunicipalitiesCsv(csv: string): MunicipalityRecord[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const records = rows.map((row, i) => {
    const line = i + 2;
    const code = row.code ?? '';
    const name = row.name_fi ?? '';
    const population = Number(row.population_2020);
    if (!/^\d{3}$/.test(code)) throw new Error(`municipalities.csv line ${line}: code "${code}" is not three digits`);
    if (!name) throw new Error(`municipalities.csv line ${line}: name_fi is empty`);
    if (!Number.isInteger(population) || population <= 0) {
      throw new Error(`municipalities.csv line ${line}: population_2020 "${row.population_2020}" is not a positive integer`);
    }
    return { code, name, nameSv: row.name_sv || name, population, county: row.wellbeing_county ?? '' };
  });
  for (const key of ['code', 'name'] as const) {
    const seen = new Set<string>();
    for (const r of records) {
      if (seen.has(r[key])) throw new Error(`municipalities.csv: ${key} "${r[key]}" appears twice`);
      seen.add(r[key]);
    }
  }
  return records.sort((a, b) => a.code.localeCompare(b.code));
}

function main(): void {
  const input = process.argv[2] ?? process.env.MUNICIPALITIES_CSV ?? '/work/shared/data/municipalities.csv';
  const output = fileURLToPath(new URL('../data/municipalities.json', import.meta.url));
  const records = parseMunicipalitiesCsv(readFileSync(input, 'utf8'));
  if (records.length !== EXPECTED_COUNT) {
    // Not fatal: a newer CSV after a merger has fewer rows. Say so, so the README gets updated.
    console.error(`Note: ${records.length} municipalities, expected ${EXPECTED_COUNT} for 2021; update data/municipalities.README.md.`);
  }
  const body = {
    source: 'Yle open geodata (Yleisradio/geodata, finland-hva-2021), via /work/shared/data/municipalities.csv',
    vintage: 2021,
    populationDate: '2020-12-31',
    count: records.length,
    municipalities: records,
  };
  // One municipality per line: readable diffs when the reference data changes.
  const head = JSON.stringify({ ...body, municipalities: [] }, null, 2).replace(/\[\]\n}$/, '[');
  const lines = records.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  writeFileSync(output, `${head}\n${lines}\n  ]\n}\n`);
  console.error(`Wrote ${records.length} municipalities to ${output}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
