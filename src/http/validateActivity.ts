/**
 * Checks that a request body is a Bot Framework activity our bot can take, before botbuilder
 * sees it. botbuilder answers 500 (or throws) for several malformed bodies; we answer 400 with
 * the reason instead, and never let a malformed activity near the dialogs or storage.
 */

export type ActivityCheck = { ok: true } | { ok: false; reason: string };

const MAX_ID = 1024;
/**
 * Real activities nest a dozen levels at most (an Adaptive Card in an attachment); a body nested
 * thousands deep parses fine but overflows the stack wherever it is copied with JSON.stringify.
 */
const MAX_DEPTH = 64;
const KNOWN_TYPES = new Set([
  'message',
  'conversationUpdate',
  'installationUpdate',
  'contactRelationUpdate',
  'typing',
  'endOfConversation',
  'event',
  'invoke',
  'deleteUserData',
  'messageUpdate',
  'messageDelete',
  'messageReaction',
  'suggestion',
  'trace',
  'handoff',
  'command',
  'commandResult',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A lone surrogate (half of a UTF-16 pair) cannot be encoded as UTF-8: digesting the id would
 * replace it with U+FFFD, so two different ids would share one state or response file.
 */
const LONE_SURROGATE = /\p{Cs}/u;

function idOf(value: unknown, field: string): string | undefined {
  if (!isObject(value)) return `${field} must be an object with an id`;
  const id = value.id;
  if (typeof id !== 'string' || id.length === 0) return `${field}.id must be a non-empty string`;
  if (id.length > MAX_ID) return `${field}.id is longer than ${MAX_ID} characters`;
  if (LONE_SURROGATE.test(id)) return `${field}.id must be well-formed Unicode (it contains a lone surrogate)`;
  return undefined;
}

/** True when objects and arrays in `value` nest deeper than `limit` (walked without recursion). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Validates an incoming activity body. */
export function validateActivity(body: unknown): ActivityCheck {
  if (!isObject(body)) return { ok: false, reason: 'The body must be a JSON object (a Bot Framework activity).' };
  const { type, channelId, serviceUrl, text, locale } = body;
  if (typeof type !== 'string' || !type) return { ok: false, reason: 'activity.type must be a non-empty string.' };
  if (!KNOWN_TYPES.has(type)) return { ok: false, reason: `activity.type "${type.slice(0, 40)}" is not a Bot Framework activity type.` };
  // Printable ASCII only: storage keys join the channel id to other ids with NUL as separator.
  if (typeof channelId !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(channelId)) {
    return { ok: false, reason: 'activity.channelId must be 1 to 64 printable ASCII characters (e.g. "msteams").' };
  }
  if (typeof serviceUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(serviceUrl)) {
    return { ok: false, reason: 'activity.serviceUrl must be an http(s) URL.' };
  }
  for (const field of ['conversation', 'from'] as const) {
    const problem = idOf(body[field], `activity.${field}`);
    if (problem) return { ok: false, reason: `${problem}.` };
  }
  if (body.recipient !== undefined) {
    const problem = idOf(body.recipient, 'activity.recipient');
    if (problem) return { ok: false, reason: `${problem}.` };
  }
  if (text !== undefined && text !== null && typeof text !== 'string') return { ok: false, reason: 'activity.text must be a string.' };
  if (locale !== undefined && locale !== null && (typeof locale !== 'string' || locale.length > 64)) {
    return { ok: false, reason: 'activity.locale must be a string of at most 64 characters.' };
  }
  if (type === 'invoke' && (typeof body.name !== 'string' || !body.name)) {
    return { ok: false, reason: 'An invoke activity needs a name.' };
  }
  if (body.attachments !== undefined && !Array.isArray(body.attachments)) {
    return { ok: false, reason: 'activity.attachments must be an array.' };
  }
  if (body.membersAdded !== undefined && !Array.isArray(body.membersAdded)) {
    return { ok: false, reason: 'activity.membersAdded must be an array.' };
  }
  if (nestsDeeperThan(body, MAX_DEPTH)) return { ok: false, reason: `The activity nests objects more than ${MAX_DEPTH} levels deep.` };
  return { ok: true };
}
