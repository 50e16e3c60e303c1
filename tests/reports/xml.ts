/**
 * A strict-enough XML well-formedness check for SVG output (no XML parser is a dependency):
 * every tag closes in order, attributes are quoted and unique, every `<` and `&` is markup or a
 * valid reference, and there is one root element. Returns the problem, or undefined.
 */
export function xmlProblem(xml: string): string | undefined {
  let text = xml.replace(/^\uFEFF/, '').replace(/^<\?xml[^?]*\?>/, '');
  text = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    const badRef = chunk.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
    if (badRef) return `bare "&" in text near ${JSON.stringify(chunk.slice(Math.max(0, badRef.index! - 20), badRef.index! + 20))}`;
    if (stack.length === 0 && chunk.trim() !== '') return `text outside the root element: ${JSON.stringify(chunk.trim().slice(0, 40))}`;
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(text);
    if (!m) return `malformed tag at ${lt}: ${JSON.stringify(text.slice(lt, lt + 60))}`;
    const [, closing, name, attrs, selfClosing] = m;
    const names = [...attrs!.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) return `repeated attribute in <${name}>`;
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attrs!)) return `bare "&" in an attribute of <${name}>`;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`;
    } else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name!);
    } else if (stack.length === 0) {
      roots += 1;
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) return `unclosed <${stack.join('> <')}>`;
  if (roots !== 1) return `${roots} root elements`;
  return undefined;
}

/** The text content of every <text> element, with entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => decodeEntities(m[1]!.replace(/<[^>]+>/g, '')));
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
