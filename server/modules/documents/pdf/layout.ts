/**
 * The invoice's first part on paper: letterhead (logo, seller with KvK and btw-id), title, the
 * buyer's address block beside the invoice facts, and the line table, which continues over as many
 * pages as it needs with its header repeated. The rest (totals, VAT breakdown, texts, payment) is in
 * layout-summary.ts.
 */
import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { type Canvas, INK, MUTED, PAGE_HEIGHT, PAGE_WIDTH, type Rgb, RULE, tint } from './canvas.ts';
import {
  countryName,
  formatDate,
  formatDecimalText,
  formatMoney,
  type Lang,
  label,
  unitName,
  vatRateText,
} from './labels.ts';

/** Page margins and the lowest point content may reach before the footer. */
export const MARGIN = 48;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
export const CONTENT_BOTTOM = PAGE_HEIGHT - 62;
const RIGHT = PAGE_WIDTH - MARGIN;

/** What the layout functions share while drawing one document. */
export interface Layout {
  c: Canvas;
  doc: InvoiceDocument;
  lang: Lang;
  accent: Rgb;
  /** Text colour on an accent-filled band: white, or ink when the accent is light. */
  onAccent: Rgb;
  /** The logo XObject and its pixel size, when there is one. */
  logo: { name: string; width: number; height: number } | null;
  /** A draft's preview: no EPC QR code in the payment box. */
  draft: boolean;
  /** Distance from the top of the page to where the next thing goes. */
  y: number;
}

/** The title of the document: "Factuur" or "Creditnota". */
export function documentTitle(doc: InvoiceDocument, lang: Lang): string {
  return label(doc.kind === 'credit_note' ? 'creditNote' : 'invoice', lang);
}

function addressLines(p: InvoiceDocument['seller'], lang: Lang, ownCountry: string): string[] {
  const a = p.address;
  const lines = [a.street, [a.postalCode, a.city].filter(Boolean).join('  ')].filter((l): l is string => !!l);
  if (a.country !== ownCountry) lines.push(countryName(a.country, lang));
  return lines;
}

