/**
 * The mail that carries an issued invoice to its buyer (issue 5 point 7): a short text in the
 * customer's language, the stored PDF, and the UBL e-invoice when one can be written. Pure: the
 * same document, PDF and UBL give the same message.
 */
import { isAppError } from '../../../domain/errors.ts';
import type { InvoiceDocument } from '../../../domain/invoice-document.ts';
import type { MailAttachment, MailMessage } from '../../mail/mailer.ts';
import { type UblFormat, writeUbl } from '../documents/einvoice/index.ts';
import { formatDate, formatMoney } from '../documents/pdf/labels.ts';

/** The UBL attached to a mail, or why there is none (a writer's stable code). */
export type MailUbl = { format: UblFormat; xml: string } | { format: null; refusedWith: string };

/**
 * The e-invoice a buyer receives: NLCIUS between two Dutch parties (what Dutch software reads),
 * Peppol BIS otherwise, and Peppol too when NLCIUS refuses the document. A document neither can
 * carry — a Dutch consumer has no KvK number for NLCIUS (BR-NL-10) and no Peppol address (R010) —
 * goes without UBL; the PDF is the invoice then.
 */
export function chooseUbl(doc: InvoiceDocument): MailUbl {
  const bothDutch = doc.seller.address.country === 'NL' && doc.buyer.address.country === 'NL';
  const formats: UblFormat[] = bothDutch ? ['nlcius', 'peppol'] : ['peppol', 'nlcius'];
  let refusedWith = 'ubl_not_writable';
  for (const format of formats) {
    try {
      return { format, xml: writeUbl(doc, format) };
    } catch (err) {
      if (!isAppError(err)) throw err;
      if (format === formats[0]) refusedWith = err.code;
    }
  }
  return { format: null, refusedWith };
}

/** A file name from an invoice number, with anything unsafe in a header replaced. */
export function documentFileName(number: string, extension: string): string {
  return `${number.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
}

function body(doc: InvoiceDocument, hasUbl: boolean, privacyUrl?: string): string {
  const nl = doc.language === 'nl';
  const isCredit = doc.kind === 'credit_note';
  const amount = formatMoney(doc.totals.payableAmount, doc.currency, doc.language);
  const greeting = nl
    ? `Beste ${doc.buyer.contact?.name ?? doc.buyer.name},`
    : `Dear ${doc.buyer.contact?.name ?? doc.buyer.name},`;
  const lines: string[] = [greeting, ''];
  const date = formatDate(doc.issueDate, doc.language);
  if (isCredit) {
    const of = doc.creditedInvoice?.number;
    lines.push(
      nl
        ? `Hierbij ontvangt u creditnota ${doc.number} van ${date}${of ? ` bij factuur ${of}` : ''}, voor ${amount}.`
        : `Please find attached credit note ${doc.number} of ${date}${of ? ` for invoice ${of}` : ''}, for ${amount}.`,
    );
  } else {
    lines.push(
      nl
        ? `Hierbij ontvangt u factuur ${doc.number} van ${date}, voor ${amount}.`
        : `Please find attached invoice ${doc.number} of ${date}, for ${amount}.`,
    );
    const pay = doc.payment;
    if (pay && doc.totals.payableAmount > 0n) {
      const due = doc.dueDate ? formatDate(doc.dueDate, doc.language) : null;
      lines.push(
        nl
          ? `Wilt u het bedrag${due ? ` vóór ${due}` : ''} overmaken naar ${pay.iban} ten name van ${pay.accountName ?? doc.seller.name}, onder vermelding van ${pay.reference}?`
          : `Please transfer the amount${due ? ` by ${due}` : ''} to ${pay.iban} in the name of ${pay.accountName ?? doc.seller.name}, quoting ${pay.reference}.`,
      );
    }
  }
  lines.push(
    '',
    hasUbl
      ? nl
        ? 'De factuur is bijgevoegd als PDF en als e-factuur (UBL) voor uw boekhouding.'
        : 'The invoice is attached as a PDF and as an e-invoice (UBL) for your accounts.'
      : nl
        ? 'De factuur is bijgevoegd als PDF.'
        : 'The invoice is attached as a PDF.',
    '',
    nl ? 'Met vriendelijke groet,' : 'Kind regards,',
    doc.seller.name,
    '',
  );
  if (privacyUrl) {
    // Privacy center point 7: every invoice mail links the business's form for data-subject requests.
    lines.push(
      nl
        ? `Vragen over uw persoonsgegevens of een privacyverzoek (inzage, correctie, verwijdering): ${privacyUrl}`
        : `Questions about your personal data, or a privacy request (access, rectification, erasure): ${privacyUrl}?lang=en`,
      '',
    );
  }
  return lines.join('\n');
}

/** The mail for one issued invoice to `to`: subject and text in the document's language, PDF and UBL attached. */
export function composeInvoiceMail(
  doc: InvoiceDocument,
  to: string,
  pdf: Buffer,
  ubl: MailUbl,
  privacyUrl?: string,
): MailMessage {
  const nl = doc.language === 'nl';
  const what = doc.kind === 'credit_note' ? (nl ? 'Creditnota' : 'Credit note') : nl ? 'Factuur' : 'Invoice';
  const attachments: MailAttachment[] = [
    { filename: documentFileName(doc.number, 'pdf'), contentType: 'application/pdf', content: pdf },
  ];
  if (ubl.format) {
    attachments.push({
      filename: documentFileName(doc.number, 'xml'),
      contentType: 'application/xml',
      content: Buffer.from(ubl.xml, 'utf8'),
    });
  }
  const replyTo = doc.seller.contact?.email?.trim();
  return {
    to: [to],
    // Kluis sends; the customer's answer goes to the business.
    ...(replyTo ? { replyTo } : {}),
    subject: `${what} ${doc.number} ${nl ? 'van' : 'from'} ${doc.seller.name}`,
    text: body(doc, ubl.format !== null, privacyUrl),
    attachments,
  };
}
