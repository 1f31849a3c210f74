import { createHash } from 'node:crypto';
import { slugId } from '@clusterpolisee/kit';

/**
 * `slugId(day, title)`, plus a short hash of the title where the slug drops letters (Cyrillic,
 * Greek, ø...): the platform publishes in Bulgarian and Serbian, and without it every such title
 * of one day would share a single id and collide as a false duplicate.
 */
export function newsItemId(day: string, title: string): string {
  const unslugged = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[A-Za-z0-9]/g, '');
  const base = slugId(day, title);
  if (!/[\p{L}\p{N}]/u.test(unslugged)) return base;
  return `${base}-${createHash('sha256').update(title.normalize('NFC')).digest('hex').slice(0, 8)}`;
}
