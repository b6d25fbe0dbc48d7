/**
 * What makes the file PDF/A-3b and Factur-X besides its fonts: an sRGB ICC profile for the output
 * intent, and the XMP metadata (pdfaid part 3, conformance B, with the Factur-X extension schema when
 * an XML is embedded). The profile is built in code from the published sRGB figures (IEC 61966-2-1
 * primaries adapted to D50, the sRGB transfer curve) and deflated once per process.
 */
import { deflate } from './pdf-objects.ts';

function s15Fixed16(v: number): number {
  return Math.round(v * 65536) | 0;
}

function xyzTag(x: number, y: number, z: number): Buffer {
  const b = Buffer.alloc(20);
  b.write('XYZ ', 0, 'latin1');
  b.writeInt32BE(s15Fixed16(x), 8);
  b.writeInt32BE(s15Fixed16(y), 12);
  b.writeInt32BE(s15Fixed16(z), 16);
  return b;
}

function textDescription(text: string): Buffer {
  // textDescriptionType (ICC.1:2001-04 §6.5.17): ASCII, an empty Unicode part, an empty ScriptCode part.
  const b = Buffer.alloc(12 + text.length + 1 + 8 + 3 + 67);
  b.write('desc', 0, 'latin1');
  b.writeUInt32BE(text.length + 1, 8);
  b.write(text, 12, 'latin1');
  return b;
}

function textTag(text: string): Buffer {
  const b = Buffer.alloc(8 + text.length + 1);
  b.write('text', 0, 'latin1');
  b.write(text, 8, 'latin1');
  return b;
}

function srgbCurve(): Buffer {
  const n = 1024;
  const b = Buffer.alloc(12 + n * 2);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(n, 8);
  for (let i = 0; i < n; i++) {
    const v = i / (n - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    b.writeUInt16BE(Math.round(linear * 65535), 12 + i * 2);
  }
  return b;
}

/** A version 2 display profile for sRGB, as ICC.1:2001-04 lays it out. */
export function buildSrgbProfile(): Buffer {
  const curve = srgbCurve();
  const tags: [string, Buffer][] = [
    ['desc', textDescription('sRGB IEC61966-2.1 (Kluis)')],
    ['cprt', textTag('No copyright, use freely')],
    ['wtpt', xyzTag(0.9642, 1.0, 0.8249)],
    // The sRGB primaries chromatically adapted (Bradford) from D65 to the D50 connection space.
    ['rXYZ', xyzTag(0.4360747, 0.2225045, 0.0139322)],
    ['gXYZ', xyzTag(0.3850649, 0.7168786, 0.0971045)],
    ['bXYZ', xyzTag(0.1430804, 0.0606169, 0.7141733)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
  ];
  const table = Buffer.alloc(4 + tags.length * 12);
  table.writeUInt32BE(tags.length, 0);
  const data: Buffer[] = [];
  let at = 128 + table.length;
  const placed = new Map<Buffer, number>();
  tags.forEach(([sig, body], i) => {
    let offset = placed.get(body);
    if (offset === undefined) {
      offset = at;
      placed.set(body, at);
      const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
      data.push(padded);
      at += padded.length;
    }
    table.write(sig, 4 + i * 12, 'latin1');
    table.writeUInt32BE(offset, 8 + i * 12);
    table.writeUInt32BE(body.length, 12 + i * 12);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(at, 0);
  header.writeUInt32BE(0x02100000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  [2026, 1, 1, 0, 0, 0].forEach((v, i) => {
    header.writeUInt16BE(v, 24 + i * 2);
  });
  header.write('acsp', 36, 'latin1');
  header.writeInt32BE(s15Fixed16(0.9642), 68);
  header.writeInt32BE(s15Fixed16(1.0), 72);
  header.writeInt32BE(s15Fixed16(0.8249), 76);
  return Buffer.concat([header, table, ...data]);
}

let srgbDeflated: Buffer | undefined;

/** The sRGB profile, deflated, built once per process. */
export function srgbProfileDeflated(): Buffer {
  srgbDeflated ??= deflate(buildSrgbProfile());
  return srgbDeflated;
}

function xml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isoDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const FX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

const fxProperty = (name: string, description: string) =>
  `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name>` +
  '<pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>' +
  `<pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;

// Every custom property in PDF/A XMP must be described by an extension schema (ISO 19005-3 §6.6.2.3).
const FACTUR_X_XMP =
  '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" ' +
  'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">' +
  '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">' +
  '<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>' +
  `<pdfaSchema:namespaceURI>${FX_NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix>` +
  '<pdfaSchema:property><rdf:Seq>' +
  fxProperty('DocumentFileName', 'The name of the embedded XML document') +
  fxProperty('DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER') +
  fxProperty('Version', 'The actual version of the standard applying to the embedded XML document') +
  fxProperty('ConformanceLevel', 'The conformance level of the embedded XML document') +
  '</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n' +
  `<rdf:Description rdf:about="" xmlns:fx="${FX_NS}"><fx:DocumentType>INVOICE</fx:DocumentType>` +
  '<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName><fx:Version>1.0</fx:Version>' +
  '<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>\n';

/** What the XMP packet says about one document; it must agree with the Info dictionary. */
export interface XmpFields {
  title: string;
  author: string;
  producer: string;
  date: Date;
  language: string;
  hasFacturX: boolean;
}

/** The XMP packet: PDF/A-3B identification, Dublin Core, dates, and the Factur-X schema when embedded. */
export function buildXmp(f: XmpFields): Buffer {
  const date = isoDate(f.date);
  const text =
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">' +
    '<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format>' +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(f.title)}</rdf:li></rdf:Alt></dc:title>` +
    `<dc:creator><rdf:Seq><rdf:li>${xml(f.author)}</rdf:li></rdf:Seq></dc:creator>` +
    `<dc:language><rdf:Bag><rdf:li>${xml(f.language)}</rdf:li></rdf:Bag></dc:language></rdf:Description>\n` +
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
    `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>` +
    `<xmp:MetadataDate>${date}</xmp:MetadataDate><xmp:CreatorTool>${xml(f.producer)}</xmp:CreatorTool></rdf:Description>\n` +
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">' +
    `<pdf:Producer>${xml(f.producer)}</pdf:Producer></rdf:Description>\n` +
    (f.hasFacturX ? FACTUR_X_XMP : '') +
    '</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>';
  return Buffer.from(text, 'utf8');
}
