/**
 * `renderInvoicePdf`: an issued invoice or credit note as a PDF/A-3b file, optionally a Factur-X
 * invoice with its CII XML embedded. Layout first (which decides the glyphs used), then the objects:
 * pages, font subsets, logo, ICC output intent, XMP, the embedded file, and the trailer. Nothing reads
 * the clock or randomness: dates come from `issuedAt`, names and IDs from hashes of the content.
 */
import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { Canvas, INK, MUTED, PAGE_HEIGHT, PAGE_WIDTH, parseColor, type Rgb } from './canvas.ts';
import { documentFonts } from './fonts.ts';
import { type ImageRef, UnsupportedImageError, writeImage } from './images.ts';
import { documentTitle, drawContinuationHeader, drawHeader, drawLines, type Layout } from './layout.ts';
import { drawFooters, drawPayment, drawTexts, drawTotals } from './layout-summary.ts';
import { num, PdfWriter, pdfDate, pdfText, ref } from './pdf-objects.ts';
import { buildXmp, srgbProfileDeflated } from './pdfa.ts';

/** Options of one rendering. */
export interface RenderOptions {
  /** A CII D16B XML to embed as factur-x.xml (Factur-X profile EN 16931). */
  facturX?: Buffer;
  /**
   * A preview of a draft: `watermark` is printed diagonally across every page, and the payment box
   * leaves out the EPC QR code so nobody can pay a document that is not an invoice.
   */
  draft?: { watermark: string };
  /**
   * The business's public form for data-subject requests (Privacy center point 7), printed in the
   * footer of every page so the people on the invoice can find it.
   */
  privacyUrl?: string;
}

/** The producer named in the Info dictionary and XMP. */
const PRODUCER = 'Kluis';
/** Kluis's default accent when the business chose none: a calm dark blue. */
const DEFAULT_ACCENT: Rgb = [0.11, 0.3, 0.5];

