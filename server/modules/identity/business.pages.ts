/** The business chooser after sign-in, for people who belong to several businesses. */
import type { BusinessOfUser } from './businesses.service.ts';
import { esc, type Lang, layout } from './pages.ts';

const TEXT = {
  nl: {
    title: 'Kies een bedrijf',
    hint: 'Je bent lid van meer dan één bedrijf. In welk bedrijf wil je werken? Je kunt later wisselen.',
    unnamed: '(naam niet beschikbaar)',
    go: 'Verder',
    roles: { owner: 'eigenaar', admin: 'beheerder', bookkeeper: 'boekhouder', viewer: 'kijker' },
  },
  en: {
    title: 'Choose a business',
    hint: 'You belong to more than one business. Which one do you want to work in? You can switch later.',
    unnamed: '(name not available)',
    go: 'Continue',
    roles: { owner: 'owner', admin: 'admin', bookkeeper: 'bookkeeper', viewer: 'viewer' },
  },
} as const;

/** One button per business; each posts that business for this interaction. */
export function chooseBusinessPage(lang: Lang, uid: string, list: readonly BusinessOfUser[]): string {
  const t = TEXT[lang];
  const action = `/auth/interaction/${encodeURIComponent(uid)}/business`;
  const items = list
    .map(
      (b) => `<form method="post" action="${action}">
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="business" value="${esc(b.id)}">
<button type="submit" class="secondary">${esc(b.name ?? t.unnamed)} · ${t.roles[b.role]}</button></form>`,
    )
    .join('\n');
  return layout(lang, t.title, `<p class="hint">${t.hint}</p>\n${items}`);
}
