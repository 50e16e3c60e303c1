/**
 * Fills `${{NAME}}` placeholders (the Teams Toolkit convention) inside a parsed JSON template.
 * Values are substituted into strings after parsing, so a value with quotes or backslashes can
 * never break the JSON.
 */

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Thrown when a template names a placeholder that has no value. */
export class TemplateError extends Error {}

/**
 * Returns a copy of `template` with every `${{NAME}}` in its string values (and keys) replaced
 * by `values[NAME]`. Throws a `TemplateError` listing every unknown placeholder at once.
 */
export function fillTemplate<T>(template: T, values: Readonly<Record<string, string>>, source: string): T {
  const unknown = new Set<string>();
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (match, name: string) => {
      if (Object.hasOwn(values, name)) return values[name];
      unknown.add(name);
      return match;
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [fill(key), walk(value)]));
    }
    return node;
  };
  const filled = walk(template) as T;
  if (unknown.size > 0) {
    throw new TemplateError(
      `${source} uses placeholders with no value: ${[...unknown].map((n) => `\${{${n}}}`).join(', ')}. ` +
        `Known placeholders: ${Object.keys(values).join(', ')}.`,
    );
  }
  return filled;
}
