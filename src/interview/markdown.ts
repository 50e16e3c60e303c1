/**
 * The little Markdown the bot writes: its own text with every special character backslash-escaped
 * (so it shows exactly as written) and links. Only the greeting is Markdown (so the privacy page
 * is a link people can click); respondents' words are never sent as Markdown. `plainText` is the
 * inverse, for places that show a bot message as plain text (the staff transcript).
 */

const SPECIAL = /[\\`*_{}[\]()#+\-.!<>|~]/g;

/** Backslash-escapes Markdown's special characters, so text shows exactly as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, '\\$&');
}

/** Percent-encodings of what would end a Markdown link's address (encodeURIComponent keeps parentheses). */
const LINK_UNSAFE: Record<string, string> = { '(': '%28', ')': '%29', '<': '%3C', '>': '%3E' };

/** `[url](url)` with the characters that would end the link escaped. */
export function markdownLink(url: string): string {
  return `[${escapeMarkdown(url)}](${url.replace(/[()\s<>]/g, (c) => LINK_UNSAFE[c] ?? encodeURIComponent(c))})`;
}

const unescape = (text: string): string => text.replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');

/**
 * A message written with `escapeMarkdown` and `markdownLink` as the reader saw it: escapes
 * removed, a link as its text ("label (address)" when the two differ).
 */
export function plainText(markdown: string): string {
  // A link's label may contain escaped brackets; its address has none left (markdownLink).
  const withLinks = markdown.replace(/\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g, (_m, label: string, url: string) => {
    const text = unescape(label);
    let address = url;
    try {
      address = decodeURIComponent(url);
    } catch {
      // Not percent-encoded by us: shown as it is.
    }
    return text === address ? `\u0000${text}\u0001` : `\u0000${text} (${address})\u0001`;
  });
  // Unescape outside the links only (their text is already plain), then drop the markers.
  return withLinks
    .split(/(\u0000[^\u0001]*\u0001)/)
    .map((part) => (part.startsWith('\u0000') ? part.slice(1, -1) : unescape(part)))
    .join('');
}
