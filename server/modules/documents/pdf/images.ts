/**
 * The business's logo as an image XObject. A JPEG goes in as it is (DCTDecode); a PNG is decoded
 * here (node:zlib, the five row filters, grey/RGB/palette, 1–16 bits) and written as RGB or grey
 * samples with its alpha channel as a soft mask, which PDF/A-3 allows. CMYK JPEGs and interlaced PNGs
 * are refused: the first would need a CMYK output intent, the second is rare enough for logos.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { deflate, type PdfWriter } from './pdf-objects.ts';

/** A decoded raster: 8-bit samples, row by row, without padding. */
export interface Raster {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  pixels: Buffer;
  /** One 8-bit alpha sample per pixel, when the image has transparency. */
  alpha: Buffer | null;
}

/** An image placed in a document: its object and its size in pixels. */
export interface ImageRef {
  object: number;
  width: number;
  height: number;
}

/** Raised for an image Kluis cannot embed; the caller leaves the logo out. */
export class UnsupportedImageError extends Error {}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a non-interlaced PNG into 8-bit grey or RGB samples plus alpha. */
export function decodePng(png: Buffer): Raster {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new UnsupportedImageError('not a PNG');
  let at = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = 0;
  let palette: Buffer | null = null;
  let trns: Buffer | null = null;
  const idat: Buffer[] = [];
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const kind = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data.readUInt8(8);
      type = data.readUInt8(9);
      if (data.readUInt8(12) !== 0) throw new UnsupportedImageError('interlaced PNG');
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'tRNS') trns = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    at += 12 + length;
  }
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type];
  if (!samples || width === 0 || height === 0) throw new UnsupportedImageError(`PNG colour type ${type}`);
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = Math.max(1, (samples * depth) / 8);
  const stride = Math.ceil((width * samples * depth) / 8);
  const rows = Buffer.alloc(stride * height);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (out[x - bpp] as number) : 0;
      const b = prev[x] as number;
      const c = x >= bpp ? (prev[x - bpp] as number) : 0;
      const v = line[x] as number;
      out[x] =
        filter === 0
          ? v
          : filter === 1
            ? v + a
            : filter === 2
              ? v + b
              : filter === 3
                ? v + ((a + b) >> 1)
                : v + paeth(a, b, c);
    }
    prev = out;
  }
  // Reads sample i of row y as 8 bits, whatever the bit depth.
  const sample = (y: number, i: number): number => {
    const row = y * stride;
    if (depth === 8) return rows[row + i] as number;
    if (depth === 16) return rows[row + i * 2] as number;
    const bit = i * depth;
    const v = ((rows[row + (bit >> 3)] as number) >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    return type === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  const channels: 1 | 3 = type === 0 || type === 4 ? 1 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  const hasAlpha = type === 4 || type === 6 || trns !== null;
  const alpha = hasAlpha ? Buffer.alloc(width * height, 255) : null;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (type === 3) {
        const index = sample(y, x);
        if (!palette) throw new UnsupportedImageError('palette PNG without PLTE');
        palette.copy(pixels, p * 3, index * 3, index * 3 + 3);
        if (alpha && trns) alpha[p] = index < trns.length ? (trns[index] as number) : 255;
      } else {
        for (let c = 0; c < channels; c++) pixels[p * channels + c] = sample(y, x * samples + c);
        if (alpha && (type === 4 || type === 6)) alpha[p] = sample(y, x * samples + channels);
        else if (alpha && trns && depth === 8) {
          const key =
            channels === 1
              ? [trns.readUInt16BE(0)]
              : [trns.readUInt16BE(0), trns.readUInt16BE(2), trns.readUInt16BE(4)];
          if (key.every((k, c) => k === pixels[p * channels + c])) alpha[p] = 0;
        }
      }
    }
  }
  return { width, height, channels, pixels, alpha: alpha?.some((a) => a !== 255) ? alpha : null };
}

// The frame header (SOF0–SOF15 except DHT/JPG/DAC) gives size and components.
function jpegInfo(jpeg: Buffer): { width: number; height: number; components: number } {
  if (jpeg.readUInt16BE(0) !== 0xffd8) throw new UnsupportedImageError('not a JPEG');
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) throw new UnsupportedImageError('corrupt JPEG');
    const marker = jpeg[at + 1] as number;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: jpeg.readUInt16BE(at + 5),
        width: jpeg.readUInt16BE(at + 7),
        components: jpeg[at + 9] as number,
      };
    }
    at += 2 + length;
  }
  throw new UnsupportedImageError('JPEG without a frame header');
}

/** An image ready to be written: stream dictionaries and encoded bodies. */
interface PreparedImage {
  width: number;
  height: number;
  dict: string;
  body: Buffer;
  filter: string;
  mask: { dict: string; body: Buffer } | null;
}

function prepareImage(data: Buffer, mediaType: 'image/png' | 'image/jpeg'): PreparedImage {
  if (mediaType === 'image/jpeg') {
    const { width, height, components } = jpegInfo(data);
    if (components !== 1 && components !== 3) throw new UnsupportedImageError('CMYK JPEG');
    const cs = components === 1 ? '/DeviceGray' : '/DeviceRGB';
    const dict = `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${cs} /BitsPerComponent 8`;
    return { width, height, dict, body: data, filter: 'DCTDecode', mask: null };
  }
  const r = decodePng(data);
  const size = `/Type /XObject /Subtype /Image /Width ${r.width} /Height ${r.height} /BitsPerComponent 8`;
  return {
    width: r.width,
    height: r.height,
    dict: `${size} /ColorSpace ${r.channels === 1 ? '/DeviceGray' : '/DeviceRGB'}`,
    body: deflate(r.pixels),
    filter: 'FlateDecode',
    mask: r.alpha ? { dict: `${size} /ColorSpace /DeviceGray`, body: deflate(r.alpha) } : null,
  };
}

// A business's logo is the same on all its invoices: decode and compress it once per process.
const prepared = new Map<string, PreparedImage>();
const MAX_PREPARED = 256;

/** Writes a PNG or JPEG as an image XObject (with a soft mask for PNG alpha). */
export function writeImage(pdf: PdfWriter, data: Buffer, mediaType: 'image/png' | 'image/jpeg'): ImageRef {
  const key = `${mediaType}:${createHash('sha256').update(data).digest('base64')}`;
  let image = prepared.get(key);
  if (!image) {
    image = prepareImage(data, mediaType);
    if (prepared.size >= MAX_PREPARED) prepared.delete(prepared.keys().next().value as string);
    prepared.set(key, image);
  }
  const mask = image.mask ? pdf.addStream(image.mask.dict, image.mask.body, { filter: 'FlateDecode' }) : null;
  const object = pdf.addStream(`${image.dict}${mask ? ` /SMask ${mask} 0 R` : ''}`, image.body, {
    filter: image.filter,
  });
  return { object, width: image.width, height: image.height };
}
