/**
 * A seeded generator of malformed and hostile requests to `POST /api/messages`, shared by the
 * hostile-input test and `npm run bench:hostile`. Every request says what a careful server
 * answers: 400 with a reason (malformed), 413 (over the size limit), or a normal turn (odd but
 * valid: strange locales, NUL and lone surrogates, huge texts, path-like ids, …), or 415 for a
 * compressed body (channels never compress; restify's gunzip has no error handler). None of them
 * deserves a 5xx or a dropped connection.
 */
import { gzipSync } from 'node:zlib';

export type Expectation = 'malformed' | 'oversize' | 'unsupported' | 'valid';

export interface HostileRequest {
  category: string;
  /** What the variant does, for failure messages. */
  variant: string;
  expect: Expectation;
  body: string | Buffer;
  headers?: Record<string, string>;
  /** Send without Content-Length (chunked), as a streaming client would. */
  chunked?: boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bodies over this many bytes must be refused with 413 (the bot's limit is 512 KiB). */
export const OVERSIZE_BYTES = 600 * 1024;

/** Ids that would escape a directory if anyone used them as a file name. */
export const PATH_LIKE_IDS = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/tmp/digikysely-escape',
  'C:\\digikysely-escape',
  '%2e%2e%2f%2e%2e%2fescape',
  'a/../../../escape',
  '..',
  '.',
  '.lock',
  'quarantine/../../escape',
  'con',
  'nul:',
  'x\u0000y',
  '~/.ssh/authorized_keys',
  'responses/2026/../../escape',
];

let bomb: Buffer | undefined;
/** 64 MiB of spaces, gzipped to about 64 KiB: inflated without a limit, it fills the memory. */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  return bomb;
}

const ODD_LOCALES = ['', 'xx', 'fi_FI', 'FI-fi', 'zh-Hant-TW', 'sv-FI', 'ar-SA', '../../etc', 'fi-FI-u-ca-buddhist', '\u0000', '🙂', 'en-US\u0000fi', 'x'.repeat(64), 'i-klingon', 'und'];

const WEIRD_TEXTS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'abc\udfffdef',
  '\udc00\ud800',
  '\u202e\u2066kyllä',
  '\ufeffkyllä',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${process.exit()}',
  '%s%s%s%n',
  '\r\n\r\nHTTP/1.1 200 OK',
  ' '.repeat(1000),
  '🙂'.repeat(500),
  'DROP TABLE responses;--',
  '../../../../etc/passwd',
];

interface Context {
  rand: () => number;
  serviceUrl: string;
  n: number;
}

type Maker = (c: Context) => Omit<HostileRequest, 'category'>;

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** A valid message activity from a fresh user in a fresh conversation. */
function valid(c: Context, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `hostile-${c.n}`,
    channelId: 'directline',
    serviceUrl: c.serviceUrl,
    from: { id: `hostile-user-${c.n}`, name: 'Hostile', role: 'user' },
    recipient: { id: 'bot', name: 'Digikysely', role: 'bot' },
    conversation: { id: `hostile-conv-${c.n}` },
    locale: 'fi-FI',
    timestamp: new Date().toISOString(),
    text: 'hei',
    ...extra,
  };
}

const json = (value: unknown) => JSON.stringify(value);
const without = (c: Context, field: string) => {
  const a = valid(c);
  delete a[field];
  return json(a);
};