/** Draws the letterhead, title, parties and invoice facts on page 1. */
export function drawHeader(l: Layout): void {
  const { c, doc, lang } = l;
  c.rect(0, 0, PAGE_WIDTH, 6, l.accent);
  let top = 40;
  if (l.logo) {
    const scale = Math.min(170 / l.logo.width, 58 / l.logo.height);
    c.image(l.logo.name, MARGIN, top, l.logo.width * scale, l.logo.height * scale);
  } else {
    c.text(doc.seller.tradingName || doc.seller.name, MARGIN, top + 18, {
      font: 'bold',
      size: 16,
      color: l.accent,
    });
  }
  // Seller block, right-aligned.
  const s = doc.seller;
  let y = top + 8;
  c.text(s.tradingName || s.name, RIGHT, y, { font: 'bold', size: 10, align: 'right' });
  y += 12;
  const small = { size: 8, color: MUTED, align: 'right' } as const;
  const sellerLines = [
    ...(s.tradingName && s.tradingName !== s.name ? [s.name] : []),
    ...addressLines(s, lang, 'NL'),
    ...(s.contact?.email ? [s.contact.email] : []),
    ...(s.contact?.phone ? [s.contact.phone] : []),
    ...(s.kvkNumber ? [`${label('kvk', lang)} ${s.kvkNumber}`] : []),
    ...(s.vatNumber ? [`${label('vatNumber', lang)} ${s.vatNumber}`] : []),
  ];
  for (const line of sellerLines) {
    c.text(line, RIGHT, y, small);
    y += 10.5;
  }
  top = Math.max(y + 14, 128);
  c.text(documentTitle(doc, lang), MARGIN, top + 20, { font: 'bold', size: 24, color: l.accent });
  top += 48;

  // Buyer block on the left.
  const b = doc.buyer;
  let by = top;
  c.text(label('billTo', lang).toUpperCase(), MARGIN, by, { font: 'bold', size: 7, color: MUTED });
  by += 14;
  c.text(b.name, MARGIN, by, { font: 'bold', size: 10 });
  by += 13;
  const buyerLines = [
    ...(b.tradingName && b.tradingName !== b.name ? [b.tradingName] : []),
    ...(b.contact?.name ? [b.contact.name] : []),
    ...addressLines(b, lang, doc.seller.address.country),
    ...(b.vatNumber ? [`${label('buyerVatNumber', lang)}: ${b.vatNumber}`] : []),
    ...(b.kvkNumber ? [`${label('kvk', lang)}: ${b.kvkNumber}`] : []),
  ];
  for (const line of buyerLines) {
    c.text(line, MARGIN, by, { size: 9 });
    by += 12;
  }

  // Invoice facts on the right, labels and values in two columns.
  const isCredit = doc.kind === 'credit_note';
  const facts: [string, string][] = [
    [label(isCredit ? 'creditNoteNumber' : 'invoiceNumber', lang), doc.number],
    [label(isCredit ? 'creditNoteDate' : 'invoiceDate', lang), formatDate(doc.issueDate, lang)],
  ];
  if (doc.creditedInvoice) {
    facts.push([
      label('creditedInvoice', lang),
      `${doc.creditedInvoice.number} ${label('creditedInvoiceOf', lang)} ${formatDate(doc.creditedInvoice.issueDate, lang)}`,
    ]);
  }
  if (doc.dueDate && !isCredit) facts.push([label('dueDate', lang), formatDate(doc.dueDate, lang)]);
  if (doc.supplyDate) facts.push([label('supplyDate', lang), formatDate(doc.supplyDate, lang)]);
  if (doc.period) {
    facts.push([
      label('period', lang),
      `${formatDate(doc.period.start, lang)} – ${formatDate(doc.period.end, lang)}`,
    ]);
  }
  if (doc.buyerReference) facts.push([label('buyerReference', lang), doc.buyerReference]);
  if (doc.orderReference) facts.push([label('orderReference', lang), doc.orderReference]);
  const labelX = PAGE_WIDTH / 2 - 6;
  let fy = top + 14;
  for (const [k, v] of facts) {
    c.text(k, labelX, fy, { size: 8, color: MUTED });
    const lines = c.wrap(v, RIGHT - labelX - 84, { size: 9, font: 'bold' });
    for (const line of lines) {
      c.text(line, RIGHT, fy, { size: 9, font: 'bold', align: 'right' });
      fy += 12;
    }
    fy += 2;
  }
  l.y = Math.max(by, fy) + 22;
}

/** Draws the small header of a continuation page (seller, document number). */
export function drawContinuationHeader(l: Layout): void {
  const { c, doc, lang } = l;
  c.rect(0, 0, PAGE_WIDTH, 6, l.accent);
  c.text(doc.seller.tradingName || doc.seller.name, MARGIN, 40, { font: 'bold', size: 10 });
  c.text(`${documentTitle(doc, lang)} ${doc.number} (${label('continued', lang)})`, RIGHT, 40, {
    size: 9,
    color: MUTED,
    align: 'right',
  });
  l.y = 62;
}

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

function columns(l: Layout, hasDiscount: boolean): Column[] {
  const { lang } = l;
  const cols: Column[] = [
    { title: label('description', lang), width: 0, align: 'left' },
    { title: label('quantity', lang), width: 42, align: 'right' },
    { title: label('unit', lang), width: 44, align: 'left' },
    { title: label('unitPrice', lang), width: 68, align: 'right' },
    ...(hasDiscount ? [{ title: label('discount', lang), width: 48, align: 'right' as const }] : []),
    { title: label('vat', lang), width: 46, align: 'right' },
    { title: label('amount', lang), width: 74, align: 'right' },
  ];
  const first = cols[0] as Column;
  first.width = CONTENT_WIDTH - cols.reduce((sum, col) => sum + col.width, 0);
  return cols;
}

