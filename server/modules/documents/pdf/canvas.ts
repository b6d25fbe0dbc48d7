/**
 * Drawing on A4 pages with coordinates measured from the top-left corner, as a layout thinks, written
 * as PDF content-stream operators (origin bottom-left). Text is measured and encoded with the
 * document's font subsets; colours are sRGB triples.
 */
import type { FontStyle, FontUse } from './fonts.ts';
import { num } from './pdf-objects.ts';

/** A4 in points. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;

/** An sRGB colour, each channel 0–1. */
export type Rgb = readonly [number, number, number];

/** Text options: font style, size in points, colour and alignment at x. */
export interface TextStyle {
  font?: FontStyle;
  size?: number;
  color?: Rgb;
  align?: 'left' | 'right' | 'center';
}

/** Parses "#RRGGBB" (or "RRGGBB"); anything else gives `fallback`. */
export function parseColor(hex: string | null | undefined, fallback: Rgb): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex?.trim() ?? '');
  if (!m?.[1]) return fallback;
  const v = Number.parseInt(m[1], 16);
  return [(v >> 16) / 255, ((v >> 8) & 0xff) / 255, (v & 0xff) / 255];
}

/** Mixes a colour with white (`amount` 0 = colour, 1 = white), for tints. */
export function tint(c: Rgb, amount: number): Rgb {
  return [c[0] + (1 - c[0]) * amount, c[1] + (1 - c[1]) * amount, c[2] + (1 - c[2]) * amount];
}

function rgb(c: Rgb): string {
  return `${num(c[0])} ${num(c[1])} ${num(c[2])}`;
}

/** The pages of one document and the fonts they draw with. */
export class Canvas {
  readonly pages: string[][] = [];
  readonly fonts: Record<FontStyle, FontUse>;
  private ops: string[] = [];
  // The fill colour and font last set on each page: text state persists between BT/ET blocks, so
  // they are written only when they change, which keeps a long invoice's content stream small.
  private readonly states: { fill: string; font: string }[] = [];
  private state = { fill: '', font: '' };

  constructor(fonts: Record<FontStyle, FontUse>) {
    this.fonts = fonts;
  }

  /** Starts a new page; later drawing goes there. */
  addPage(): void {
    this.ops = [];
    this.state = { fill: '', font: '' };
    this.pages.push(this.ops);
    this.states.push(this.state);
  }

  /** Switches drawing to an earlier page (for footers written once the page count is known). */
  turnToPage(index: number): void {
    const page = this.pages[index];
    if (!page) throw new RangeError(`No page ${index}`);
    this.ops = page;
    this.state = this.states[index] as { fill: string; font: string };
  }

  private fill(color: Rgb): string {
    const fill = rgb(color);
    if (fill === this.state.fill) return '';
    this.state.fill = fill;
    return `${fill} rg `;
  }

  /** Width of `text` in points. */
  measure(text: string, style: TextStyle = {}): number {
    return this.fonts[style.font ?? 'regular'].width(text, style.size ?? 9);
  }

  /** Draws one line of text with its baseline at `y` below the top; returns the text's width. */
  text(text: string, x: number, y: number, style: TextStyle = {}): number {
    if (text === '') return 0;
    const font = style.font ?? 'regular';
    const size = style.size ?? 9;
    const width = this.fonts[font].width(text, size);
    const left = style.align === 'right' ? x - width : style.align === 'center' ? x - width / 2 : x;
    const tf = `/${font === 'bold' ? 'F2' : 'F1'} ${num(size)} Tf `;
    const setFont = tf === this.state.font ? '' : tf;
    this.state.font = tf;
    this.ops.push(
      `${this.fill(style.color ?? INK)}BT ${setFont}${num(left)} ${num(PAGE_HEIGHT - y)} Td ` +
        `<${this.fonts[font].encode(text)}> Tj ET`,
    );
    return width;
  }

  /** Fills a rectangle whose top-left corner is (x, y). */
  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.ops.push(`${this.fill(color)}${num(x)} ${num(PAGE_HEIGHT - y - h)} ${num(w)} ${num(h)} re f`);
  }

  /** Draws a horizontal rule at `y`. */
  hline(x1: number, x2: number, y: number, width: number, color: Rgb): void {
    this.ops.push(
      `${rgb(color)} RG ${num(width)} w ${num(x1)} ${num(PAGE_HEIGHT - y)} m ${num(x2)} ${num(PAGE_HEIGHT - y)} l S`,
    );
  }

  /** Places image XObject `/name` in the box whose top-left corner is (x, y). */
  image(name: string, x: number, y: number, w: number, h: number): void {
    this.ops.push(`q ${num(w)} 0 0 ${num(h)} ${num(x)} ${num(PAGE_HEIGHT - y - h)} cm /${name} Do Q`);
  }

  /** Appends operators that already use PDF coordinates, in fill colour `color`. */
  raw(ops: string, color: Rgb): void {
    this.ops.push(`${this.fill(color)}`, ops);
  }

  /**
   * Breaks `text` into lines no wider than `width`, at spaces, and inside words that are too long
   * on their own (IBANs, URLs); explicit newlines are kept.
   */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const lines: string[] = [];
    const space = this.measure(' ', style);
    for (const paragraph of text.split(/\r?\n/)) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(/ +/)) {
        let w = this.measure(word, style);
        if (line !== '' && lineWidth + space + w <= width) {
          line += ` ${word}`;
          lineWidth += space + w;
          continue;
        }
        if (line !== '') lines.push(line);
        let rest = word;
        while (w > width && rest.length > 1) {
          let cut = rest.length - 1;
          while (cut > 1 && this.measure(rest.slice(0, cut), style) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
          w = this.measure(rest, style);
        }
        line = rest;
        lineWidth = w;
      }
      lines.push(line);
    }
    return lines;
  }
}

/** Body text colour: near-black, softer than pure black on paper. */
export const INK: Rgb = [0.13, 0.14, 0.16];
/** Secondary text: labels, descriptions. */
export const MUTED: Rgb = [0.42, 0.45, 0.5];
/** Rules and table lines. */
export const RULE: Rgb = [0.85, 0.87, 0.9];
/** White. */
export const WHITE: Rgb = [1, 1, 1];
