// A minimal XML element tree with an escaping serializer and a small parser; no libvirt knowledge here.

/** One XML element: name, attributes in insertion order, children and text content. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text?: string;
}

/** Builds an element; undefined attribute values are left out, so callers can pass optional fields. */
export function el(
  name: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
  children: (XmlElement | undefined | false)[] = [],
  text?: string | number,
): XmlElement {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = String(v);
  const e: XmlElement = { name, attrs: a, children: children.filter((c): c is XmlElement => !!c) };
  if (text !== undefined) e.text = String(text);
  return e;
}

/** Escapes text for use in element content and attribute values (quotes included). */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Serialises an element tree with two-space indentation and a trailing newline. */
export function toXmlString(root: XmlElement): string {
  const out: string[] = [];
  const walk = (e: XmlElement, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(e.attrs)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (e.children.length === 0 && (e.text === undefined || e.text === '')) {
      out.push(`${pad}<${e.name}${attrs}/>`);
    } else if (e.children.length === 0) {
      out.push(`${pad}<${e.name}${attrs}>${escapeXml(e.text ?? '')}</${e.name}>`);
    } else {
      out.push(`${pad}<${e.name}${attrs}>`);
      for (const c of e.children) walk(c, depth + 1);
      out.push(`${pad}</${e.name}>`);
    }
  };
  walk(root, 0);
  return out.join('\n') + '\n';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, ent: string) => {
    if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
    return ENTITIES[ent] ?? m;
  });
}

/** Parses an XML document into its root element; comments, declarations and CDATA-free text only. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (msg: string): never => {
    throw new Error(`bad XML at offset ${i}: ${msg}`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    const text = xml.slice(i, textEnd);
    const top = stack[stack.length - 1];
    if (top && text.trim() !== '') top.text = (top.text ?? '') + unescape(text);
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end === -1) fail('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) {
      const end = xml.indexOf('>', i);
      if (end === -1) fail('unterminated declaration');
      i = end + 1;
    } else if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`unexpected </${name}>`);
      if (open && open.text !== undefined) open.text = open.text.trim();
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        xml.slice(i),
      );
      if (!m) return fail('bad tag');
      const attrs: Record<string, string> = {};
      for (const a of (m[2] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[a[1] as string] = unescape(a[2] ?? a[3] ?? '');
      }
      const e: XmlElement = { name: m[1] as string, attrs, children: [] };
      if (top) top.children.push(e);
      else if (!root) root = e;
      else fail('two root elements');
      if (m[3] !== '/') stack.push(e);
      i += m[0].length;
    }
  }
  if (stack.length > 0 || !root) return fail('unterminated document');
  return root;
}

/** The first child named `name`, if any. */
export function child(e: XmlElement | undefined, name: string): XmlElement | undefined {
  return e?.children.find((c) => c.name === name);
}

/** All children named `name`. */
export function children(e: XmlElement | undefined, name: string): XmlElement[] {
  return e ? e.children.filter((c) => c.name === name) : [];
}

/** The text of the first child named `name`, if any. */
export function childText(e: XmlElement | undefined, name: string): string | undefined {
  return child(e, name)?.text;
}
