// A subgraph killed between a record's change and its audit entry (and between the pending entry
// and the change), as a real process with SIGKILL, then started again: after the start-up
// reconciliation every change has exactly one settled entry and no entry claims a change that
// did not happen. The writes are frozen at the step by the kit's test-only HUB_TEST_AUDIT_PAUSE.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/mongodb';
import {
  AUDIT_PENDING_COLLECTION,
  findUnauditedChanges,
  insertMissing,
  openDatabase,
  PENDING_ABANDONED_AFTER_MS,
} from '@clusterpolisee/kit';
import { IDENTITY_HEADER, signForwardedIdentity, type IdentitySigningKey } from '@clusterpolisee/kit/auth';
import { postGraphQL, TEST_ADMIN, testIdentityKey, uniqueDatabaseName } from '@clusterpolisee/kit/testing';
import { Country, entities, Organisation } from './entities';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const STEPS = ['before-change', 'after-change'] as const;
type Step = (typeof STEPS)[number];

const databaseName = uniqueDatabaseName('partners_audit_crash');
let orm: MikroORM;
let key: IdentitySigningKey;
let keyDir: string;
const children: ChildProcess[] = [];

const db = () => orm.em.getConnection().getDb();
const stored = (id: string) =>
  db()
    .collection<{ _id: string; version: number; archived: boolean; acronym?: string; auditEntryId?: string }>(
      'organisations',
    )
    .findOne({ _id: id });
const entriesOf = (recordId: string) =>
  db()
    .collection<{ _id: string; action: string; version: number; actor: string }>('audit_log')
    .find({ recordId })
    .toArray();

/** What each step's writes touch: a creation, an update and an archiving. */
const records = (step: Step) => ({
  created: `it-crash-${step}`,
  updated: `upd-${step}`,
  archived: `arc-${step}`,
});

