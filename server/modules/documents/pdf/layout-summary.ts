/**
 * The invoice's closing part: totals on the right and the VAT breakdown per category and rate on the
 * left, the legal texts the VAT engine decided, notes and terms, the payment instructions with IBAN,
 * BIC, reference and EPC QR code, and the footer with "pagina X van Y" on every page.
 */
import { formatIban } from '../../../../domain/identifiers.ts';
import { INK, MUTED, PAGE_HEIGHT, PAGE_WIDTH, RULE, tint } from './canvas.ts';
import { formatDate, formatDecimalText, formatMoney, label, vatRateText } from './labels.ts';
import { CONTENT_BOTTOM, CONTENT_WIDTH, type Layout, MARGIN } from './layout.ts';
import { epcPayload, qrMatrix, qrOps } from './qr.ts';

const RIGHT = PAGE_WIDTH - MARGIN;

function ensureRoom(l: Layout, height: number, newPage: () => void): void {
  if (l.y + height > CONTENT_BOTTOM) newPage();
}

/** Draws the VAT breakdown (left) and the totals (right). */
export function drawTotals(l: Layout, newPage: () => void): void {
  const { c, doc, lang } = l;
  const t = doc.totals;
  const money = (v: bigint) => formatMoney(v, doc.currency, lang);
  const rows: [string, string, 'regular' | 'bold'][] = [
    [label('subtotal', lang), money(t.lineExtensionAmount), 'regular'],
  ];
  doc.allowances.forEach((a, i) => {
    rows.push([
      `${label('allowance', lang)}: ${a.reason}`,
      money(-(t.allowances[i]?.amount ?? 0n)),
      'regular',
    ]);
  });
  doc.charges.forEach((a, i) => {
    rows.push([`${label('charge', lang)}: ${a.reason}`, money(t.charges[i]?.amount ?? 0n), 'regular']);
  });
  if (rows.length > 1) rows.push([label('totalExcl', lang), money(t.taxExclusiveAmount), 'regular']);
  rows.push([label('totalVat', lang), money(t.taxAmount), 'regular']);
  rows.push([label('totalIncl', lang), money(t.taxInclusiveAmount), 'bold']);
  if (t.prepaidAmount !== 0n) rows.push([label('prepaid', lang), money(-t.prepaidAmount), 'regular']);
  if (t.roundingAmount !== 0n) rows.push([label('rounding', lang), money(t.roundingAmount), 'regular']);

  const breakdown = t.vatBreakdown;
  const height = Math.max(rows.length * 15 + 34, breakdown.length * 13 + 30) + (doc.vatInEur ? 14 : 0);
  ensureRoom(l, height, newPage);
  const top = l.y + 4;

  // Totals, right column.
  const left = PAGE_WIDTH / 2 + 20;
  let y = top + 10;
  for (const [name, value, font] of rows) {
    const labelLines = c.wrap(name, RIGHT - left - 90, { size: 8.5, font });
    for (const [k, line] of labelLines.entries()) {
      c.text(line, left, y, { size: 8.5, font, color: font === 'bold' ? INK : MUTED });
      if (k === 0) c.text(value, RIGHT, y, { size: 8.5, font, align: 'right' });
      if (k < labelLines.length - 1) y += 11;
    }
    y += 15;
  }
  const isCredit = doc.kind === 'credit_note';
  c.rect(left - 8, y - 9, RIGHT - left + 8, 22, l.accent);
  c.text(label(isCredit ? 'credited' : 'payable', lang), left, y + 5.5, {
    font: 'bold',
    size: 10,
    color: l.onAccent,
  });
  c.text(money(t.payableAmount), RIGHT - 6, y + 5.5, {
    font: 'bold',
    size: 10,
    color: l.onAccent,
    align: 'right',
  });
  y += 22;

  // VAT breakdown, left column: one row per category and rate (BG-23).
  let by = top + 10;
  const col = [MARGIN, MARGIN + 110, MARGIN + 190];
  c.text(label('vatBreakdown', lang).toUpperCase(), MARGIN, by, { font: 'bold', size: 7, color: MUTED });
  by += 13;
  c.text(label('rate', lang), col[0] as number, by, { size: 7.5, color: MUTED });
  c.text(label('taxable', lang), (col[1] as number) + 60, by, { size: 7.5, color: MUTED, align: 'right' });
  c.text(label('vat', lang), (col[2] as number) + 60, by, { size: 7.5, color: MUTED, align: 'right' });
  c.hline(MARGIN, MARGIN + 250, by + 4, 0.5, RULE);
  by += 15;
  for (const g of breakdown) {
    const isRated = g.vatCategory === 'S' || g.vatCategory === 'Z';
    const rate = doc.isKor
      ? `${vatRateText('E', '0', lang)} (KOR)`
      : vatRateText(g.vatCategory, g.vatRate, lang);
    c.text(rate, col[0] as number, by, { size: 8.5 });
    c.text(money(g.taxableAmount), (col[1] as number) + 60, by, { size: 8.5, align: 'right' });
    c.text(isRated ? money(g.taxAmount) : '—', (col[2] as number) + 60, by, { size: 8.5, align: 'right' });
    by += 13;
  }
  if (doc.vatInEur) {
    const text = `${label('vatInEur', lang)}: ${formatMoney(doc.vatInEur.amount, 'EUR', lang)} (${label('exchangeRate', lang)} ${formatDecimalText(doc.vatInEur.rate, lang)})`;
    c.text(text, MARGIN, by + 2, { size: 8, color: MUTED });
    by += 14;
  }
  l.y = Math.max(y, by) + 14;
}

