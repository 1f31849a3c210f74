/**
 * `npm run reliability [-- --quick] [--soak-seconds 600] [--only soak,hostile] [--seed 1] [--save] [--out file.json]`
 *
 * Starts the hub on free loopback ports (stack.ts) and runs the scenarios one after another:
 * soak, a subgraph killed, concurrent conflicting updates, forged credentials, hostile input, and
 * last the database killed. `--quick` runs each for seconds (the e2e test runs it). The results go
 * to `--out`, by default a file in the system's temp folder; bench/results/reliability.json and
 * the README's Reliability table change only with `--save`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { embeddedEngineFromEnv } from '@clusterpolisee/infra/database';
import { conflicts, type ConflictOptions, type ConflictResult } from './conflicts';
import { databaseKill, type DatabaseKillOptions, type DatabaseKillResult } from './database-kill';
import { forged, type ForgedOptions, type ForgedResult } from './forged';
import { hostile, type HostileOptions, type HostileResult } from './hostile';
import { formatReport, writeReadmeBlock } from './report';
import { soak, type SoakOptions, type SoakResult } from './soak';
import { startReliabilityStack } from './stack';
import { subgraphKill, type SubgraphKillOptions, type SubgraphKillResult } from './subgraph-kill';

export const RESULTS_FILE = join(__dirname, '..', 'results', 'reliability.json');

export const SCENARIOS = [
  'soak',
  'subgraph-kill',
  'conflicts',
  'forged',
  'hostile',
  'database-kill',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ReliabilityOptions {
  quick: boolean;
  only: Scenario[];
  soak: SoakOptions;
  subgraphKill: SubgraphKillOptions;
  databaseKill: DatabaseKillOptions;
  conflicts: ConflictOptions;
  hostile: HostileOptions;
  forged: ForgedOptions;
  log: (line: string) => void;
  /** The hub's processes' LOG_LEVEL. */
  childLogLevel: string;
}

export interface ReliabilityResults {
  generatedAt: string;
  totalSeconds: number;
  /** Wall time of the start of the hub and of each scenario. */
  seconds: Partial<Record<Scenario | 'start', number>>;
  quick: boolean;
  engine: string;
  machine: { cpus: number; node: string; platform: string };
  /** The counters other tools read: each must be 0. */
  lostWrites: number;
  unauditedChanges: number;
  internalErrors: number;
  lostUpdates: number;
  soak?: SoakResult;
  subgraphKill?: SubgraphKillResult;
  conflicts?: ConflictResult;
  forged?: ForgedResult;
  hostile?: HostileResult;
  databaseKill?: DatabaseKillResult;
}

/** A query needing `communications` alone: what its death refuses. */
const NEEDS_COMMUNICATIONS = `query ReliabilityNews { news(first: 10) { totalCount nodes { id publishedOn title } } }`;

export function defaultOptions(quick: boolean, soakSeconds?: number): Omit<ReliabilityOptions, 'log'> {
  const seconds = soakSeconds ?? (quick ? 6 : 600);
  return {
    quick,
    only: [...SCENARIOS],
    childLogLevel: 'error',
    soak: {
      seconds,
      // A minute per window in the full run; at least 4 windows in a short one.
      windowSeconds: Math.min(60, Math.max(2, Math.floor(seconds / 4))),
      // 10 in the quick variant: beside the rest of `npm test` 50 would wait seconds in line.
      connections: quick ? 10 : 50,
      maxGrowthPercent: 10,
    },
    subgraphKill: {
      subgraph: 'communications',
      query: NEEDS_COMMUNICATIONS,
      connections: quick ? 10 : 20,
      steadySeconds: quick ? 1.5 : 10,
      outageSeconds: quick ? 3 : 30,
      recoverTimeoutSeconds: 30,
      fastMs: 50,
    },
    databaseKill: {
      writers: 8,
      killAfter: quick ? 40 : 400,
      afterRestart: quick ? 20 : 400,
      timeoutSeconds: quick ? 40 : 180,
      // The reconciler takes entries 30 s old, every 30 s.
      reconcileWaitSeconds: quick ? 0 : 75,
    },
    // 100 at once on each of the ~20 types takes half a minute on two cores: the quick variant
    // races 25, still far more than one winner could hide among.
    conflicts: { concurrency: quick ? 25 : 100, rounds: quick ? 1 : 3 },
    hostile: { casesPerFamily: quick ? 4 : 500, seed: 20_250_615, concurrency: 8 },
    forged: { connections: quick ? 8 : 20, seconds: quick ? 2 : 30 },
  };
}

