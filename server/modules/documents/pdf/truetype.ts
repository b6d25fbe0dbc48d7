/**
 * A TrueType reader, just enough for PDF embedding: the character map (cmap formats 4 and 12), advance
 * widths (hmtx), vertical metrics (head, hhea, OS/2) and the outlines (glyf/loca). A font is parsed
 * once per process and kept: every invoice reuses the same tables, and the per-glyph work (stripping
 * hinting, finding composite parts) is cached on first use.
 */
import { readFileSync } from 'node:fs';

/** A parsed TrueType font, shared by every document of the process. */
export interface TrueTypeFont {
  /** PostScript name, e.g. "DejaVuSans". */
  postScriptName: string;
  unitsPerEm: number;
  /** Font bounding box and vertical metrics in font units. */
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  numGlyphs: number;
  /** Code point → glyph id. */
  cmap: Map<number, number>;
  /** Advance width of every glyph, font units. */
  advances: Uint16Array;
  /** Left side bearing of every glyph, font units. */
  lsbs: Int16Array;
  /** hhea fields copied into a subset. */
  hhea: Buffer;
  maxp: Buffer;
  head: Buffer;
  /** Outline bytes of a glyph without hinting instructions, with its composite parts (cached). */
  glyph(gid: number): GlyphData;
}

/** One glyph's outline as it goes into a subset. */
export interface GlyphData {
  bytes: Buffer;
  /** Glyph ids this composite glyph refers to, and where in `bytes` each id is (to remap). */
  components: { gid: number; offset: number }[];
}

// Composite glyph flags (OpenType spec, 'glyf' table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
const WE_HAVE_INSTRUCTIONS = 0x0100;

function tableDirectory(data: Buffer): Map<string, Buffer> {
  const tables = new Map<string, Buffer>();
  const count = data.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = data.toString('latin1', at, at + 4);
    const offset = data.readUInt32BE(at + 8);
    const length = data.readUInt32BE(at + 12);
    tables.set(tag, data.subarray(offset, offset + length));
  }
  return tables;
}

function need(tables: Map<string, Buffer>, tag: string): Buffer {
  const t = tables.get(tag);
  if (!t) throw new Error(`TrueType font lacks the ${tag} table`);
  return t;
}

// Prefers a full-Unicode subtable (3,10 format 12), else BMP (3,1 or 0,x format 4).
function parseCmap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  const count = cmap.readUInt16BE(2);
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const score =
      format === 12 && (platform === 3 || platform === 0)
        ? 3
        : format === 4 && ((platform === 3 && encoding === 1) || platform === 0)
          ? 2
          : 0;
    if (score > bestScore) [best, bestScore] = [offset, score];
  }
  if (best < 0) throw new Error('TrueType font has no Unicode cmap');
  const t = cmap.subarray(best);
  if (t.readUInt16BE(0) === 12) {
    const groups = t.readUInt32BE(12);
    for (let g = 0; g < groups; g++) {
      const start = t.readUInt32BE(16 + g * 12);
      const end = t.readUInt32BE(20 + g * 12);
      const gid = t.readUInt32BE(24 + g * 12);
      for (let c = start; c <= end; c++) map.set(c, gid + c - start);
    }
    return map;
  }
  const segs = t.readUInt16BE(6) / 2;
  const ends = 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  for (let s = 0; s < segs; s++) {
    const end = t.readUInt16BE(ends + s * 2);
    const start = t.readUInt16BE(starts + s * 2);
    const delta = t.readInt16BE(deltas + s * 2);
    const ro = t.readUInt16BE(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let gid: number;
      if (ro === 0) gid = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + ro + (c - start) * 2;
        const raw = t.readUInt16BE(at);
        gid = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (gid !== 0) map.set(c, gid);
    }
  }
  return map;
}

function postScriptName(name: Buffer | undefined, fallback: string): string {
  if (!name) return fallback;
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12;
    if (name.readUInt16BE(at + 6) !== 6) continue;
    const platform = name.readUInt16BE(at);
    const length = name.readUInt16BE(at + 8);
    const offset = strings + name.readUInt16BE(at + 10);
    const raw = name.subarray(offset, offset + length);
    const text = platform === 1 ? raw.toString('latin1') : Buffer.from(raw).swap16().toString('utf16le');
    return text.replace(/[^\x21-\x7e]|[[\](){}<>/%]/g, '');
  }
  return fallback;
}

