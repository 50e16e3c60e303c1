/** A minimal Direct Line 3.0 client for the protocol tests (what botframework-directlinejs does). */
export interface TokenBody {
  token: string;
  conversationId: string;
  expires_in: number;
  domain: string;
}

export interface ActivitySet {
  activities: Array<Record<string, unknown> & { id: string; type: string; text?: string; from: { id: string; role?: string } }>;
  watermark: string;
}

export async function getToken(origin: string, cookie?: string): Promise<{ body: TokenBody; setCookie: string | null; status: number }> {
  const res = await fetch(`${origin}/api/directline/token`, { method: 'POST', headers: cookie ? { Cookie: cookie } : {} });
  return { body: (await res.json()) as TokenBody, setCookie: res.headers.get('set-cookie'), status: res.status };
}

export function dl(domain: string, token: string) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return {
    start: (body: unknown = {}) => fetch(`${domain}/conversations`, { method: 'POST', headers, body: JSON.stringify(body) }),
    reconnect: (id: string) => fetch(`${domain}/conversations/${id}?watermark=`, { headers }),
    post: (id: string, activity: unknown) => fetch(`${domain}/conversations/${id}/activities`, { method: 'POST', headers, body: JSON.stringify(activity) }),
    get: (id: string, watermark?: string) =>
      fetch(`${domain}/conversations/${id}/activities${watermark === undefined ? '' : `?watermark=${encodeURIComponent(watermark)}`}`, { headers }),
    refresh: () => fetch(`${domain}/tokens/refresh`, { method: 'POST', headers }),
  };
}

/** Polls GET activities (as Web Chat does) until `until` holds for the set, or fails after `timeoutMs`. */
export async function pollUntil(
  domain: string,
  token: string,
  conversationId: string,
  until: (set: ActivitySet) => boolean,
  watermark?: string,
  timeoutMs = 5000,
): Promise<ActivitySet> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await dl(domain, token).get(conversationId, watermark);
    if (res.status !== 200) throw new Error(`GET activities: HTTP ${res.status} ${await res.text()}`);
    const set = (await res.json()) as ActivitySet;
    if (until(set)) return set;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last set: ${JSON.stringify(set)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The JSON payload of a JWT-shaped token (no verification). */
export function tokenClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
