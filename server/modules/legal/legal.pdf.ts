/**
 * A legal document as a plain text PDF with the native writer (the invoice fonts and canvas):
 * a title, the version, numbered sections with wrapped paragraphs, lists and tables written as
 * lines, and any extra lines (the business's acceptance record). `documentLines` is the text, so
 * tests read what the PDF says without parsing it.
 */
import { Canvas, INK, MUTED } from '../documents/pdf/canvas.ts';
import { documentFonts } from '../documents/pdf/fonts.ts';
import { PdfWriter, pdfDate, pdfText, ref } from '../documents/pdf/pdf-objects.ts';
import type { LegalDocument } from './documents.ts';

/** One line of the document with its style. */
export interface Line {
  text: string;
  kind: 'title' | 'meta' | 'heading' | 'body';
}

/** The document as lines (before wrapping): title, version, sections, then `extra` sections. */
export function documentLines(
  doc: LegalDocument,
  extra: { heading: string; lines: string[] }[] = [],
): Line[] {
  const out: Line[] = [
    { text: doc.title, kind: 'title' },
    { text: `Versie ${doc.version.version} van ${doc.version.date}`, kind: 'meta' },
  ];
  doc.sections.forEach((s, i) => {
    out.push({ text: `${i + 1}. ${s.heading}`, kind: 'heading' });
    for (const b of s.blocks) {
      if ('p' in b) out.push({ text: b.p, kind: 'body' });
      else if ('list' in b) for (const item of b.list) out.push({ text: `• ${item}`, kind: 'body' });
      else
        for (const row of b.table.rows) {
          out.push({
            text: row.map((cell, c) => `${b.table.head[c] ?? ''}: ${cell}`).join(' — '),
            kind: 'body',
          });
        }
    }
  });
  for (const e of extra) {
    out.push({ text: e.heading, kind: 'heading' });
    for (const l of e.lines) out.push({ text: l, kind: 'body' });
  }
  return out;
}

const MARGIN = 56;
const WIDTH = 595.28 - 2 * MARGIN;
const BOTTOM = 841.89 - 56;
const STYLE = {
  title: { font: 'bold', size: 16, gap: 10 },
  meta: { font: 'regular', size: 8, gap: 14 },
  heading: { font: 'bold', size: 10.5, gap: 8 },
  body: { font: 'regular', size: 9, gap: 5 },
} as const;

/** Renders lines as an A4 PDF; `at` dates the file (no clock is read here). */
export function renderLegalPdf(title: string, lines: readonly Line[], at: Date): Buffer {
  const c = new Canvas(documentFonts());
  c.addPage();
  let y = MARGIN;
  for (const line of lines) {
    const st = STYLE[line.kind];
    const style = { font: st.font, size: st.size, color: line.kind === 'meta' ? MUTED : INK };
    if (line.kind === 'heading') y += 6;
    for (const part of c.wrap(line.text, WIDTH, style)) {
      if (y + st.size > BOTTOM) {
        c.addPage();
        y = MARGIN;
      }
      y += st.size * 1.3;
      c.text(part, MARGIN, y, style);
    }
    y += st.gap - 3;
  }
  const pdf = new PdfWriter();
  const catalog = pdf.alloc();
  const pagesRoot = pdf.alloc();
  const resources = pdf.add(
    `<< /Font << /F1 ${ref(c.fonts.regular.write(pdf))} /F2 ${ref(c.fonts.bold.write(pdf))} >> >>`,
  );
  const kids = c.pages.map((ops) =>
    pdf.add(
      `<< /Type /Page /Parent ${ref(pagesRoot)} /MediaBox [0 0 595.28 841.89] /Resources ${ref(resources)} ` +
        `/Contents ${ref(pdf.addStream('', Buffer.from(ops.join('\n'), 'latin1'), { compress: true }))} >>`,
    ),
  );
  pdf.put(pagesRoot, `<< /Type /Pages /Kids [${kids.map(ref).join(' ')}] /Count ${kids.length} >>`);
  pdf.put(catalog, `<< /Type /Catalog /Pages ${ref(pagesRoot)} /Lang (nl-NL) >>`);
  const date = pdfDate(at);
  const info = pdf.add(
    `<< /Title ${pdfText(title)} /Creator (Kluis) /Producer (Kluis) /CreationDate (${date}) /ModDate (${date}) >>`,
  );
  return pdf.finish(catalog, info);
}