beforeAll(async () => {
  orm = await openDatabase({ mongoUri: process.env.MONGODB_URI!, databaseName, entities });
  const em = orm.em.fork();
  await insertMissing(em, Country, [
    { _id: 'IT', name: 'Italy', programmeStatus: 'EU_MEMBER', source: 'synthetic' },
  ]);
  await insertMissing(
    orm.em.fork(),
    Organisation,
    STEPS.flatMap((step) => [records(step).updated, records(step).archived]).map((id) => ({
      _id: id,
      name: id,
      countryCode: 'IT',
      legalStatus: 'PUBLIC' as const,
      type: 'NGO' as const,
      searchKeys: [],
      source: 'synthetic',
    })),
  );
  key = await testIdentityKey();
  keyDir = mkdtempSync(path.join(tmpdir(), 'audit-crash-'));
  writeFileSync(path.join(keyDir, 'jwks.json'), JSON.stringify(key.jwks));
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await db().dropDatabase();
  await orm.close(true);
  rmSync(keyDir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  url: string;
  lines: string[];
  /** Resolves once `count` lines match. */
  printed(pattern: RegExp, count: number): Promise<void>;
}

/** The partners subgraph as its own process, on a free port. */
function startPartners(pause?: Step): Promise<Child> {
  // Node itself with tsx's loader, not the tsx command, which would run the subgraph in a
  // grandchild process that a signal to the child never reaches.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'subgraphs/partners/src/index.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: process.env.MONGODB_URI!,
        MONGODB_DATABASE: databaseName,
        GATEWAY_IDENTITY_JWKS: path.join(keyDir, 'jwks.json'),
        ...(pause && { HUB_TEST_AUDIT_PAUSE: pause }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!])
    readline.createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      waiters.forEach((wake) => wake());
    });
  const printed = (pattern: RegExp, count: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (lines.filter((line) => pattern.test(line)).length >= count) resolve();
      };
      waiters.push(check);
      child.once('exit', (code, signal) =>
        reject(
          new Error(`partners exited (${code ?? signal}) before printing ${pattern}:\n${lines.join('\n')}`),
        ),
      );
      check();
    });
  return printed(/ready at http/, 1).then(() => ({
    process: child,
    url: /ready at (http[^\s"]+)/.exec(lines.find((line) => /ready at http/.test(line))!)![1]!,
    lines,
    printed,
  }));
}

async function mutate(url: string, query: string, variables: Record<string, unknown>) {
  const identity = await signForwardedIdentity(TEST_ADMIN, key, 'partners', randomUUID());
  return postGraphQL(url, query, variables, { [IDENTITY_HEADER]: identity });
}

const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id version } }`;
const UPDATE = `mutation($id: ID!, $version: Int!, $input: UpdateOrganisationInput!) {
  updateOrganisation(id: $id, version: $version, input: $input) { id version } }`;
const ARCHIVE = `mutation($id: ID!, $version: Int!) { archiveOrganisation(id: $id, version: $version) { id version } }`;

/** Sends the three writes to a subgraph frozen at `step`, waits until all three are there and kills it. */
async function crashAt(step: Step): Promise<void> {
  const child = await startPartners(step);
  const { updated, archived } = records(step);
  const sent = [
    mutate(child.url, CREATE, {
      input: {
        name: `Crash ${step}`,
        countryCode: 'IT',
        legalStatus: 'PUBLIC',
        type: 'NGO',
        source: 'synthetic',
      },
    }),
    mutate(child.url, UPDATE, { id: updated, version: 1, input: { acronym: 'NEW' } }),
    mutate(child.url, ARCHIVE, { id: archived, version: 1 }),
  ];
  // The requests never answer: the process dies under them.
  sent.forEach((request) => request.catch(() => undefined));
  await child.printed(new RegExp(`^\\[audit-fault\\] paused ${step} `), 3);
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

test('a subgraph killed between a change and its audit entry leaves, once restarted, exactly one entry per change', async () => {
  for (const step of STEPS) await crashAt(step);

  // What the crash left: three changes stored with no entry, six entries pending, none in the trail.
  const { created, updated, archived } = records('after-change');
  expect((await stored(created))?.version).toBe(1);
  expect((await stored(updated))?.acronym).toBe('NEW');
  expect((await stored(archived))?.archived).toBe(true);
  const left = await findUnauditedChanges(db());
  expect(left.unauditedChanges).toBe(3);
  expect(left.pendingEntries).toBe(6);
  for (const id of [created, updated, archived]) expect(await entriesOf(id)).toEqual([]);

  // A pending entry is judged once no writer could still send its change; then the subgraph starts.
  const newest = await db()
    .collection<{ at: Date }>(AUDIT_PENDING_COLLECTION)
    .find()
    .sort({ at: -1 })
    .limit(1)
    .toArray();
  await sleep(Math.max(0, newest[0]!.at.getTime() + PENDING_ABANDONED_AFTER_MS + 1_000 - Date.now()));
  const restarted = await startPartners();

  expect(await db().collection(AUDIT_PENDING_COLLECTION).countDocuments()).toBe(0);
  // Made: one settled entry each, the one the record's state names, for the version it made.
  for (const [id, action, version] of [
    [created, 'CREATE', 1],
    [updated, 'UPDATE', 2],
    [archived, 'UPDATE', 2],
  ] as const) {
    const entries = await entriesOf(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      _id: (await stored(id))!.auditEntryId,
      action,
      version,
      actor: TEST_ADMIN.subject,
    });
  }
  // Not made: no entry, the records as they were.
  const before = records('before-change');
  expect(await stored(before.created)).toBeNull();
  expect(await stored(before.updated)).toMatchObject({ version: 1 });
  expect((await stored(before.updated))!.acronym).toBeUndefined();
  expect(await stored(before.archived)).toMatchObject({ version: 1, archived: false });
  for (const id of Object.values(before)) expect(await entriesOf(id)).toEqual([]);
  expect(await findUnauditedChanges(db())).toMatchObject({
    unauditedChanges: 0,
    unprovenEntries: 0,
    pendingEntries: 0,
  });

  // Writes go on: the dead writer's claim is taken over, the trail stays whole.
  const again = await mutate(restarted.url, UPDATE, {
    id: before.updated,
    version: 1,
    input: { acronym: 'LATER' },
  });
  expect(again.errors).toBeUndefined();
  const next = await mutate(restarted.url, UPDATE, { id: updated, version: 2, input: { acronym: 'NEXT' } });
  expect(next.errors).toBeUndefined();
  expect((await entriesOf(updated)).map((entry) => entry.version).sort()).toEqual([2, 3]);
  expect(await findUnauditedChanges(db())).toMatchObject({
    unauditedChanges: 0,
    unprovenEntries: 0,
    pendingEntries: 0,
  });
});
