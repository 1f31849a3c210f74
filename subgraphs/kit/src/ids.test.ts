import { slugId } from './ids';

test('Latin text gives the plain slug, accents folded', () => {
  expect(slugId('IT', 'Marche Region')).toBe('it-marche-region');
  expect(slugId('2014-10-30', 'Final conference in Ancona')).toBe('2014-10-30-final-conference-in-ancona');
  expect(slugId('2014-10-30', 'Politiche per i cluster: più innovazione')).toBe(
    '2014-10-30-politiche-per-i-cluster-piu-innovazione',
  );
});

test('text the slug cannot spell stays apart, and the same text keeps its id', () => {
  const first = slugId('2014-10-30', 'Заключителна конференция');
  const second = slugId('2014-10-30', 'Клъстерна политика');
  expect(first).toMatch(/^2014-10-30-[0-9a-f]{8}$/);
  expect(second).not.toBe(first);
  expect(slugId('2014-10-30', 'Заключителна конференция')).toBe(first);
  expect(slugId('BG', 'ИАНМСП')).toMatch(/^bg-[0-9a-f]{8}$/);
  expect(slugId('Αθήνα')).toMatch(/^[0-9a-f]{8}$/);
});

test('long text is cut at 80 characters without a trailing dash', () => {
  const id = slugId('x'.repeat(79), 'y');
  expect(id.length).toBeLessThanOrEqual(80);
  expect(id.endsWith('-')).toBe(false);
});