/** Category → variants; the generator picks a category, then a variant, at random. */
const CATEGORIES: Record<string, Maker[]> = {
  'non-JSON body': [
    (c) => ({ variant: 'truncated JSON', expect: 'malformed', body: json(valid(c)).slice(0, 40) }),
    () => ({ variant: 'plain text', expect: 'malformed', body: 'hello bot' }),
    () => ({ variant: 'XML', expect: 'malformed', body: '<activity><type>message</type></activity>' }),
    () => ({ variant: 'empty body', expect: 'malformed', body: '' }),
    () => ({ variant: 'random bytes', expect: 'malformed', body: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0xc3, 0x28]) }),
    () => ({ variant: 'JSON with a trailing comma', expect: 'malformed', body: '{"type":"message",}' }),
    () => ({ variant: 'text/plain body', expect: 'malformed', body: 'type=message', headers: { 'content-type': 'text/plain' } }),
    () => ({ variant: 'form body', expect: 'malformed', body: 'type=message&text=hei', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    () => ({ variant: 'gzip header, plain body', expect: 'unsupported', body: '{"type":"message"}', headers: { 'content-encoding': 'gzip' } }),
    () => ({ variant: 'a gzip bomb', expect: 'unsupported', body: gzipBomb(), headers: { 'content-encoding': 'gzip' } }),
    () => ({ variant: 'brotli header', expect: 'unsupported', body: '{"type":"message"}', headers: { 'content-encoding': 'br' } }),
    () => ({ variant: 'octet-stream body', expect: 'malformed', body: Buffer.from('{"type":"message"}'), headers: { 'content-type': 'application/octet-stream' } }),
    () => ({ variant: 'multipart body', expect: 'malformed', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' } }),
    () => ({ variant: 'wrong Content-MD5', expect: 'malformed', body: '{"type":"message"}', headers: { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' } }),
    () => ({ variant: 'no content type', expect: 'malformed', body: 'just words', headers: { 'content-type': '' } }),
  ],
  'JSON that is not an activity': [
    () => ({ variant: 'number', expect: 'malformed', body: '42' }),
    () => ({ variant: 'string', expect: 'malformed', body: '"message"' }),
    () => ({ variant: 'null', expect: 'malformed', body: 'null' }),
    () => ({ variant: 'true', expect: 'malformed', body: 'true' }),
    () => ({ variant: 'array', expect: 'malformed', body: '[{"type":"message"}]' }),
    () => ({ variant: 'empty object', expect: 'malformed', body: '{}' }),
    () => ({ variant: '__proto__ only', expect: 'malformed', body: '{"__proto__":{"type":"message","polluted":true}}' }),
  ],
  'missing field': [
    (c) => ({ variant: 'no type', expect: 'malformed', body: without(c, 'type') }),
    (c) => ({ variant: 'no conversation', expect: 'malformed', body: without(c, 'conversation') }),
    (c) => ({ variant: 'no from', expect: 'malformed', body: without(c, 'from') }),
    (c) => ({ variant: 'no serviceUrl', expect: 'malformed', body: without(c, 'serviceUrl') }),
    (c) => ({ variant: 'no channelId', expect: 'malformed', body: without(c, 'channelId') }),
    (c) => ({ variant: 'conversation without id', expect: 'malformed', body: json(valid(c, { conversation: {} })) }),
    (c) => ({ variant: 'from without id', expect: 'malformed', body: json(valid(c, { from: { name: 'x' } })) }),
  ],
  'wrong type': [
    (c) => ({ variant: 'type is a number', expect: 'malformed', body: json(valid(c, { type: 5 })) }),
    (c) => ({ variant: 'conversation is a string', expect: 'malformed', body: json(valid(c, { conversation: 'c1' })) }),
    (c) => ({ variant: 'conversation.id is a number', expect: 'malformed', body: json(valid(c, { conversation: { id: 5 } })) }),
    (c) => ({ variant: 'from is an array', expect: 'malformed', body: json(valid(c, { from: [] })) }),
    (c) => ({ variant: 'serviceUrl is a number', expect: 'malformed', body: json(valid(c, { serviceUrl: 5 })) }),
    (c) => ({ variant: 'serviceUrl is javascript:', expect: 'malformed', body: json(valid(c, { serviceUrl: 'javascript:alert(1)' })) }),
    (c) => ({ variant: 'text is an object', expect: 'malformed', body: json(valid(c, { text: { a: 1 } })) }),
    (c) => ({ variant: 'locale is a number', expect: 'malformed', body: json(valid(c, { locale: 5 })) }),
    (c) => ({ variant: 'attachments is an object', expect: 'malformed', body: json(valid(c, { attachments: {} })) }),
    (c) => ({ variant: 'membersAdded is a string', expect: 'malformed', body: json(valid(c, { type: 'conversationUpdate', membersAdded: 'all' })) }),
    (c) => ({ variant: 'recipient is a string', expect: 'malformed', body: json(valid(c, { recipient: 'bot' })) }),
    (c) => ({ variant: 'channelId is an object', expect: 'malformed', body: json(valid(c, { channelId: { id: 'x' } })) }),
    (c) => ({ variant: 'timestamp is garbage', expect: 'valid', body: json(valid(c, { timestamp: 'not a date', localTimestamp: 12 })) }),
    (c) => ({ variant: 'entities is a string', expect: 'valid', body: json(valid(c, { entities: 'mention' })) }),
    (c) => ({ variant: 'value is an array', expect: 'valid', body: json(valid(c, { value: [1, 2, 3] })) }),
    (c) => ({ variant: 'value names another question', expect: 'valid', body: json(valid(c, { value: { dk: 1, q: '../../x', c: 'constructor' } })) }),
    (c) => ({ variant: 'channelData is a string', expect: 'valid', body: json(valid(c, { channelData: 'x' })) }),
  ],
  'unknown activity type': [
    (c) => ({ variant: 'made-up type', expect: 'malformed', body: json(valid(c, { type: 'hack' })) }),
    (c) => ({ variant: 'MESSAGE in capitals', expect: 'malformed', body: json(valid(c, { type: 'MESSAGE' })) }),
    (c) => ({ variant: 'empty type', expect: 'malformed', body: json(valid(c, { type: '' })) }),
    (c) => ({ variant: 'type __proto__', expect: 'malformed', body: json(valid(c, { type: '__proto__' })) }),
  ],
  'invoke without a name': [
    (c) => ({ variant: 'invoke, no name', expect: 'malformed', body: json(valid(c, { type: 'invoke', text: undefined })) }),
    (c) => ({ variant: 'invoke, empty name', expect: 'malformed', body: json(valid(c, { type: 'invoke', name: '' })) }),
    (c) => ({ variant: 'invoke, numeric name', expect: 'malformed', body: json(valid(c, { type: 'invoke', name: 7 })) }),
  ],
  'odd locale': [(c) => ({ variant: 'odd locale', expect: 'valid', body: json(valid(c, { locale: pick(c.rand, ODD_LOCALES) })) })],
  'NUL and lone surrogates': [
    (c) => ({ variant: 'odd text', expect: 'valid', body: json(valid(c, { text: pick(c.rand, WEIRD_TEXTS) })) }),
    (c) => ({ variant: 'lone surrogate in the name', expect: 'valid', body: json(valid(c, { from: { id: `hostile-user-${c.n}`, name: '\ud800\u0000' } })) }),
    (c) => ({ variant: 'NUL in the user id', expect: 'valid', body: json(valid(c, { from: { id: `u\u0000${c.n}` } })) }),
    (c) => ({ variant: 'NUL in the channel id', expect: 'malformed', body: json(valid(c, { channelId: 'directline\u0000x' })) }),
    (c) => ({ variant: 'lone surrogate in the user id', expect: 'malformed', body: json(valid(c, { from: { id: `u\ud800${c.n}` } })) }),
    (c) => ({ variant: 'lone surrogate in the conversation id', expect: 'malformed', body: json(valid(c, { conversation: { id: `c\udfff${c.n}` } })) }),
  ],
  '100,000-character text': [
    (c) => ({ variant: 'ASCII', expect: 'valid', body: json(valid(c, { text: 'a'.repeat(100_000) })) }),
    (c) => ({ variant: 'Finnish words', expect: 'valid', body: json(valid(c, { text: 'Tietohallinto johtaa digitalisaatiota. '.repeat(2600).slice(0, 100_000) })) }),
    (c) => ({ variant: 'ä', expect: 'valid', body: json(valid(c, { text: 'ä'.repeat(100_000) })) }),
  ],
  'over the size limit': [
    (c) => ({ variant: 'huge text', expect: 'oversize', body: json(valid(c, { text: 'x'.repeat(OVERSIZE_BYTES) })) }),
    () => ({ variant: 'huge non-JSON', expect: 'oversize', body: Buffer.alloc(OVERSIZE_BYTES, 0x41) }),
    (c) => ({ variant: 'huge, chunked', expect: 'oversize', body: json(valid(c, { text: 'y'.repeat(OVERSIZE_BYTES) })), chunked: true }),
  ],
  'path-like ids': [
    (c) => ({ variant: 'conversation id', expect: 'valid', body: json(valid(c, { conversation: { id: pick(c.rand, PATH_LIKE_IDS) } })) }),
    (c) => ({ variant: 'user id', expect: 'valid', body: json(valid(c, { from: { id: pick(c.rand, PATH_LIKE_IDS) } })) }),
    (c) => ({ variant: 'channel id', expect: 'valid', body: json(valid(c, { channelId: pick(c.rand, ['../../x', '..', 'a/b', 'msteams/../../x']) })) }),
  ],
  'other hostile shapes': [
    (c) => ({ variant: 'channelData nested 50 deep', expect: 'valid', body: json(valid(c)).replace('"text":"hei"', `"text":"hei","channelData":${'{"a":'.repeat(50)}1${'}'.repeat(50)}`) }),
    (c) => ({ variant: 'channelData nested 20,000 deep', expect: 'malformed', body: json(valid(c)).replace('"text":"hei"', `"text":"hei","channelData":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) }),
    (c) => ({ variant: '__proto__ and constructor keys', expect: 'valid', body: json(valid(c)).replace('"text":"hei"', '"text":"hei","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}') }),
    (c) => ({ variant: '10,000 members added', expect: 'valid', body: json(valid(c, { type: 'conversationUpdate', membersAdded: Array.from({ length: 10_000 }, (_, i) => ({ id: `m${i}` })) })) }),
    (c) => ({ variant: 'unreachable serviceUrl', expect: 'valid', body: json(valid(c, { serviceUrl: 'http://127.0.0.1:1/' })) }),
    (c) => ({ variant: 'id longer than 1,024 characters', expect: 'malformed', body: json(valid(c, { conversation: { id: 'c'.repeat(5000) } })) }),
    (c) => ({ variant: 'garbage Authorization header', expect: 'valid', body: json(valid(c)), headers: { authorization: 'Bearer not.a.token' } }),
    (c) => ({ variant: 'card submit without text', expect: 'valid', body: json(valid(c, { text: undefined, value: { dk: 1, q: 'consent', c: 'yes' } })) }),
    (c) => ({ variant: 'deleteUserData from a stranger', expect: 'valid', body: json(valid(c, { type: 'deleteUserData' })) }),
  ],
};

/** The category names, in a fixed order (for tables). */
export const CATEGORY_NAMES = Object.keys(CATEGORIES);

/** Big bodies are slow to send and check; these categories come up less often. */
const WEIGHT: Record<string, number> = { '100,000-character text': 0.25, 'over the size limit': 0.25 };

/**
 * `count` requests from `seed`: first every variant of every category once, then variants drawn
 * at random (categories by weight). Valid ones post their replies to `serviceUrl`; ids are unique
 * per request.
 */
export function hostileRequests(count: number, seed: number, serviceUrl: string): HostileRequest[] {
  const rand = seededRandom(seed);
  const all = CATEGORY_NAMES.flatMap((category) => (CATEGORIES[category] as Maker[]).map((maker) => ({ category, maker })));
  const weights = CATEGORY_NAMES.map((n) => WEIGHT[n] ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = (): string => {
    let r = rand() * total;
    for (const [i, name] of CATEGORY_NAMES.entries()) {
      r -= weights[i] as number;
      if (r < 0) return name;
    }
    return CATEGORY_NAMES[CATEGORY_NAMES.length - 1] as string;
  };
  const out: HostileRequest[] = [];
  for (let n = 0; n < count; n++) {
    let chosen = all[n];
    if (chosen === undefined) {
      const category = draw();
      chosen = { category, maker: pick(rand, CATEGORIES[category] as Maker[]) };
    }
    out.push({ category: chosen.category, ...chosen.maker({ rand, serviceUrl, n }) });
  }
  return out;
}
