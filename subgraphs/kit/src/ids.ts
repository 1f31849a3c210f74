import { createHash } from 'node:crypto';

/**
 * A readable, stable id from parts: `slugId('IT', 'Marche Region')` is `it-marche-region`.
 *
 * Letters the slug cannot spell (Cyrillic, Greek...) are dropped from it, so where that happens
 * a short hash of the parts is appended: the platform's content is in Bulgarian and Serbian too,
 * and without the hash every such name of one country or day would share a single id.
 */
export function slugId(...parts: string[]): string {
  const text = parts.join(' ');
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  const unspelled = /[\p{L}\p{N}]/u.test(folded.replace(/[A-Za-z0-9]/g, ''));
  if (!unspelled) return slug;
  const hash = createHash('sha256').update(text.normalize('NFC')).digest('hex').slice(0, 8);
  return slug ? `${slug}-${hash}` : hash;
}