/** Draws the mandatory VAT texts, notes and payment terms, each wrapped to the page width. */
export function drawTexts(l: Layout, newPage: () => void): void {
  const { c, doc } = l;
  const blocks: { text: string; font: 'regular' | 'bold' }[] = [
    ...doc.texts.map((t) => ({ text: t.text, font: 'bold' as const })),
    ...doc.notes.map((n) => ({ text: n, font: 'regular' as const })),
    ...(doc.paymentTerms ? [{ text: doc.paymentTerms, font: 'regular' as const }] : []),
  ];
  for (const block of blocks) {
    const lines = c.wrap(block.text, CONTENT_WIDTH, { size: 8.5, font: block.font });
    for (const line of lines) {
      ensureRoom(l, 12, newPage);
      c.text(line, MARGIN, l.y + 9, { size: 8.5, font: block.font });
      l.y += 12;
    }
    l.y += 4;
  }
  if (blocks.length > 0) l.y += 8;
}

/** Draws the payment box: amount and due date, IBAN in fours, BIC, holder, reference, EPC QR for EUR. */
export function drawPayment(l: Layout, newPage: () => void): void {
  const { c, doc, lang } = l;
  const p = doc.payment;
  if (!p || doc.kind === 'credit_note' || doc.totals.payableAmount <= 0n) return;
  const payload =
    doc.currency === 'EUR' && !l.draft
      ? epcPayload({
          name: p.accountName ?? doc.seller.name,
          iban: p.iban,
          bic: p.bic,
          amountCents: doc.totals.payableAmount,
          reference: p.reference,
        })
      : null;
  const boxHeight = payload ? 118 : 92;
  ensureRoom(l, boxHeight, newPage);
  const top = l.y;
  c.rect(MARGIN, top, CONTENT_WIDTH, boxHeight, tint(l.accent, 0.92));
  c.rect(MARGIN, top, 3, boxHeight, l.accent);
  let y = top + 18;
  c.text(label('paymentDetails', lang).toUpperCase(), MARGIN + 14, y, {
    font: 'bold',
    size: 7.5,
    color: l.accent,
  });
  y += 16;
  const amount = formatMoney(doc.totals.payableAmount, doc.currency, lang);
  const lead = doc.dueDate ? `${label('payBefore', lang)} ${formatDate(doc.dueDate, lang)}: ` : '';
  c.text(`${lead}${amount}`, MARGIN + 14, y, { font: 'bold', size: 9.5 });
  y += 16;
  const rows: [string, string][] = [
    [label('iban', lang), formatIban(p.iban)],
    ...(p.bic ? [[label('bic', lang), p.bic] as [string, string]] : []),
    [label('accountName', lang), p.accountName ?? doc.seller.name],
    [label('reference', lang), p.reference],
  ];
  for (const [k, v] of rows) {
    c.text(k, MARGIN + 14, y, { size: 8.5, color: MUTED });
    c.text(v, MARGIN + 120, y, {
      size: 8.5,
      font: k === label('iban', lang) || k === label('reference', lang) ? 'bold' : 'regular',
    });
    y += 12.5;
  }
  if (payload) {
    const matrix = qrMatrix(payload);
    const side = 86;
    const x = RIGHT - side - 16;
    const qTop = top + (boxHeight - side) / 2;
    // A white quiet zone of four modules around the code, as scanners expect.
    const quiet = (side / matrix.size) * 4;
    c.rect(x - quiet, qTop - quiet, side + 2 * quiet, side + 2 * quiet, [1, 1, 1]);
    c.raw(qrOps(matrix, x, PAGE_HEIGHT - qTop, side), INK);
    c.text(label('scanToPay', lang), x - quiet - 8, qTop + side, { size: 7, color: MUTED, align: 'right' });
  }
  l.y = top + boxHeight + 12;
}

/**
 * Writes the footer on every page: seller identification and "pagina X van Y", and under it the
 * business's form for data-subject requests when there is one.
 */
export function drawFooters(l: Layout, privacyUrl?: string): void {
  const { c, doc, lang } = l;
  const s = doc.seller;
  const parts = [
    s.name,
    ...(s.kvkNumber ? [`${label('kvk', lang)} ${s.kvkNumber}`] : []),
    ...(s.vatNumber ? [`${label('vatNumber', lang)} ${s.vatNumber}`] : []),
    ...(doc.payment ? [`IBAN ${formatIban(doc.payment.iban)}`] : []),
  ];
  const total = c.pages.length;
  for (let i = 0; i < total; i++) {
    c.turnToPage(i);
    const y = PAGE_HEIGHT - 36;
    c.hline(MARGIN, RIGHT, y - 12, 0.5, RULE);
    c.text(parts.join('  ·  '), MARGIN, y, { size: 7, color: MUTED });
    c.text(`${label('page', lang)} ${i + 1} ${label('of', lang)} ${total}`, RIGHT, y, {
      size: 7,
      color: MUTED,
      align: 'right',
    });
    if (privacyUrl) {
      const url = lang === 'en' ? `${privacyUrl}?lang=en` : privacyUrl;
      c.text(`${label('privacyRequest', lang)}: ${url}`, MARGIN, y + 9, { size: 6.5, color: MUTED });
    }
  }
}
