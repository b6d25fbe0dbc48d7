/**
 * The EPC QR code ("girocode", EPC069-12 version 002) that lets a banking app pre-fill a SEPA credit
 * transfer: the payload is built here, the QR matrix by the `qrcode` package (pure JS) in byte mode
 * with error correction M, as the EPC guideline requires. Only for EUR amounts from 0.01 to
 * 999,999,999.99 and at most 331 bytes.
 */
import QRCode from 'qrcode';
import { num } from './pdf-objects.ts';

/** What the EPC payload needs. */
export interface EpcTransfer {
  name: string;
  iban: string;
  bic: string | null;
  /** Amount in euro cents. */
  amountCents: bigint;
  /** The payment reference: an ISO 11649 RF reference goes in the structured field, any other in the text field. */
  reference: string;
}

const MAX_PAYLOAD_BYTES = 331;

/** Whether `ref` is a valid ISO 11649 creditor reference (RF + 2 check digits + up to 21 characters). */
export function isRfReference(ref: string): boolean {
  const r = ref.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(r)) return false;
  const moved = (r.slice(4) + r.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of moved) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/** The EPC069-12 v002 payload, or null when the transfer cannot be expressed (amount, length). */
export function epcPayload(t: EpcTransfer): string | null {
  if (t.amountCents < 1n || t.amountCents > 99_999_999_999n) return null;
  const euros = `${t.amountCents / 100n}.${String(t.amountCents % 100n).padStart(2, '0')}`;
  const reference = t.reference.trim();
  const structured = isRfReference(reference) ? reference.replace(/\s+/g, '').toUpperCase() : '';
  const lines = [
    'BCD',
    '002',
    '1', // UTF-8
    'SCT',
    t.bic?.replace(/\s+/g, '') ?? '',
    [...t.name.trim()].slice(0, 70).join(''),
    t.iban.replace(/\s+/g, '').toUpperCase(),
    `EUR${euros}`,
    '', // purpose code
    structured,
    structured ? '' : [...reference].slice(0, 140).join(''),
  ];
  while (lines.at(-1) === '') lines.pop();
  const payload = lines.join('\n');
  return Buffer.byteLength(payload, 'utf8') <= MAX_PAYLOAD_BYTES ? payload : null;
}

// The eight data masks of ISO/IEC 18004 §7.8.2, by row i and column j.
const MASKS: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

// Format information for error correction level M and masks 0–7, BCH-coded and XOR-ed (ISO/IEC 18004 Table C.1).
const FORMAT_M = [0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0];

function placeFormat(m: Uint8Array, size: number, mask: number): void {
  const bits = FORMAT_M[mask] as number;
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    m[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i;
    m[8 * size + col] = bit;
  }
  m[(size - 8) * size + 8] = 1;
}

// The penalty score of ISO/IEC 18004 §7.8.3: runs (N1), 2×2 blocks (N2), finder-like patterns (N3),
// and the balance of dark modules (N4). Lower reads better.
function penalty(m: Uint8Array, size: number): number {
  let score = 0;
  let dark = 0;
  for (let a = 0; a < size; a++) {
    const ra = a * size;
    let runRow = 1;
    let runCol = 1;
    let row = 0;
    let col = 0;
    // The module before in the row and in the column, and the two above in the previous row, are
    // carried along instead of read again.
    let prevR = 0;
    let prevC = 0;
    let upPrev = 0;
    for (let b = 0; b < size; b++) {
      const vr = m[ra + b] as number;
      const vc = m[b * size + a] as number;
      dark += vr;
      row = ((row << 1) | vr) & 0x7ff;
      col = ((col << 1) | vc) & 0x7ff;
      if (b >= 10 && (row === 0x5d0 || row === 0x05d)) score += 40;
      if (b >= 10 && (col === 0x5d0 || col === 0x05d)) score += 40;
      if (b > 0) {
        if (vr === prevR) runRow++;
        else {
          if (runRow >= 5) score += runRow - 2;
          runRow = 1;
        }
        if (vc === prevC) runCol++;
        else {
          if (runCol >= 5) score += runCol - 2;
          runCol = 1;
        }
      }
      if (a > 0) {
        const up = m[ra - size + b] as number;
        if (b > 0) {
          const s4 = vr + prevR + up + upPrev;
          if (s4 === 0 || s4 === 4) score += 3;
        }
        upPrev = up;
      }
      prevR = vr;
      prevC = vc;
    }
    if (runRow >= 5) score += runRow - 2;
    if (runCol >= 5) score += runCol - 2;
  }
  return score + Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5) * 10;
}

// Per symbol size, which modules change when mask 0 is replaced by mask k: data modules where the
// two masks differ. Function patterns depend only on the size, so this is computed once per size.
const flipCache = new Map<number, Uint8Array[]>();

function maskFlips(size: number, reserved: Uint8Array): Uint8Array[] {
  let flips = flipCache.get(size);
  if (!flips) {
    flips = MASKS.map((fn) => {
      const f = new Uint8Array(size * size);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          if (!reserved[i * size + j] && ((i + j) % 2 === 0) !== fn(i, j)) f[i * size + j] = 1;
        }
      }
      return f;
    });
    flipCache.set(size, flips);
  }
  return flips;
}

/**
 * The QR matrix of `payload` (byte mode, level M): `size` × `size` modules, 1 = dark, row-major.
 * `qrcode` builds the symbol once with mask 0; the mask with the lowest penalty is then chosen here,
 * because the package's own search costs about a millisecond per code.
 */
export function qrMatrix(payload: string): { size: number; modules: Uint8Array; mask: number } {
  const qr = QRCode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: 0,
  });
  const size = qr.modules.size;
  const base = qr.modules.data;
  const flips = maskFlips(size, (qr.modules as unknown as { reservedBit: Uint8Array }).reservedBit);
  let best: Uint8Array = base;
  let bestMask = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    let m = base;
    if (mask !== 0) {
      m = new Uint8Array(base.length);
      const flip = flips[mask] as Uint8Array;
      for (let k = 0; k < m.length; k++) m[k] = (base[k] as number) ^ (flip[k] as number);
      placeFormat(m, size, mask);
    }
    const score = penalty(m, size);
    if (score < bestScore) [best, bestMask, bestScore] = [m, mask, score];
  }
  return { size, modules: best, mask: bestMask };
}

/**
 * Content-stream operators that draw the matrix with its top-left corner at (x, top), `side` points
 * wide, dark modules in the current fill colour; runs of dark modules in a row become one rectangle.
 */
export function qrOps(
  matrix: { size: number; modules: Uint8Array },
  x: number,
  top: number,
  side: number,
): string {
  const { size, modules } = matrix;
  const m = side / size;
  const ops: string[] = [];
  for (let r = 0; r < size; r++) {
    let c = 0;
    while (c < size) {
      if (!modules[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && modules[r * size + c]) c++;
      ops.push(`${num(x + start * m)} ${num(top - (r + 1) * m)} ${num((c - start) * m)} ${num(m)} re`);
    }
  }
  ops.push('f');
  return ops.join('\n');
}
