/**
 * Concurrent conflicting updates: for every versioned type of the schema (schema.ts), one record
 * gets `concurrency` updates at once, all naming the version read just before, each setting its
 * `source` to a value of its own, repeated for `rounds` rounds. Optimistic concurrency allows
 * exactly one winner per version; every other must be refused with CONFLICT. Read back after each
 * round: the record is at the version after the winner's, holding the winner's value, and its
 * audit trail has exactly one new entry. A lost update is a second acknowledged update of one
 * version, or an acknowledged one not stored.
 */
import { codesOf, send, succeeded } from './http';
import { countUnaudited } from './audit';
import { apiSchema, versionedTypes, type VersionedType } from './schema';
import type { ReliabilityStack } from './stack';

export interface ConflictOptions {
  concurrency: number;
  rounds: number;
}

export interface TypeConflicts {
  type: string;
  rounds: number;
  attempts: number;
  winners: number;
  conflicts: number;
  /** Rounds with exactly one winner. */
  roundsWithOneWinner: number;
  lostUpdates: number;
  unauditedChanges: number;
  /** Other answers than a win or CONFLICT, by code (e.g. a claim no longer open to changes). */
  otherCodes: Record<string, number>;
  /** Why the type was not exercised, when it was not. */
  skipped?: string;
}

export interface ConflictResult {
  options: ConflictOptions;
  typesFound: number;
  typesExercised: number;
  attempts: number;
  winners: number;
  lostUpdates: number;
  unauditedChanges: number;
  /** Rounds without exactly one winner, over all types. */
  roundsWithoutOneWinner: number;
  byType: TypeConflicts[];
}

export async function conflicts(
  stack: ReliabilityStack,
  options: ConflictOptions,
  log: (line: string) => void,
): Promise<ConflictResult> {
  const headers = {
    authorization: `Bearer ${await stack.token({ role: 'admin', sub: 'reliability-conflicts' })}`,
  };
  const types = versionedTypes(apiSchema());
  const byType: TypeConflicts[] = [];
  const client = await stack.mongo();
  const databases = Object.values(stack.subgraphs).map((s) => client.db(s.databaseName));
  for (const versioned of types) {
    const result = await oneType(stack.gatewayUrl, headers, versioned, options);
    if (!result.summary.skipped) {
      // The audit trail: one entry per win since the first round began.
      let unaudited = result.winners;
      for (const db of databases) {
        const count = await countUnaudited(
          db,
          [{ recordId: result.recordId, version: result.finalVersion, baselineVersion: result.firstVersion }],
          result.since,
        );
        unaudited = Math.min(unaudited, count.unaudited);
      }
      result.summary.unauditedChanges = unaudited;
    }
    byType.push(result.summary);
    log(
      `[conflicts] ${versioned.type}: ` +
        (result.summary.skipped
          ? `skipped (${result.summary.skipped})`
          : `${result.summary.winners} winners in ${result.summary.rounds} rounds of ${options.concurrency}, ` +
            `${result.summary.conflicts} CONFLICT, lost ${result.summary.lostUpdates}, unaudited ${result.summary.unauditedChanges}`),
    );
  }
  const exercised = byType.filter((t) => !t.skipped);
  const sum = (f: (t: TypeConflicts) => number) => exercised.reduce((s, t) => s + f(t), 0);
  return {
    options,
    typesFound: types.length,
    typesExercised: exercised.length,
    attempts: sum((t) => t.attempts),
    winners: sum((t) => t.winners),
    lostUpdates: sum((t) => t.lostUpdates),
    unauditedChanges: sum((t) => t.unauditedChanges),
    roundsWithoutOneWinner: sum((t) => t.rounds - t.roundsWithOneWinner),
    byType,
  };
}

