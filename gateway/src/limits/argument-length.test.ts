import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { GATEWAY_DEFAULTS } from '../config';
import { withoutSecurityPurpose } from '../security-features';
import { overLength } from './argument-length';

let schema: GraphQLSchema;
const limits = GATEWAY_DEFAULTS.limits;
const text = (length: number) => 'x'.repeat(length);

beforeAll(() => {
  const sdl = withoutSecurityPurpose(readFileSync(GATEWAY_DEFAULTS.supergraphPath, 'utf8'));
  schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
});

/** The refusal of `query` with `variables` under the default limits, as the client sees it. */
function refusal(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const error = overLength(schema, document, getOperationAST(document)!, variables, limits);
  return error && { message: error.message, ...error.extensions };
}

const SEARCH = (value: string) =>
  `{ organisations(filter: { search: ${JSON.stringify(value)} }) { totalCount } }`;

describe('the length of texts in arguments', () => {
  it('refuses a search over GATEWAY_MAX_SEARCH_LENGTH, literal or variable, naming the argument', () => {
    expect(refusal(SEARCH(text(201)))).toEqual({
      message:
        'filter.search (an argument of Query.organisations): must be at most 200 characters (got 201; ' +
        'GATEWAY_MAX_SEARCH_LENGTH). A search matches names from their beginning: the first words are enough.',
      code: 'BAD_USER_INPUT',
      field: 'filter.search',
      argumentOf: 'Query.organisations',
      maxLength: 200,
      limit: 'maxSearchLength',
      http: { status: 400 },
    });
    expect(refusal(SEARCH(text(500_000)))).toMatchObject({ field: 'filter.search', maxLength: 200 });
    const bySearch = `query($s: String) { news(filter: { search: $s }) { totalCount } }`;
    expect(refusal(bySearch, { s: text(201) })).toMatchObject({
      field: 'filter.search',
      argumentOf: 'Query.news',
    });
    const byFilter = `query($f: ProjectFilter) { projects(filter: $f) { totalCount } }`;
    expect(refusal(byFilter, { f: { search: text(201) } })).toMatchObject({
      field: 'filter.search',
      argumentOf: 'Query.projects',
    });
    // A variable's default counts when the request gives none.
    const byDefault = `query($s: String = ${JSON.stringify(text(201))}) { people(filter: { search: $s }) { totalCount } }`;
    expect(refusal(byDefault)).toMatchObject({ field: 'filter.search', argumentOf: 'Query.people' });
    // In a fragment, however reached.
    const inFragment = `{ ...F } fragment F on Query { goodPractices(filter: { search: "${text(201)}" }) { totalCount } }`;
    expect(refusal(inFragment)).toMatchObject({ field: 'filter.search', argumentOf: 'Query.goodPractices' });
  });

  it('accepts a search of exactly the limit', () => {
    expect(refusal(SEARCH(text(200)))).toBeUndefined();
    const bySearch = `query($s: String) { news(filter: { search: $s }) { totalCount } }`;
    expect(refusal(bySearch, { s: text(200) })).toBeUndefined();
  });

  it('holds every other argument of a read to GATEWAY_MAX_ARGUMENT_LENGTH', () => {
    expect(refusal(`{ organisation(id: "${text(2001)}") { name } }`)).toMatchObject({
      field: 'id',
      argumentOf: 'Query.organisation',
      maxLength: 2000,
      limit: 'maxArgumentLength',
    });
    expect(refusal(`{ organisation(id: "${text(2000)}") { name } }`)).toBeUndefined();
    // Arguments of nested fields and cursors too.
    expect(
      refusal(`query($l: String) { news { nodes { title(lang: $l) } } }`, { l: text(2001) }),
    ).toMatchObject({
      field: 'lang',
      argumentOf: 'NewsItem.title',
    });
    expect(refusal(`query($c: String) { news(after: $c) { totalCount } }`, { c: text(2001) })).toMatchObject({
      field: 'after',
    });
    expect(refusal(`{ organisations(filter: { country: "${text(2001)}" }) { totalCount } }`)).toMatchObject({
      field: 'filter.country',
    });
  });

  it('holds the arguments of a mutation to GATEWAY_MAX_INPUT_LENGTH, lists and nested inputs included', () => {
    const meeting = `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }`;
    const input = {
      bodyId: 'b',
      date: '2026-01-01',
      place: 'Ancona',
      source: 's',
      decisions: ['ok', text(5_000)],
    };
    // Longer than a read's argument may be, well within a record's text.
    expect(refusal(meeting, { input })).toBeUndefined();
    expect(refusal(meeting, { input: { ...input, decisions: ['ok', text(100_001)] } })).toMatchObject({
      field: 'input.decisions.1',
      argumentOf: 'Mutation.createMeeting',
      maxLength: 100_000,
      limit: 'maxInputLength',
    });
    const news = (body: string) =>
      `mutation { createNewsItem(input: { publishedOn: "2026-01-01", authorOrganisationId: "o", source: "s",
        translations: [{ lang: "en", title: "t", body: ${JSON.stringify(body)} }] }) { id } }`;
    expect(refusal(news(text(100_000)))).toBeUndefined();
    expect(refusal(news(text(100_001)))).toMatchObject({
      field: 'input.translations.0.body',
      argumentOf: 'Mutation.createNewsItem',
    });
  });
});