// A simple glyph without its instructions: hinting only matters to screen rasterisers at small
// sizes, and dropping it shrinks the embedded subset by half and lets cvt/fpgm/prep stay out.
function stripSimple(g: Buffer): Buffer {
  const contours = g.readInt16BE(0);
  const lengthAt = 10 + contours * 2;
  const instructions = g.readUInt16BE(lengthAt);
  if (instructions === 0) return g;
  const out = Buffer.alloc(g.length - instructions);
  g.copy(out, 0, 0, lengthAt);
  out.writeUInt16BE(0, lengthAt);
  g.copy(out, lengthAt + 2, lengthAt + 2 + instructions);
  return out;
}

function stripComposite(g: Buffer): GlyphData {
  const components: { gid: number; offset: number }[] = [];
  let at = 10;
  let flags = 0;
  let lastFlagsAt = 0;
  do {
    flags = g.readUInt16BE(at);
    lastFlagsAt = at;
    components.push({ gid: g.readUInt16BE(at + 2), offset: at + 2 });
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  } while (flags & MORE_COMPONENTS);
  const bytes = Buffer.from(g.subarray(0, at));
  bytes.writeUInt16BE(flags & ~WE_HAVE_INSTRUCTIONS, lastFlagsAt);
  return { bytes, components };
}

/** Parses a TrueType font file (the bytes stay referenced; glyphs are read on demand). */
export function parseTrueType(data: Buffer, fallbackName = 'Font'): TrueTypeFont {
  const tables = tableDirectory(data);
  const head = need(tables, 'head');
  const hhea = need(tables, 'hhea');
  const maxp = need(tables, 'maxp');
  const hmtx = need(tables, 'hmtx');
  const loca = need(tables, 'loca');
  const glyf = need(tables, 'glyf');
  const os2 = tables.get('OS/2');
  const post = tables.get('post');
  const numGlyphs = maxp.readUInt16BE(4);
  const numHMetrics = hhea.readUInt16BE(34);
  const advances = new Uint16Array(numGlyphs);
  const lsbs = new Int16Array(numGlyphs);
  for (let i = 0; i < numGlyphs; i++) {
    const m = Math.min(i, numHMetrics - 1);
    advances[i] = hmtx.readUInt16BE(m * 4);
    lsbs[i] =
      i < numHMetrics
        ? hmtx.readInt16BE(i * 4 + 2)
        : hmtx.readInt16BE(numHMetrics * 4 + (i - numHMetrics) * 2);
  }
  const longLoca = head.readInt16BE(50) === 1;
  const offset = (i: number): number => (longLoca ? loca.readUInt32BE(i * 4) : loca.readUInt16BE(i * 2) * 2);
  const cache = new Map<number, GlyphData>();
  const glyph = (gid: number): GlyphData => {
    let found = cache.get(gid);
    if (found) return found;
    const g = glyf.subarray(offset(gid), offset(gid + 1));
    if (g.length === 0) found = { bytes: g, components: [] };
    else if (g.readInt16BE(0) >= 0) found = { bytes: stripSimple(g), components: [] };
    else found = stripComposite(g);
    cache.set(gid, found);
    return found;
  };
  const ascent = hhea.readInt16BE(4);
  const descent = hhea.readInt16BE(6);
  return {
    postScriptName: postScriptName(tables.get('name'), fallbackName),
    unitsPerEm: head.readUInt16BE(18),
    bbox: [head.readInt16BE(36), head.readInt16BE(38), head.readInt16BE(40), head.readInt16BE(42)],
    ascent,
    descent,
    capHeight: os2 && os2.length >= 90 ? os2.readInt16BE(88) : Math.round(ascent * 0.7),
    italicAngle: post ? post.readInt32BE(4) / 65536 : 0,
    numGlyphs,
    cmap: parseCmap(need(tables, 'cmap')),
    advances,
    lsbs,
    hhea,
    maxp,
    head,
    glyph,
  };
}

const loaded = new Map<string, TrueTypeFont>();

/** The font at `path`, parsed on first use and kept for the life of the process. */
export function loadTrueType(path: string): TrueTypeFont {
  let font = loaded.get(path);
  if (!font) {
    font = parseTrueType(readFileSync(path), path.replace(/^.*\/|\.ttf$/gi, ''));
    loaded.set(path, font);
  }
  return font;
}
