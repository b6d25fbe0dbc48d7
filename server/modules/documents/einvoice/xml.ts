/**
 * A tiny XML writer for the e-invoice documents: elements are written in call order with two-space
 * indentation, text and attributes are escaped, and empty values are left out, so the same input
 * always gives the same bytes and no empty element ever reaches a receiver (PEPPOL-EN16931-R008).
 */

/** Attributes in writing order; null or undefined values are left out. */
export type XmlAttributes = Readonly<Record<string, string | null | undefined>>;

// XML 1.0 cannot carry these characters at all, not even escaped: they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function clean(text: string): string {
  // A lone surrogate half is not a character either; toWellFormed turns it into U+FFFD.
  return text.toWellFormed().replace(NOT_IN_XML, '');
}

/** Escapes text content: `&`, `<`, `>` (for `]]>`), and CR, which a parser would otherwise normalise away. */
export function escapeText(text: string): string {
  return clean(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** Escapes an attribute value; tabs and line breaks are written as references so they survive normalisation. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;');
}

function attributes(attrs: XmlAttributes | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

/** Builds one XML document line by line. */
export class XmlWriter {
  readonly #lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  #depth = 0;

  /**
   * Writes an element whose content `body` writes. An element that ends up with no children is
   * removed again, unless `keepEmpty` (a few CII containers are mandatory even when empty).
   */
  element(name: string, attrs: XmlAttributes | null, body: () => void, keepEmpty = false): void {
    const start = this.#lines.length;
    const indent = '  '.repeat(this.#depth);
    this.#lines.push(`${indent}<${name}${attributes(attrs ?? undefined)}>`);
    this.#depth += 1;
    body();
    this.#depth -= 1;
    if (this.#lines.length === start + 1) {
      this.#lines.pop();
      if (keepEmpty) this.#lines.push(`${indent}<${name}${attributes(attrs ?? undefined)}/>`);
      return;
    }
    this.#lines.push(`${indent}</${name}>`);
  }

  /** Writes a leaf element; a null, undefined or blank value writes nothing. Values are trimmed. */
  leaf(name: string, value: string | null | undefined, attrs?: XmlAttributes): void {
    if (value === null || value === undefined) return;
    const text = value.trim();
    if (text === '') return;
    this.#lines.push(`${'  '.repeat(this.#depth)}<${name}${attributes(attrs)}>${escapeText(text)}</${name}>`);
  }

  /** The document, ending with a newline. */
  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}
