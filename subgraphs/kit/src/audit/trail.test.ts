import { diff } from './trail';

test('a creation lists every stored field with no value before', () => {
  expect(diff(undefined, { _id: 'x', title: 'Kick-off', version: 1 })).toEqual([
    { field: '_id', before: null, after: '"x"' },
    { field: 'title', before: null, after: '"Kick-off"' },
    { field: 'version', before: null, after: '1' },
  ]);
});

test('an update lists only what changed, dates and nested values as JSON, timestamps left out', () => {
  const before = {
    _id: 'x',
    amountCents: 100,
    on: new Date('2013-01-01T00:00:00Z'),
    translations: [{ lang: 'en', title: 'A' }],
    updatedAt: new Date(1),
    id: 'x',
  };
  const after = {
    ...before,
    amountCents: 250,
    translations: [{ lang: 'en', title: 'B' }],
    updatedAt: new Date(2),
  };
  expect(diff(before, after)).toEqual([
    { field: 'amountCents', before: '100', after: '250' },
    { field: 'translations', before: '[{"lang":"en","title":"A"}]', after: '[{"lang":"en","title":"B"}]' },
  ]);
});

test('a field cleared to null or removed shows its old value and null', () => {
  expect(diff({ note: 'n', other: 'o' }, { note: null })).toEqual([
    { field: 'note', before: '"n"', after: 'null' },
    { field: 'other', before: '"o"', after: null },
  ]);
});