const PAD = 5;
const HEADER_HEIGHT = 18;

function drawTableHeader(l: Layout, cols: Column[]): void {
  const { c } = l;
  c.rect(MARGIN, l.y, CONTENT_WIDTH, HEADER_HEIGHT, l.accent);
  let x = MARGIN;
  for (const col of cols) {
    const tx = col.align === 'right' ? x + col.width - PAD : x + PAD;
    c.text(col.title, tx, l.y + 12, { font: 'bold', size: 7.5, color: l.onAccent, align: col.align });
    x += col.width;
  }
  l.y += HEADER_HEIGHT;
}

function discountText(d: InvoiceDocument['lines'][number]['discount'], l: Layout): string {
  if (!d) return '';
  if ('percent' in d) return `${formatDecimalText(d.percent, l.lang)} %`;
  return formatDecimalText(d.amount, l.lang, 2);
}

/** Draws the line table from `l.y`, starting new pages with the header repeated when a page is full. */
export function drawLines(l: Layout, newPage: () => void): void {
  const { c, doc, lang } = l;
  const hasDiscount = doc.lines.some((line) => line.discount);
  const cols = columns(l, hasDiscount);
  const descWidth = (cols[0] as Column).width - 2 * PAD;
  drawTableHeader(l, cols);
  doc.lines.forEach((line, i) => {
    const nameLines = c.wrap(line.name, descWidth, { size: 8.5 });
    const descLines = line.description ? c.wrap(line.description, descWidth, { size: 7.5 }) : [];
    let height = 7 + nameLines.length * 11 + descLines.length * 9.5 + 3;
    const room = CONTENT_BOTTOM - 62 - HEADER_HEIGHT;
    if (height > room) {
      // A single line longer than a page is cut rather than run into the footer.
      descLines.splice(Math.max(0, Math.floor((room - 10 - nameLines.length * 11) / 9.5) - 1));
      descLines.push('…');
      height = 7 + nameLines.length * 11 + descLines.length * 9.5 + 3;
    }
    if (l.y + height > CONTENT_BOTTOM) {
      newPage();
      drawTableHeader(l, cols);
    }
    if (i % 2 === 1) c.rect(MARGIN, l.y, CONTENT_WIDTH, height, tint(l.accent, 0.96));
    const base = l.y + 7 + 8;
    const amounts = doc.totals.lines[i];
    const base2 =
      line.priceBaseQuantity && line.priceBaseQuantity !== '1'
        ? ` / ${formatDecimalText(line.priceBaseQuantity, lang)}`
        : '';
    const cells = [
      '',
      formatDecimalText(line.quantity, lang),
      unitName(line.unitCode, lang),
      formatDecimalText(line.unitPrice, lang, 2) + base2,
      ...(hasDiscount ? [discountText(line.discount, l)] : []),
      vatRateText(line.vatCategory, line.vatRate, lang),
      amounts ? formatMoney(amounts.netAmount, doc.currency, lang) : '',
    ];
    let x = MARGIN;
    cols.forEach((col, k) => {
      if (k === 0) {
        let ty = base;
        for (const t of nameLines) {
          c.text(t, x + PAD, ty, { size: 8.5 });
          ty += 11;
        }
        for (const t of descLines) {
          c.text(t, x + PAD, ty - 1, { size: 7.5, color: MUTED });
          ty += 9.5;
        }
      } else {
        const tx = col.align === 'right' ? x + col.width - PAD : x + PAD;
        c.text(cells[k] ?? '', tx, base, { size: 8.5, align: col.align, color: INK });
      }
      x += col.width;
    });
    l.y += height;
  });
  c.hline(MARGIN, RIGHT, l.y, 0.6, RULE);
  l.y += 8;
}
