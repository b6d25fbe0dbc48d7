/**
 * The public legal pages as server-rendered HTML: escaped text, no inline script or style (the
 * CSP forbids both), the look from /auth/kluis.css like the identity pages.
 */
import type { LegalDocument } from './documents.ts';

/** Escapes text for HTML content and attributes. */
export function esc(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const NAV: [string, string][] = [
  ['/voorwaarden', 'Voorwaarden'],
  ['/verwerkersovereenkomst', 'Verwerkersovereenkomst'],
  ['/privacy', 'Privacy'],
  ['/subverwerkers', 'Subverwerkers'],
  ['/beveiliging', 'Beveiliging'],
];

/** A legal document as a complete HTML page. */
export function legalPage(doc: LegalDocument): string {
  const sections = doc.sections
    .map((s, i) => {
      const blocks = s.blocks
        .map((b) => {
          if ('p' in b) return `<p>${esc(b.p)}</p>`;
          if ('list' in b) return `<ul>${b.list.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
          const head = b.table.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
          const rows = b.table.rows
            .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
            .join('');
          return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
        })
        .join('\n');
      return `<section><h2>${i + 1}. ${esc(s.heading)}</h2>\n${blocks}</section>`;
    })
    .join('\n');
  const nav = NAV.map(([href, label]) => `<a href="${href}">${esc(label)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title)} · Kluis</title><link rel="stylesheet" href="/auth/kluis.css"></head>
<body><main class="legal"><h1>${esc(doc.title)}</h1>
<p class="hint">Versie ${esc(doc.version.version)} van ${esc(doc.version.date)}</p>
${sections}
<footer><nav>${nav}</nav></footer></main></body></html>`;
}