async function oneType(
  url: string,
  headers: Record<string, string>,
  versioned: VersionedType,
  options: ConflictOptions,
): Promise<{
  summary: TypeConflicts;
  recordId: string;
  firstVersion: number;
  finalVersion: number;
  since: Date;
  winners: number;
}> {
  const summary: TypeConflicts = {
    type: versioned.type,
    rounds: 0,
    attempts: 0,
    winners: 0,
    conflicts: 0,
    roundsWithOneWinner: 0,
    lostUpdates: 0,
    unauditedChanges: 0,
    otherCodes: {},
  };
  const skip = (why: string) => ({
    summary: { ...summary, skipped: why },
    recordId: '',
    firstVersion: 0,
    finalVersion: 0,
    since: new Date(),
    winners: 0,
  });
  const { list, keyField } = versioned;
  if (!list) return skip('no query lists it without arguments the scenario cannot fill');
  const nodes = list.connection ? `nodes { ${keyField} version source }` : `${keyField} version source`;
  const read = async (): Promise<Array<Record<string, unknown>> | string> => {
    const answer = await send(url, { query: `{ records: ${list.field}${list.args} { ${nodes} } }`, headers });
    if (!succeeded(answer)) return `listing failed: ${JSON.stringify(answer.body?.errors ?? answer.text)}`;
    const data = (answer.body!.data as { records: unknown }).records;
    return (list.connection ? (data as { nodes: unknown[] }).nodes : (data as unknown[])) as Array<
      Record<string, unknown>
    >;
  };
  const first = await read();
  if (typeof first === 'string') return skip(first);
  if (first.length === 0) return skip('no record of the type is seeded');
  const update = (key: string, version: number, source: string) =>
    send(url, {
      query: `mutation Conflict($key: ID!, $version: Int!, $source: String!) {
        ${versioned.mutation}(${versioned.keyArg}: $key, version: $version, input: { source: $source }) { version source }
      }`,
      variables: { key, version, source },
      headers,
    });
  // A record that takes an update at all (a paid claim takes none): one update alone first, from
  // the end of the list (the first records are the ones the other scenarios read).
  let id = '';
  let firstVersion = 0;
  let refusal = '';
  for (const candidate of first.slice(-10).reverse()) {
    const probe = await update(String(candidate[keyField]), Number(candidate.version), `probe ${Date.now()}`);
    const probed = (probe.body?.data as Record<string, { version: number } | null> | undefined)?.[
      versioned.mutation
    ];
    if (succeeded(probe) && probed) {
      id = String(candidate[keyField]);
      firstVersion = probed.version;
      break;
    }
    const error = probe.body?.errors?.[0];
    refusal = `${error?.extensions?.code ?? `HTTP ${probe.status}`} ${error?.message?.slice(0, 160) ?? ''}`;
  }
  if (!id) return skip(`none of the last 10 records listed takes an update: ${refusal}`);
  const since = new Date();
  let version = firstVersion;
  for (let r = 0; r < options.rounds; r++) {
    const values = Array.from({ length: options.concurrency }, (_, i) => `conflict ${r}.${i} ${Date.now()}`);
    const answers = await Promise.all(values.map((source) => update(id, version, source)));
    const won: string[] = [];
    let conflictsThisRound = 0;
    answers.forEach((answer, i) => {
      if (succeeded(answer)) won.push(values[i]!);
      else {
        for (const code of codesOf(answer).length ? codesOf(answer) : [`HTTP ${answer.status}`]) {
          if (code === 'CONFLICT') conflictsThisRound++;
          else summary.otherCodes[code] = (summary.otherCodes[code] ?? 0) + 1;
        }
      }
    });
    summary.rounds++;
    summary.attempts += answers.length;
    summary.winners += won.length;
    summary.conflicts += conflictsThisRound;
    if (won.length === 1) summary.roundsWithOneWinner++;
    const after = await read();
    const stored = typeof after === 'string' ? undefined : after.find((x) => String(x[keyField]) === id);
    const storedVersion = Number(stored?.version);
    // Every acknowledged update beyond the first overwrote one that was acknowledged too.
    let lost = Math.max(0, won.length - 1);
    if (won.length >= 1 && (storedVersion !== version + 1 || !won.includes(String(stored?.source)))) lost++;
    summary.lostUpdates += lost;
    version = Number.isFinite(storedVersion) ? storedVersion : version + won.length;
  }
  return { summary, recordId: id, firstVersion, finalVersion: version, since, winners: summary.winners };
}
