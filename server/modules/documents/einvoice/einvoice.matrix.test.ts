/**
 * Documents point 5: every matrix invoice as UBL (Peppol and NLCIUS), CII and a Factur-X PDF/A-3
 * (rendered by Kluis's own PDF writer with the CII embedded), checked by the official rules in
 * `../shared/einvoice/validate.sh` in one call. Zero fatal findings; warnings are printed.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isAppError } from '../../../../domain/errors.ts';
import { renderInvoicePdf } from '../pdf/render.ts';
import { writeCii } from './cii.ts';
import { matrixCases } from './matrix.fixtures.ts';
import { writeUbl } from './ubl.ts';

const UBL_FORMATS = ['peppol', 'nlcius'] as const;

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const validator = path.resolve(repoRoot, '../shared/einvoice/validate.sh');
const PACKAGES = 'default-jdk-headless libsaxonhe-java libxml2-utils poppler-utils';

interface Finding {
  flag: string;
  id: string;
  message: string;
  location: string;
}
interface FileResult {
  file: string;
  valid: boolean;
  fatal: number;
  warnings: number;
  findings: Finding[];
}

// The oracle needs Java, Saxon and xmllint: a missing one fails the test with what to install,
// because a silently skipped check would let an invalid e-invoice through.
function assertOracleInstalled(): void {
  const missing = ['java', 'javac', 'xmllint'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (!existsSync('/usr/share/java/Saxon-HE.jar')) missing.push('Saxon-HE.jar');
  assert.deepEqual(
    missing,
    [],
    `The e-invoice oracle cannot run (missing: ${missing.join(', ')}). Install: apt-get install -y ${PACKAGES}`,
  );
  assert.ok(existsSync(validator), `No validator at ${validator}`);
}

function validate(files: readonly string[], extra: readonly string[] = []): FileResult[] {
  const run = spawnSync(validator, ['--json', ...extra, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.notEqual(run.status, 2, `validate.sh could not run: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as FileResult);
}

function report(results: readonly FileResult[]): string[] {
  const problems: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const line = `${path.basename(r.file)}: ${f.flag} ${f.id} ${f.message} @ ${f.location}`;
      if (f.flag === 'warning' || f.flag === 'information') console.log(`  ${line}`);
      else problems.push(line);
    }
    if (r.fatal > 0 && r.findings.length === 0) problems.push(`${path.basename(r.file)}: ${r.fatal} fatal`);
  }
  return problems;
}

let dir = '';
const ublFiles: string[] = [];
const ciiFiles: string[] = [];
const pdfFiles: string[] = [];

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kluis-einvoice-'));
  for (const { key, doc, ubl } of matrixCases()) {
    const cii = writeCii(doc);
    const pdf = {
      filename: `${key}.pdf`,
      data: renderInvoicePdf(doc, { facturX: Buffer.from(cii, 'utf8') }),
    };
    const pdfFile = path.join(dir, `${key}.pdf`);
    writeFileSync(pdfFile, pdf.data);
    pdfFiles.push(pdfFile);
    for (const format of ubl ?? UBL_FORMATS) {
      const file = path.join(dir, `${key}.${format}.xml`);
      writeFileSync(file, writeUbl(doc, format, key === 'domestic-21' ? { pdf } : {}));
      ublFiles.push(file);
    }
    const file = path.join(dir, `${key}.cii.xml`);
    writeFileSync(file, cii);
    ciiFiles.push(file);
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the matrix covers at least 15 invoices', () => {
  assert.ok(matrixCases().length >= 15);
});

test('consumers get every UBL the rules allow, and a stable refusal for the others', () => {
  const refusals: string[] = [];
  for (const { key, doc, ubl } of matrixCases()) {
    for (const format of UBL_FORMATS.filter((f) => ubl && !ubl.includes(f))) {
      assert.throws(
        () => writeUbl(doc, format),
        (err: unknown) => isAppError(err) && err.kind === 'invalid' && /^[a-z_]+$/.test(err.code),
        `${key} ${format}`,
      );
      refusals.push(`${key}:${format}`);
    }
  }
  // Only the consumers lack a format: a Dutch one both, one abroad Peppol, one on Peppol NLCIUS.
  assert.deepEqual(refusals.sort(), [
    'consumer-abroad:peppol',
    'consumer-on-peppol:nlcius',
    'consumer:nlcius',
    'consumer:peppol',
  ]);
});

test('every UBL (Peppol, NLCIUS), CII and Factur-X PDF of the matrix passes the official rules, in one call', () => {
  assertOracleInstalled();
  const files = [...ublFiles, ...ciiFiles, ...pdfFiles];
  const results = validate(files);
  assert.equal(results.length, files.length, 'one result per file');
  const problems = report(results);
  const warnings = results.reduce((sum, r) => sum + r.warnings, 0);
  console.log(`  ${files.length} files, ${problems.length} fatal findings, ${warnings} warnings`);
  assert.deepEqual(problems, []);
  assert.ok(results.every((r) => r.valid && r.fatal === 0));
});

test('every CII of the matrix also passes the Factur-X EN 16931 rules the PDF is checked with', () => {
  assertOracleInstalled();
  const results = validate(ciiFiles, ['--profile', 'facturx']);
  assert.equal(results.length, ciiFiles.length);
  assert.deepEqual(report(results), []);
});
