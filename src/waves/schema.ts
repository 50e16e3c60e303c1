/**
 * JSON schemas of `data/waves.json` (the tracked definition) and of the staff overlay
 * `${DATA_DIR}/waves.json`, with validators that name the file and the bad field.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Wave } from './types.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const waveId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;
const date = { type: ['string', 'null'], format: 'date' } as const;
const title = {
  type: 'object',
  required: ['fi', 'en'],
  additionalProperties: false,
  properties: {
    fi: { type: 'string', minLength: 1, maxLength: 200 },
    en: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;
const fieldwork = {
  type: 'object',
  additionalProperties: false,
  properties: { start: date, end: date },
} as const;
const countMap = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;
const shareMap = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } } as const;
const published = {
  type: 'object',
  required: ['questions'],
  additionalProperties: false,
  properties: {
    n: { type: 'integer', minimum: 0 },
    questions: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { n: { type: 'integer', minimum: 0 }, counts: countMap, shares: shareMap },
      },
    },
  },
} as const;

const waveProperties = {
  id: waveId,
  title,
  fieldwork,
  questionnaireVersion: { type: 'integer', minimum: 1 },
  status: { enum: ['open', 'closed'] },
  kind: { enum: ['baseline', 'collected'] },
  source: { type: 'string' },
  published,
} as const;

const baseSchema = {
  type: 'object',
  required: ['waves'],
  properties: {
    waves: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'fieldwork', 'questionnaireVersion', 'status', 'kind'],
        additionalProperties: false,
        properties: waveProperties,
      },
    },
  },
} as const;

/** A staff change to one wave: every field but the id optional (a new wave needs them all). */
export interface WaveOverride {
  id: string;
  title?: Partial<Wave['title']>;
  fieldwork?: Partial<Wave['fieldwork']>;
  questionnaireVersion?: number;
  kind?: Wave['kind'];
}

/** The overlay file: which wave is open (absent = as in data/waves.json) and per-wave changes. */
export interface WaveOverlay {
  version: 1;
  open?: string | null;
  waves: WaveOverride[];
  updatedAt?: string;
}

const overlaySchema = {
  type: 'object',
  required: ['version', 'waves'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    open: { anyOf: [waveId, { type: 'null' }] },
    updatedAt: { type: 'string' },
    waves: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: {
          id: waveId,
          title: { ...title, required: [] },
          fieldwork,
          questionnaireVersion: waveProperties.questionnaireVersion,
          kind: waveProperties.kind,
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['date']);
const validateBase = ajv.compile(baseSchema) as ValidateFunction<{ waves: Wave[] }>;
const validateOverlay = ajv.compile(overlaySchema) as ValidateFunction<WaveOverlay>;

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** Raised when a waves file is unreadable or breaks the rules; names the file and the fix. */
export class WaveFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'WaveFileError';
  }
}

/** Checks the parsed content of `data/waves.json`. */
export function parseBaseFile(file: string, data: unknown): Wave[] {
  if (!validateBase(data)) {
    throw new WaveFileError(file, `does not match the waves schema: ${describe(validateBase.errors)}. Fix the file by hand (it is tracked by git: \`git diff ${file}\` shows recent edits).`);
  }
  return data.waves;
}

/** Checks the parsed content of the overlay `${DATA_DIR}/waves.json`. */
export function parseOverlayFile(file: string, data: unknown): WaveOverlay {
  if (!validateOverlay(data)) {
    throw new WaveFileError(file, `does not match the wave overlay schema: ${describe(validateOverlay.errors)}. Fix it by hand, or move it aside to fall back to data/waves.json.`);
  }
  return data;
}