export async function runReliability(options: ReliabilityOptions): Promise<ReliabilityResults> {
  const began = Date.now();
  const { log } = options;
  const stack = await startReliabilityStack({ log, childLogLevel: options.childLogLevel });
  const results: ReliabilityResults = {
    generatedAt: new Date().toISOString(),
    totalSeconds: 0,
    quick: options.quick,
    engine: embeddedEngineFromEnv(),
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}` },
    lostWrites: 0,
    unauditedChanges: 0,
    internalErrors: 0,
    lostUpdates: 0,
    seconds: {},
  };
  results.seconds.start = Math.round((Date.now() - began) / 100) / 10;
  const run = async <T>(scenario: Scenario, body: () => Promise<T>): Promise<T | undefined> => {
    if (!options.only.includes(scenario)) return undefined;
    const started = Date.now();
    try {
      return await body();
    } finally {
      results.seconds[scenario] = Math.round((Date.now() - started) / 100) / 10;
    }
  };
  try {
    results.soak = await run('soak', () => soak(stack, options.soak, log));
    results.subgraphKill = await run('subgraph-kill', () => subgraphKill(stack, options.subgraphKill, log));
    results.conflicts = await run('conflicts', () => conflicts(stack, options.conflicts, log));
    results.forged = await run('forged', () => forged(stack, options.forged, log));
    results.hostile = await run('hostile', () => hostile(stack, options.hostile, log));
    // Last: it kills the database under everything.
    results.databaseKill = await run('database-kill', () => databaseKill(stack, options.databaseKill, log));
  } finally {
    await stack.stop();
  }
  results.lostWrites = results.databaseKill?.lostWrites ?? 0;
  results.unauditedChanges =
    (results.databaseKill?.unauditedChanges ?? 0) + (results.conflicts?.unauditedChanges ?? 0);
  results.internalErrors = results.hostile?.internalErrors ?? 0;
  results.lostUpdates = results.conflicts?.lostUpdates ?? 0;
  results.totalSeconds = Math.round((Date.now() - began) / 100) / 10;
  return results;
}

export function parseArgs(argv: string[]): { options: ReliabilityOptions; out: string; save: boolean } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number (got "${raw}")`);
    return value;
  };
  const quick = argv.includes('--quick');
  const base = defaultOptions(quick, num('soak-seconds'));
  const only = get('only')
    ?.split(',')
    .map((s) => s.trim());
  const unknown = only?.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown?.length)
    throw new Error(`--only: no scenario ${unknown.join(', ')} (there are ${SCENARIOS.join(', ')})`);
  const seed = num('seed');
  const cases = num('hostile-cases');
  const save = argv.includes('--save');
  const out = resolve(
    save
      ? RESULTS_FILE
      : (get('out') ??
          join(tmpdir(), `hub-reliability-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)),
  );
  if (!save && !relative(dirname(RESULTS_FILE), out).startsWith('..'))
    throw new Error(`${out} is a committed result: pass --save to replace bench/results/reliability.json`);
  return {
    options: {
      ...base,
      only: (only as Scenario[] | undefined) ?? base.only,
      hostile: { ...base.hostile, ...(seed ? { seed } : {}), ...(cases ? { casesPerFamily: cases } : {}) },
      childLogLevel: get('log-level') ?? base.childLogLevel,
      log: (line) => console.log(line),
    },
    out,
    save,
  };
}

async function main(): Promise<void> {
  const { options, out, save } = parseArgs(process.argv.slice(2));
  const results = await runReliability(options);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatReport(results)}\n`);
  for (const finding of results.hostile?.findings ?? [])
    console.log(`[hostile] finding: ${JSON.stringify(finding)}`);
  console.log(`[reliability] wrote ${out}`);
  if (save) {
    writeReadmeBlock(results);
    console.log('[reliability] README.md Reliability table regenerated');
  } else
    console.log(
      '[reliability] committed results unchanged (pass --save to replace them and the README table)',
    );
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(
        `[reliability] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
