/**
 * The database killed (SIGKILL) and started again on the same folder and port under a write load
 * through the gateway, the subgraphs left running: `writers` loops create cluster policies and
 * update ones already acknowledged (the version they were acknowledged at). The kill comes once
 * `killAfter` writes are acknowledged; the load goes on until `afterRestart` more are, or the
 * timeout. Read back from the database afterwards:
 * - lost writes: an acknowledged creation not stored, or an acknowledged update whose version is
 *   not stored (the record is at an older one);
 * - unaudited changes: writes the stored versions show without their audit entry (audit.ts),
 *   over every record this scenario created, acknowledged or not;
 * - time to recover: from the restarted database answering to the first acknowledged write.
 */
import { closedLoop, round, sleep, succeeded } from './http';
import { countUnaudited, hubAuditCheck, pendingEntries } from './audit';
import type { ReliabilityStack } from './stack';

export interface DatabaseKillOptions {
  writers: number;
  killAfter: number;
  afterRestart: number;
  timeoutSeconds: number;
  /** Longest wait for the subgraphs' reconciler to settle the entries the crash left pending. */
  reconcileWaitSeconds: number;
}

export interface DatabaseKillResult {
  killed: boolean;
  writesSent: number;
  /** All of them, those answered while the database was down included. */
  writesAcknowledged: number;
  acknowledgedBeforeKill: number;
  acknowledgedAfterRestart: number;
  writesFailed: number;
  lostWrites: number;
  lostExamples: string[];
  /** Stored records of this scenario and the writes their versions show. */
  recordsStored: number;
  changesStored: number;
  /** Changes without their audit entry, pending ones that the reconciler will settle not counted (must be 0). */
  unauditedChanges: number;
  /** Changes whose entry was still pending at the end (recoverable). */
  pendingChanges: number;
  /** Entries claiming a change not stored, or recorded twice (the kit's check). */
  unprovenEntries: number;
  unauditedExamples: string[];
  /** Kill to the restarted database answering. */
  databaseDownMs: number;
  /** Restarted database answering to the first write acknowledged after it. */
  timeToRecoverMs: number | null;
}

const TITLE = 'Reliability write';
const CREATE = `mutation ReliabilityCreate($input: CreateClusterPolicyInput!) {
  createClusterPolicy(input: $input) { id version }
}`;
const UPDATE = `mutation ReliabilityUpdate($id: ID!, $version: Int!, $input: UpdateClusterPolicyInput!) {
  updateClusterPolicy(id: $id, version: $version, input: $input) { id version }
}`;

