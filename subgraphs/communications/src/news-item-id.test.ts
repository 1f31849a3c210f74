import { newsItemId } from './news-item-id';

test('a Latin title gives the plain slug of day and title', () => {
  expect(newsItemId('2014-10-30', 'Final conference in Ancona')).toBe(
    '2014-10-30-final-conference-in-ancona',
  );
  expect(newsItemId('2014-10-30', 'Politiche per i cluster: più innovazione')).toBe(
    '2014-10-30-politiche-per-i-cluster-piu-innovazione',
  );
});

test('titles the slug cannot spell keep apart, and the same one stays the same', () => {
  const first = newsItemId('2014-10-30', 'Заключителна конференция');
  const second = newsItemId('2014-10-30', 'Клъстерна политика');
  expect(first).toMatch(/^2014-10-30-[0-9a-f]{8}$/);
  expect(second).not.toBe(first);
  expect(newsItemId('2014-10-30', 'Заключителна конференция')).toBe(first);
});
