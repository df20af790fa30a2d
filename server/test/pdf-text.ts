import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF as pdfkit writes it, one line per text object, enough for tests to read
 * back what a report prints: objects and their streams (inflated), each embedded font's
 * ToUnicode map, and the hex strings of the TJ operators decoded through the font set by Tf.
 */
export function pdfText(pdf: Buffer): string[] {
  const src = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: Buffer | null }>();
  const objRe = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = objRe.exec(src); m; m = objRe.exec(src)) {
    const body = m[2]!;
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(m[1]!, { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const start = m.index + m[0].indexOf(body) + s + 'stream'.length + (body[s + 6] === '\r' ? 2 : 1);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? 0);
    const raw = pdf.subarray(start, start + length);
    objects.set(m[1]!, { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  // Resource name (F1…) → font object → ToUnicode map.
  const cmaps = new Map<string, Map<number, string>>();
  for (const { dict } of objects.values()) {
    for (const f of dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      if (cmaps.has(f[1]!)) continue;
      const font = objects.get(f[2]!);
      const toUnicode = font && /\/ToUnicode (\d+) 0 R/.exec(font.dict)?.[1];
      const cmap = toUnicode ? objects.get(toUnicode)?.stream?.toString('latin1') : undefined;
      if (!cmap) continue;
      const map = new Map<number, string>();
      for (const r of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
        const first = parseInt(r[1]!, 16);
        [...r[3]!.matchAll(/<([0-9a-f ]+)>/gi)].forEach((u, i) => map.set(first + i, String.fromCharCode(...u[1]!.split(' ').map((h) => parseInt(h, 16)))));
      }
      cmaps.set(f[1]!, map);
    }
  }
  const lines: string[] = [];
  for (const { dict, stream } of objects.values()) {
    if (!stream || /\/(Length1|Subtype|Type \/XObject)/.test(dict) || cmaps.size === 0) continue;
    const content = stream.toString('latin1');
    if (!/\bBT\b/.test(content)) continue;
    let font: Map<number, string> | undefined;
    for (const block of content.split(/\bBT\b/).slice(1)) {
      let line = '';
      const tokenRe = /\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g;
      for (let t = tokenRe.exec(block); t; t = tokenRe.exec(block)) {
        if (t[1]) font = cmaps.get(t[1]);
        else for (const h of t[2]!.matchAll(/<([0-9a-f]*)>/gi)) for (let i = 0; i < h[1]!.length; i += 4) line += font?.get(parseInt(h[1]!.slice(i, i + 4), 16)) ?? '';
      }
      lines.push(line);
    }
  }
  return lines;
}
