/**
 * A subgraph killed under load: half the connections send a query that needs it, half W2, which
 * needs only `partners`. After a steady phase the subgraph gets SIGKILL; the load goes on through
 * the outage; the subgraph is started again on its port and the load goes on until queries that
 * need it succeed again. Measured from the answers:
 * - availability: share of requests during the outage the gateway answered with a GraphQL
 *   response (not a 5xx, not a dropped connection);
 * - the share of W2 answered in full during the outage;
 * - time to fail fast: from the kill to the first of 10 consecutive requests needing the
 *   subgraph refused in under 50 ms (the breaker's work);
 * - time to recover: from the restart's start to the first of 5 consecutive full successes.
 */
import { W2_QUERY } from '../queries';
import { closedLoop, codesOf, round, sleep, succeeded, type Sample } from './http';
import type { ReliabilityStack } from './stack';

export interface SubgraphKillOptions {
  subgraph: string;
  /** A query that needs only the killed subgraph. */
  query: string;
  connections: number;
  steadySeconds: number;
  outageSeconds: number;
  /** Longest wait for recovery after the restart. */
  recoverTimeoutSeconds: number;
  fastMs: number;
}

export interface SubgraphKillResult {
  subgraph: string;
  killed: boolean;
  requests: number;
  outageRequests: number;
  /** % of requests during the outage answered with a GraphQL response. */
  availabilityPercent: number;
  /** % of W2 (not needing the subgraph) during the outage answered in full. */
  unaffectedSuccessPercent: number;
  unaffectedDuringOutage: number;
  /** Requests needing the subgraph during the outage, and how fast they were refused. */
  affectedDuringOutage: number;
  affectedP50Ms: number;
  affectedP95Ms: number;
  /** The codes of their errors, with counts. */
  affectedCodes: Record<string, number>;
  /** null when it never failed fast. */
  timeToFailFastMs: number | null;
  /** Restart to /ready. */
  restartReadyMs: number;
  /** Restart begun to the first of 5 consecutive successes of a query needing it; null: not within the timeout. */
  timeToRecoverMs: number | null;
}

const NEEDS = 'needs-subgraph';
const UNAFFECTED = 'w2-partners-only';

export async function subgraphKill(
  stack: ReliabilityStack,
  options: SubgraphKillOptions,
  log: (line: string) => void,
): Promise<SubgraphKillResult> {
  const token = await stack.token({ role: 'analyst', sub: 'kill-analyst' });
  const headers = { authorization: `Bearer ${token}` };
  let phase: 'steady' | 'outage' | 'recovery' | 'done' = 'steady';
  let killedAt = 0;
  let restartAt = 0;
  let recoveredAt: number | null = null;
  let streak = 0;
  const began = performance.now();
  const outage: Sample[] = [];
  const loadDone = closedLoop({
    url: stack.gatewayUrl,
    connections: options.connections,
    next: (loop) =>
      loop % 2 === 0
        ? { kind: NEEDS, query: options.query, headers }
        : { kind: UNAFFECTED, query: W2_QUERY, headers },
    until: () => phase === 'done',
    onAnswer: (sample) => {
      if (phase === 'outage' && sample.at >= killedAt) outage.push(sample);
      if (phase === 'recovery' && sample.kind === NEEDS && sample.at >= restartAt) {
        streak = succeeded(sample.answer) ? streak + 1 : 0;
        if (streak >= 5 && recoveredAt === null) recoveredAt = sample.at + sample.answer.ms;
      }
    },
  });

  await sleep(options.steadySeconds * 1000);
  killedAt = performance.now() - began;
  phase = 'outage';
  await stack.killSubgraph(options.subgraph);
  log(`[subgraph-kill] ${options.subgraph} killed at ${round(killedAt / 1000)} s`);
  await sleep(options.outageSeconds * 1000);
  restartAt = performance.now() - began;
  phase = 'recovery';
  await stack.restartSubgraph(options.subgraph);
  const restartReadyMs = performance.now() - began - restartAt;
  log(`[subgraph-kill] ${options.subgraph} restarted, ready after ${Math.round(restartReadyMs)} ms`);
  const deadline = Date.now() + options.recoverTimeoutSeconds * 1000;
  while (recoveredAt === null && Date.now() < deadline) await sleep(50);
  phase = 'done';
  const samples = await loadDone;

  // Outage: the requests sent after the kill and before the restart began.
  const during = outage.filter((s) => s.at < restartAt);
  const unaffected = during.filter((s) => s.kind === UNAFFECTED);
  const affected = during.filter((s) => s.kind === NEEDS).sort((a, b) => a.at - b.at);
  const answered = during.filter((s) => s.answer.status > 0 && s.answer.status < 500 && s.answer.body);
  let timeToFailFastMs: number | null = null;
  let fastStreak = 0;
  for (const s of affected) {
    fastStreak = !succeeded(s.answer) && s.answer.ms < options.fastMs ? fastStreak + 1 : 0;
    if (fastStreak >= 10) {
      timeToFailFastMs = round(s.at + s.answer.ms - killedAt, 0);
      break;
    }
  }
  const codes: Record<string, number> = {};
  for (const s of affected) {
    const list = s.answer.status === 0 ? ['NO_ANSWER'] : codesOf(s.answer);
    for (const code of new Set(list)) codes[code] = (codes[code] ?? 0) + 1;
  }
  const times = affected.map((s) => s.answer.ms).sort((a, b) => a - b);
  const pct = (p: number) =>
    times.length ? times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]! : 0;
  const share = (part: number, whole: number) => (whole === 0 ? 0 : round((part / whole) * 100, 2));
  return {
    subgraph: options.subgraph,
    killed: killedAt > 0,
    requests: samples.length,
    outageRequests: during.length,
    availabilityPercent: share(answered.length, during.length),
    unaffectedSuccessPercent: share(unaffected.filter((s) => succeeded(s.answer)).length, unaffected.length),
    unaffectedDuringOutage: unaffected.length,
    affectedDuringOutage: affected.length,
    affectedP50Ms: round(pct(0.5)),
    affectedP95Ms: round(pct(0.95)),
    affectedCodes: codes,
    timeToFailFastMs,
    restartReadyMs: round(restartReadyMs, 0),
    timeToRecoverMs: recoveredAt === null ? null : round(recoveredAt - restartAt, 0),
  };
}