export async function databaseKill(
  stack: ReliabilityStack,
  options: DatabaseKillOptions,
  log: (line: string) => void,
): Promise<DatabaseKillResult> {
  const headers = {
    authorization: `Bearer ${await stack.token({ role: 'admin', sub: 'reliability-writer' })}`,
  };
  const runId = Math.random().toString(36).slice(2, 8);
  /** Acknowledged state of each record: the version the hub last answered with. */
  const acknowledged = new Map<string, number>();
  /** Acknowledged records with no write of ours in flight, so that no update races another of ours. */
  const idle: string[] = [];
  let n = 0;
  let acknowledgedWrites = 0;
  let ackBeforeKill = 0;
  let ackAfterRestart = 0;
  let failed = 0;
  let killedAt = 0;
  let restartedAt = 0;
  let firstAfterRestart: number | null = null;
  type Phase = 'before' | 'down' | 'after' | 'done';
  let phase = 'before' as Phase;
  // Read through a function: the compiler cannot see the callbacks that move the phase on.
  const now = (): Phase => phase;
  const began = performance.now();
  let kill: Promise<void> | undefined;

  const loadDone = closedLoop({
    url: stack.gatewayUrl,
    connections: options.writers,
    until: () => phase === 'done',
    next: () => {
      const i = n++;
      const id = i % 3 === 2 ? idle.shift() : undefined;
      if (id !== undefined) {
        return {
          kind: 'update',
          query: UPDATE,
          variables: { id, version: acknowledged.get(id), input: { source: `reliability update ${i}` } },
          headers,
        };
      }
      return {
        kind: 'create',
        query: CREATE,
        variables: {
          input: {
            title: `${TITLE} ${runId} ${i}`,
            countryCode: 'IT',
            level: 'NATIONAL',
            periodStart: 2020,
            source: 'reliability database kill',
          },
        },
        headers,
      };
    },
    onAnswer: (sample) => {
      const data = sample.answer.body?.data as
        Record<string, { id: string; version: number } | null | undefined> | undefined;
      const record = data?.createClusterPolicy ?? data?.updateClusterPolicy;
      if (succeeded(sample.answer) && record) {
        acknowledged.set(record.id, record.version);
        acknowledgedWrites++;
        idle.push(record.id);
        if (phase === 'before') ackBeforeKill++;
        if (phase === 'after') {
          ackAfterRestart++;
          if (firstAfterRestart === null && sample.at >= restartedAt)
            firstAfterRestart = sample.at + sample.answer.ms;
        }
        if (phase === 'before' && ackBeforeKill >= options.killAfter && !kill) {
          phase = 'down';
          killedAt = performance.now() - began;
          kill = (async () => {
            await stack.killDatabase();
            log(`[database-kill] database killed after ${ackBeforeKill} acknowledged writes`);
            await stack.restartDatabase();
            restartedAt = performance.now() - began;
            phase = 'after';
            log(`[database-kill] database restarted after ${Math.round(restartedAt - killedAt)} ms down`);
          })();
        }
      } else {
        failed++;
        // An update refused (the database down, or a write not acknowledged): its record is left
        // out of later updates, since its stored version is unknown.
      }
    },
  });
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  while (Date.now() < deadline && !(now() === 'after' && ackAfterRestart >= options.afterRestart))
    await sleep(50);
  const reachedEnd = now() === 'after';
  phase = 'done';
  const samples = await loadDone;
  await kill;
  if (!reachedEnd) log(`[database-kill] stopped by the timeout (${options.timeoutSeconds} s)`);

  const client = await stack.mongo();
  const dbs = Object.values(stack.subgraphs).map((s) => client.db(s.databaseName));
  // Entries a crash left pending are settled by the subgraphs' reconciler once they are old
  // enough (kit: audit/reconciler.ts); the full run waits for it, the quick one counts them apart.
  const waitUntil = Date.now() + options.reconcileWaitSeconds * 1000;
  while (Date.now() < waitUntil && (await pendingEntries(dbs)) > 0) await sleep(1000);
  const db = client.db(stack.subgraphs.knowledge!.databaseName);
  const stored = await db
    .collection<{ _id: string; version: number }>('clusterPolicies')
    .find({ title: { $regex: `^${TITLE} ${runId} ` } }, { projection: { _id: 1, version: 1 } })
    .toArray();
  const storedVersion = new Map(stored.map((r) => [String(r._id), r.version]));
  const lost = [...acknowledged].filter(([id, version]) => (storedVersion.get(id) ?? 0) < version);
  const audit = await countUnaudited(
    db,
    stored.map((r) => ({ recordId: String(r._id), version: r.version })),
  );
  const hub = await hubAuditCheck(dbs);
  // The kit's check over every record, and this scenario's own count of versions without a
  // settled entry, of which those still pending are recoverable: the larger of the two counts.
  const unaudited = Math.max(hub.unauditedChanges, audit.unaudited - hub.pendingChanges);
  return {
    killed: killedAt > 0,
    writesSent: samples.length,
    writesAcknowledged: acknowledgedWrites,
    acknowledgedBeforeKill: ackBeforeKill,
    acknowledgedAfterRestart: ackAfterRestart,
    writesFailed: failed,
    lostWrites: lost.length,
    lostExamples: lost
      .slice(0, 20)
      .map(([id, v]) => `${id}@${v} (stored ${storedVersion.get(id) ?? 'none'})`),
    recordsStored: stored.length,
    changesStored: audit.changes,
    unauditedChanges: unaudited,
    pendingChanges: hub.pendingChanges,
    unprovenEntries: hub.unprovenEntries,
    unauditedExamples: [
      ...audit.examples.map((e) => `${e.recordId}@${e.version}: ${e.entries} settled entries`),
      ...hub.examples,
    ],
    databaseDownMs: round(restartedAt - killedAt, 0),
    timeToRecoverMs: firstAfterRestart === null ? null : round(firstAfterRestart - restartedAt, 0),
  };
}
