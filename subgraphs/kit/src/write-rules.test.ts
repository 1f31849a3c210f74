import { GraphQLError } from 'graphql';
import { archivedFilter } from './archiving';
import { listSort } from './sorting';
import { CANNOT_CLEAR, changedOnly, updateInput } from './update-input';

interface Input {
  title?: string | null;
  note?: string | null;
  tags?: string[] | null;
}

const blankIsNothing = (value: string) => value.trim() || undefined;

test('a field left out is no change, and is not written', () => {
  const change = updateInput<Input>({});
  const changes = changedOnly({
    title: change.required('title'),
    note: change.optional('note', blankIsNothing),
    tags: change.optional('tags', (v) => v, []),
  });
  expect(changes).toEqual({});
  expect('title' in changes).toBe(false);
});

test('null on a required field is BAD_USER_INPUT naming it; its check never runs', () => {
  const check = jest.fn();
  const change = updateInput<Input>({ title: null });
  let error: unknown;
  try {
    change.required('title', check);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).message).toBe(`input.title: ${CANNOT_CLEAR}`);
  expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
  expect(check).not.toHaveBeenCalled();
});

test('null or blank on an optional field clears it; a list clears to empty', () => {
  expect(updateInput<Input>({ note: null }).optional('note', blankIsNothing)).toBeNull();
  expect(updateInput<Input>({ note: '  ' }).optional('note', blankIsNothing)).toBeNull();
  expect(updateInput<Input>({ tags: null }).optional('tags', (v) => v, [])).toEqual([]);
});

test('a value is checked with the field named from the path', () => {
  const change = updateInput<Input>({ title: ' New ', note: 'n' }, 'input.item');
  expect(change.required('title', (v, field) => `${field}=${v.trim()}`)).toBe('input.item.title=New');
  expect(change.optional('note', (v, field) => `${field}=${v}`)).toBe('input.item.note=n');
});

test('archived records only when asked for', () => {
  expect(archivedFilter(undefined)).toEqual({ archived: false });
  expect(archivedFilter(false)).toEqual({ archived: false });
  expect(archivedFilter(true)).toEqual({});
});

test("a list's order: the client's, else the list's default", () => {
  const fields = { NAME: 'name', CREATED_AT: 'createdAt' } as const;
  const fallback = { field: 'NAME', direction: 'DESC' } as const;
  expect(listSort(undefined, fields, fallback)).toEqual({ field: 'name', direction: 'desc' });
  expect(listSort({ field: 'CREATED_AT', direction: 'ASC' }, fields, fallback)).toEqual({
    field: 'createdAt',
    direction: 'asc',
  });
});
