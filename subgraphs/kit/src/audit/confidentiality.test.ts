import { identityFor } from '../auth/roles';
import { AuditEntry } from './audit-entry';
import {
  judgeConfidentiality,
  readableEntry,
  withheldSides,
  type AuditConfidentialityRule,
} from './confidentiality';

/** As communications declares its drafts: read:drafts, for the organisation that owns the draft. */
const DRAFTS: AuditConfidentialityRule = {
  scope: 'read:drafts',
  readers: (stored) => (stored.status === 'DRAFT' ? [String(stored.ownerId)] : undefined),
};
const draft = { status: 'DRAFT', ownerId: 'it-marche-region', title: 'Not out yet' };
const published = { ...draft, status: 'PUBLISHED', title: 'Out now' };

const coordinator = identityFor('c', 'coordinator');
const admin = identityFor('a', 'admin');
const owner = identityFor('p', 'partner-member', 'it-marche-region');
const otherPartner = identityFor('q', 'partner-member', 'gr-corallia');

test('each side is judged as the record was: created as a draft, then published', () => {
  expect(judgeConfidentiality(DRAFTS, undefined, draft)).toEqual({
    before: null,
    after: { scope: 'read:drafts', organisationIds: ['it-marche-region'] },
  });
  expect(judgeConfidentiality(DRAFTS, draft, published)).toEqual({
    before: { scope: 'read:drafts', organisationIds: ['it-marche-region'] },
    after: null,
  });
  expect(judgeConfidentiality(undefined, draft, published)).toEqual({ before: null, after: null });
});

test('a side is withheld from a reader without the scope, or bound to another organisation', () => {
  const entry = { confidentiality: judgeConfidentiality(DRAFTS, draft, published) };
  expect(withheldSides(entry, DRAFTS, coordinator)).toEqual(['BEFORE']);
  expect(withheldSides(entry, DRAFTS, otherPartner)).toEqual(['BEFORE']);
  expect(withheldSides(entry, DRAFTS, owner)).toEqual([]);
  expect(withheldSides(entry, DRAFTS, admin)).toEqual([]);
});

test('what was stored decides, not what the type declares today', () => {
  const entry = { confidentiality: judgeConfidentiality(DRAFTS, published, draft) };
  expect(withheldSides(entry, undefined, coordinator)).toEqual(['AFTER']);
  expect(withheldSides({ confidentiality: { before: null, after: null } }, DRAFTS, coordinator)).toEqual([]);
});

test('an entry of a confidential type written before the trail judged it is withheld but from unbound holders', () => {
  for (const legacy of [{}, { confidentiality: null }]) {
    expect(withheldSides(legacy, DRAFTS, coordinator)).toEqual(['BEFORE', 'AFTER']);
    expect(withheldSides(legacy, DRAFTS, owner)).toEqual(['BEFORE', 'AFTER']);
    expect(withheldSides(legacy, DRAFTS, admin)).toEqual([]);
    expect(withheldSides(legacy, undefined, coordinator)).toEqual([]);
  }
});

test('a readable entry keeps who, when and which fields, and nulls the withheld values only', () => {
  const entry = Object.assign(new AuditEntry(), {
    _id: 'e1',
    at: new Date(0),
    subgraph: 'communications',
    actor: 'maria',
    actorRole: 'partner-member',
    actorOrganisationId: 'it-marche-region',
    requestId: 'r1',
    action: 'UPDATE' as const,
    recordType: 'NewsItem',
    recordId: 'news-1',
    changes: [{ field: 'title', before: '"Not out yet"', after: '"Out now"' }],
  });
  const readable = readableEntry(entry, ['BEFORE']);
  expect(readable).toMatchObject({ id: 'e1', actor: 'maria', recordId: 'news-1', withheld: ['BEFORE'] });
  expect(readable.changes).toEqual([{ field: 'title', before: null, after: '"Out now"' }]);
  expect(entry.changes[0]!.before).toBe('"Not out yet"');
});
