/**
 * The reliability results as Markdown, printed at the end of `npm run reliability` and written
 * with `--save` into the README's Reliability section between RELIABILITY_START and
 * RELIABILITY_END, laid out as prettier lays out Markdown tables.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReliabilityResults } from './run';

export const RELIABILITY_START = '<!-- reliability:start -->';
export const RELIABILITY_END = '<!-- reliability:end -->';
export const README = join(__dirname, '..', '..', 'README.md');

const show = (x: number | string | boolean | null | undefined) =>
  x === null || x === undefined ? '-' : typeof x === 'boolean' ? (x ? 'yes' : 'no') : String(x);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(rows[0]!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** One row per figure: scenario, figure, measured, target. */
export function formatReport(r: ReliabilityResults): string {
  const rows: string[][] = [['scenario', 'figure', 'measured', 'target']];
  const add = (scenario: string, figure: string, value: unknown, target = '') =>
    rows.push([scenario, figure, show(value as number), target]);
  const s = r.soak;
  if (s) {
    const name = `soak, ${s.options.seconds} s at ${s.options.connections} connections`;
    add(name, 'requests (req/s)', `${s.requests} (${s.requestsPerSecond})`);
    add(name, 'errors (of which timeouts)', `${s.errors} (${s.timeouts})`, '0');
    add(name, 'p95 per window, ms', s.windows.map((w) => show(w.p95)).join(' / '));
    for (const [proc, growth] of Object.entries(s.rssGrowthPercent)) {
      const mb = s.windows.map((w) => w.rssMb[proc] ?? '-').join(' / ');
      add(
        name,
        `peak RSS ${proc}, MB per window (growth %)`,
        `${mb} (${show(growth)})`,
        `<= ${s.options.maxGrowthPercent} %`,
      );
    }
  }
  const k = r.subgraphKill;
  if (k) {
    const name = `${k.subgraph} killed under load`;
    add(name, 'gateway availability during the outage, %', k.availabilityPercent, '100');
    add(name, 'queries not needing it answered in full, %', k.unaffectedSuccessPercent, '100');
    add(name, 'time to fail fast (10 refusals < 50 ms in a row), ms', k.timeToFailFastMs);
    add(name, 'refusal p50 / p95 during the outage, ms', `${k.affectedP50Ms} / ${k.affectedP95Ms}`);
    add(name, 'time to recover after restart, ms', k.timeToRecoverMs);
  }
  const d = r.databaseKill;
  if (d) {
    const name = 'database killed under writes';
    add(
      name,
      'writes acknowledged (before / after the restart)',
      `${d.acknowledgedBeforeKill} / ${d.acknowledgedAfterRestart}`,
    );
    add(name, 'acknowledged writes lost', d.lostWrites, '0');
    add(
      name,
      'changes without audit entry (entries still pending)',
      `${d.unauditedChanges} (${d.pendingChanges})`,
      '0',
    );
    add(name, 'time to recover, subgraphs not restarted, ms', d.timeToRecoverMs);
  }
  const c = r.conflicts;
  if (c) {
    const name = `${c.options.concurrency} concurrent updates of one record`;
    add(name, 'versioned types exercised', `${c.typesExercised} of ${c.typesFound}`);
    add(name, 'rounds without exactly one winner', c.roundsWithoutOneWinner, '0');
    add(name, 'lost updates', c.lostUpdates, '0');
    add(name, 'changes without audit entry', c.unauditedChanges, '0');
  }
  const h = r.hostile;
  if (h) {
    const name = 'generated hostile input';
    add(name, 'cases (families x cases each)', `${h.cases} (${h.families} x ${h.options.casesPerFamily})`);
    add(name, 'internal errors or 5xx', h.internalErrors, '0');
    add(name, 'records changed by refused requests', h.recordsChanged, '0');
  }
  const f = r.forged;
  if (f) {
    const name = 'forged tokens and identities under load';
    add(name, `forged requests (${f.kinds} kinds)`, f.sent);
    add(name, 'accepted', f.accepted, '0');
    add(name, 'records left', f.recordsCreated, '0');
  }
  const m = r.machine;
  return [
    `One run of \`npm run reliability${r.quick ? ' -- --quick' : ''}\` (${r.generatedAt.slice(0, 10)}, ` +
      `${Math.round(r.totalSeconds)} s in all) on ${m.cpus} vCPUs, Node ${m.node.replace(/^v/, '')}, ` +
      `database ${r.engine}. Counters: lost writes ${r.lostWrites}, unaudited changes ${r.unauditedChanges}, ` +
      `internal errors ${r.internalErrors}, lost updates ${r.lostUpdates}.`,
    '',
    table(rows),
  ].join('\n');
}

export function writeReadmeBlock(results: ReliabilityResults, readmePath = README): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(RELIABILITY_START);
  const end = text.indexOf(RELIABILITY_END);
  if (start < 0 || end < start)
    throw new Error(
      `${readmePath} has no reliability block: put the lines ${RELIABILITY_START} and ${RELIABILITY_END} in its Reliability section`,
    );
  writeFileSync(
    readmePath,
    `${text.slice(0, start)}${RELIABILITY_START}\n\n${formatReport(results)}\n\n${text.slice(end)}`,
  );
}