function luminance(c: Rgb): number {
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/**
 * Puts `text` diagonally across the middle of every page, in a light grey, beneath the content: it is
 * the first thing on each page, inside its own q/Q so the page's own colour and font state start
 * afresh; and level in the top margin. Opaque colours, no transparency group, so the file stays
 * valid PDF/A-3b.
 */
function drawWatermark(c: Canvas, text: string): void {
  const size = 44;
  const width = c.fonts.bold.width(text, size);
  const angle = Math.atan2(PAGE_HEIGHT, PAGE_WIDTH);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // Start so that the text's middle sits on the page's centre.
  const x = PAGE_WIDTH / 2 - (width / 2) * cos;
  const y = PAGE_HEIGHT / 2 - (width / 2) * sin;
  const hex = c.fonts.bold.encode(text);
  const ops =
    `q 0.86 0.87 0.89 rg BT /F2 ${num(size)} Tf ${num(cos)} ${num(sin)} ${num(-sin)} ${num(cos)} ` +
    `${num(x)} ${num(y)} Tm <${hex}> Tj ET Q`;
  c.pages.forEach((page, i) => {
    page.unshift(ops);
    // And once more, level and readable, in the top margin, so it is read out and found by search too.
    c.turnToPage(i);
    c.text(text.toUpperCase(), PAGE_WIDTH / 2, 22, { font: 'bold', size: 9, color: MUTED, align: 'center' });
  });
}

/** Renders an invoice document to PDF/A-3b bytes; the same document always gives the same bytes. */
export function renderInvoicePdf(doc: InvoiceDocument, options: RenderOptions = {}): Buffer {
  const pdf = new PdfWriter();
  const catalog = pdf.alloc();
  const pagesRoot = pdf.alloc();
  const lang = doc.language;

  let logo: ImageRef | null = null;
  if (doc.style?.logo) {
    try {
      logo = writeImage(pdf, doc.style.logo.data, doc.style.logo.mediaType);
    } catch (error) {
      // A logo Kluis cannot embed (CMYK, interlaced, damaged) must not stop an invoice from being issued.
      if (!(error instanceof UnsupportedImageError) && !(error instanceof RangeError)) throw error;
    }
  }

  const accent = parseColor(doc.style?.accentColor, DEFAULT_ACCENT);
  const c = new Canvas(documentFonts());
  const l: Layout = {
    c,
    doc,
    lang,
    accent,
    onAccent: luminance(accent) > 0.6 ? INK : [1, 1, 1],
    logo: logo ? { name: 'Im1', width: logo.width, height: logo.height } : null,
    draft: options.draft !== undefined,
    y: 0,
  };
  const newPage = () => {
    c.addPage();
    drawContinuationHeader(l);
  };
  c.addPage();
  drawHeader(l);
  drawLines(l, newPage);
  drawTotals(l, newPage);
  drawTexts(l, newPage);
  drawPayment(l, newPage);
  drawFooters(l, options.privacyUrl);
  if (options.draft) drawWatermark(c, options.draft.watermark);

  const fontRegular = c.fonts.regular.write(pdf);
  const fontBold = c.fonts.bold.write(pdf);
  const resources =
    `<< /Font << /F1 ${ref(fontRegular)} /F2 ${ref(fontBold)} >>` +
    (logo ? ` /XObject << /Im1 ${ref(logo.object)} >>` : '') +
    ' >>';
  const resourcesObj = pdf.add(resources);
  const pageRefs: number[] = [];
  for (const ops of c.pages) {
    const content = pdf.addStream('', Buffer.from(ops.join('\n'), 'latin1'), { compress: true });
    pageRefs.push(
      pdf.add(
        `<< /Type /Page /Parent ${ref(pagesRoot)} /MediaBox [0 0 595.28 841.89] ` +
          `/Resources ${ref(resourcesObj)} /Contents ${ref(content)} >>`,
      ),
    );
  }
  pdf.put(pagesRoot, `<< /Type /Pages /Kids [${pageRefs.map(ref).join(' ')}] /Count ${pageRefs.length} >>`);

  const title = `${documentTitle(doc, lang)} ${doc.number}`;
  const author = doc.seller.name;
  const date = pdfDate(doc.issuedAt);
  const info = pdf.add(
    `<< /Title ${pdfText(title)} /Author ${pdfText(author)} /Creator ${pdfText(PRODUCER)} ` +
      `/Producer ${pdfText(PRODUCER)} /CreationDate (${date}) /ModDate (${date}) >>`,
  );
  const xmp = buildXmp({
    title,
    author,
    producer: PRODUCER,
    date: doc.issuedAt,
    language: lang,
    hasFacturX: options.facturX !== undefined,
  });
  // PDF/A wants the metadata stream readable without decoding (no filter).
  const metadata = pdf.addStream('/Type /Metadata /Subtype /XML', xmp);
  const icc = pdf.putPrecompressed(pdf.alloc(), '/N 3', srgbProfileDeflated());
  const intent = pdf.add(
    `<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) ` +
      `/Info (sRGB IEC61966-2.1) /DestOutputProfile ${ref(icc)} >>`,
  );

  let attachments = '';
  if (options.facturX) {
    const xml = options.facturX;
    const file = pdf.addStream(
      `/Type /EmbeddedFile /Subtype /text#2Fxml /Params << /Size ${xml.length} /ModDate (${date}) >>`,
      xml,
      { compress: true },
    );
    const spec = pdf.add(
      '<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /Desc (Factur-X invoice) ' +
        `/AFRelationship /Alternative /EF << /F ${ref(file)} /UF ${ref(file)} >> >>`,
    );
    attachments = ` /Names << /EmbeddedFiles << /Names [(factur-x.xml) ${ref(spec)}] >> >> /AF [${ref(spec)}]`;
  }
  pdf.put(
    catalog,
    `<< /Type /Catalog /Pages ${ref(pagesRoot)} /Metadata ${ref(metadata)} /OutputIntents [${ref(intent)}] ` +
      `/Lang (${lang === 'nl' ? 'nl-NL' : 'en'}) /ViewerPreferences << /DisplayDocTitle true >>${attachments} >>`,
  );
  return pdf.finish(catalog, info);
}
