/**
 * Fonts of a document: measuring and encoding text with a parsed TrueType font, then embedding only
 * the glyphs used as a CIDFontType2 with Identity-H encoding, /W widths and a ToUnicode map, which is
 * what PDF/A-3 asks (every font embedded, text extractable). Glyphs are renumbered 0…n−1 in order of
 * first use, so the subset, its widths and its ToUnicode map stay small and the output deterministic.
 */
import { createHash } from 'node:crypto';
import { deflate, type PdfWriter, pdfName, ref } from './pdf-objects.ts';
import { loadTrueType, type TrueTypeFont } from './truetype.ts';

/** Where the invoice fonts come from: Debian's fonts-dejavu-core (see ADR 0030). */
export const FONT_FILES = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

/** The font styles a layout can ask for. */
export type FontStyle = keyof typeof FONT_FILES;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** One font as used by one document: the glyphs it needs so far, renumbered. */
export class FontUse {
  readonly font: TrueTypeFont;
  /** Original glyph id → id in the subset. */
  private readonly ids = new Map<number, number>([[0, 0]]);
  /** Original glyph ids in subset order; index 0 is .notdef. */
  private readonly order: number[] = [0];
  /** Subset glyph id → the text it stands for. */
  private readonly unicode: string[] = [''];
  private readonly scale: number;

  constructor(font: TrueTypeFont) {
    this.font = font;
    this.scale = 1 / font.unitsPerEm;
  }

  /** Width of `text` at `size` points (no kerning, as the text is written). */
  width(text: string, size: number): number {
    const { cmap, advances } = this.font;
    let units = 0;
    for (const ch of text) units += advances[cmap.get(ch.codePointAt(0) ?? 0) ?? 0] ?? 0;
    return units * this.scale * size;
  }

  /** The text as a hex string of subset glyph ids, recording every glyph it uses. */
  encode(text: string): string {
    let hex = '';
    for (const ch of text) {
      const gid = this.font.cmap.get(ch.codePointAt(0) ?? 0) ?? 0;
      let id = this.ids.get(gid);
      if (id === undefined) {
        id = this.order.length;
        this.ids.set(gid, id);
        this.order.push(gid);
        this.unicode.push(ch);
      }
      hex += HEX[id >> 8] + (HEX[id & 0xff] as string);
    }
    return hex;
  }

  /** Writes the font objects (Type0 → CIDFontType2 → descriptor, font file, ToUnicode) and returns the Type0. */
  write(pdf: PdfWriter): number {
    const { font } = this;
    const textGlyphs = this.order.length;
    // Composite glyphs (accented letters) refer to other glyphs, which must come along.
    for (let i = 0; i < this.order.length; i++) {
      for (const c of font.glyph(this.order[i] as number).components) {
        if (!this.ids.has(c.gid)) {
          this.ids.set(c.gid, this.order.length);
          this.order.push(c.gid);
        }
      }
    }
    const digest = createHash('sha256').update(Uint16Array.from(this.order)).digest();
    const tag = subsetTag(digest);
    const name = pdfName(`${tag}+${font.postScriptName}`);
    const k = 1000 / font.unitsPerEm;
    const s = (v: number) => Math.round(v * k);
    const fontFile = pdf.putPrecompressed(pdf.alloc(), '', this.deflatedSubset(digest));
    const [x0, y0, x1, y1] = font.bbox;
    const descriptor = pdf.add(
      `<< /Type /FontDescriptor /FontName ${name} /Flags 32 /FontBBox [${s(x0)} ${s(y0)} ${s(x1)} ${s(y1)}] ` +
        `/ItalicAngle ${font.italicAngle} /Ascent ${s(font.ascent)} /Descent ${s(font.descent)} ` +
        `/CapHeight ${s(font.capHeight)} /StemV 80 /FontFile2 ${ref(fontFile)} >>`,
    );
    const widths = this.order.map((gid) => s(font.advances[gid] ?? 0)).join(' ');
    const cid = pdf.add(
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont ${name} ` +
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ' +
        `/FontDescriptor ${ref(descriptor)} /DW 1000 /W [0 [${widths}]] /CIDToGIDMap /Identity >>`,
    );
    // A kilobyte or two: compressing it would cost more time than it saves space.
    const toUnicode = pdf.addStream('', toUnicodeCMap(this.unicode.slice(0, textGlyphs)));
    return pdf.add(
      `<< /Type /Font /Subtype /Type0 /BaseFont ${name} /Encoding /Identity-H ` +
        `/DescendantFonts [${ref(cid)}] /ToUnicode ${ref(toUnicode)} >>`,
    );
  }

  // The subset is a function of the font and the glyph order alone, and invoices of one business
  // mostly use the same glyphs in the same order: build and deflate each subset once per process.
  private deflatedSubset(digest: Buffer): Buffer {
    const key = `${this.font.postScriptName}:${digest.toString('base64')}`;
    let data = subsets.get(key);
    if (!data) {
      data = deflate(buildSubset(this.font, this.order, this.ids));
      if (subsets.size >= MAX_SUBSETS) subsets.delete(subsets.keys().next().value as string);
      subsets.set(key, data);
    }
    return data;
  }
}

const subsets = new Map<string, Buffer>();
const MAX_SUBSETS = 512;

/** The fonts of one document, loaded from the process-wide cache. */
export function documentFonts(): Record<FontStyle, FontUse> {
  return {
    regular: new FontUse(loadTrueType(FONT_FILES.regular)),
    bold: new FontUse(loadTrueType(FONT_FILES.bold)),
  };
}

// Six capital letters that name the subset (ISO 32000-1 §9.6.4), from the glyphs it holds.
function subsetTag(digest: Buffer): string {
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + ((digest[i] as number) % 26));
  return tag;
}

function toUnicodeCMap(unicode: string[]): Buffer {
  const lines = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
  ];
  const entries: string[] = [];
  unicode.forEach((text, id) => {
    if (id === 0) return;
    const hex = Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();
    entries.push(`<${id.toString(16).padStart(4, '0').toUpperCase()}> <${hex}>`);
  });
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`, ...chunk, 'endbfchar');
  }
  lines.push('endcmap CMapName currentdict /CMap defineresource pop end end');
  return Buffer.from(lines.join('\n'), 'latin1');
}

function checksum(b: Buffer): number {
  let sum = 0;
  const padded = b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** A TrueType file with only `order`'s glyphs, renumbered by `ids`, without hinting. */
export function buildSubset(font: TrueTypeFont, order: number[], ids: Map<number, number>): Buffer {
  const n = order.length;
  const glyphs: Buffer[] = [];
  const loca = Buffer.alloc((n + 1) * 4);
  const hmtx = Buffer.alloc(n * 4);
  let at = 0;
  order.forEach((gid, i) => {
    const g = font.glyph(gid);
    let bytes = g.bytes;
    if (g.components.length > 0) {
      bytes = Buffer.from(bytes);
      for (const c of g.components) bytes.writeUInt16BE(ids.get(c.gid) ?? 0, c.offset);
    }
    loca.writeUInt32BE(at, i * 4);
    glyphs.push(bytes);
    at += bytes.length;
    if (bytes.length % 4 !== 0) {
      glyphs.push(Buffer.alloc(4 - (bytes.length % 4)));
      at += 4 - (bytes.length % 4);
    }
    hmtx.writeUInt16BE(font.advances[gid] ?? 0, i * 4);
    hmtx.writeInt16BE(font.lsbs[gid] ?? 0, i * 4 + 2);
  });
  loca.writeUInt32BE(at, n * 4);
  const head = Buffer.from(font.head);
  head.writeUInt32BE(0, 8);
  head.writeInt16BE(1, 50);
  const hhea = Buffer.from(font.hhea);
  hhea.writeUInt16BE(n, 34);
  const maxp = Buffer.from(font.maxp);
  maxp.writeUInt16BE(n, 4);
  const post = Buffer.alloc(32);
  post.writeUInt32BE(0x00030000, 0);
  post.writeInt32BE(Math.round(font.italicAngle * 65536), 4);
  const tables: [string, Buffer][] = [
    ['glyf', Buffer.concat(glyphs)],
    ['head', head],
    ['hhea', hhea],
    ['hmtx', hmtx],
    ['loca', loca],
    ['maxp', maxp],
    ['post', post],
  ];
  const dir = Buffer.alloc(12 + tables.length * 16);
  dir.writeUInt32BE(0x00010000, 0);
  dir.writeUInt16BE(tables.length, 4);
  dir.writeUInt16BE(64, 6); // searchRange for 7 tables: 16 × 2^floor(log2 7)
  dir.writeUInt16BE(2, 8);
  dir.writeUInt16BE(tables.length * 16 - 64, 10);
  const body: Buffer[] = [dir];
  let offset = dir.length;
  tables.forEach(([tag, data], i) => {
    dir.write(tag, 12 + i * 16, 'latin1');
    dir.writeUInt32BE(checksum(data), 16 + i * 16);
    dir.writeUInt32BE(offset, 20 + i * 16);
    dir.writeUInt32BE(data.length, 24 + i * 16);
    const pad = (4 - (data.length % 4)) % 4;
    body.push(data, Buffer.alloc(pad));
    offset += data.length + pad;
  });
  const file = Buffer.concat(body);
  const headAt = dir.readUInt32BE(20 + 1 * 16);
  file.writeUInt32BE((0xb1b0afba - checksum(file)) >>> 0, headAt + 8);
  return file;
}
