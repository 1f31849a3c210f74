// Smoke test for `npm run bench`: the whole bench at scale 1 with tiny durations and few
// connections, on both embedded engines when the test run's database is embedded, so that it keeps
// working and keeps the keys tools read from bench/results/latest.json; the numbers mean nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES } from '@clusterpolisee/infra/database';
import { ROOT } from '@clusterpolisee/infra/local/services';
import { runBench, type BenchResults } from '../../bench/harness';
import { LATEST, writeReadmeFigures } from '../../bench/readme';
import { BENCH_END, BENCH_START, formatReport } from '../../bench/report';
import { parseArgs } from '../../bench/run';

jest.setTimeout(150_000);

/** What tools read, for every workload and target: `workloads.<W>.<target>.<key>`. */
const TARGETS = { W1: ['hub', 'hive'], W2: ['hub', 'hive', 'direct'], W3: ['hub', 'hive'], W4: ['hub'] };
const KEYS = ['requestsPerSecond', 'p95', 'cpuMsPerRequest', 'backendCpuMsPerRequest', 'peakRssMb'];

// With MONGODB_URI the bench measures that server alone, whose CPU it cannot see.
const embedded = process.env.HUB_TEST_DB_EMBEDDED === '1';

/** Each key's path whose value is not a positive finite number. */
function notPositive(root: unknown, paths: string[][]): string[] {
  return paths
    .filter((path) => {
      const value = path.reduce<unknown>(
        (at, key) => (at as Record<string, unknown> | undefined)?.[key],
        root,
      );
      return !(typeof value === 'number' && Number.isFinite(value) && value > 0);
    })
    .map((path) => path.join('.'));
}

function workloadPaths(prefix: string[]): string[][] {
  return Object.entries(TARGETS).flatMap(([w, targets]) =>
    targets.flatMap((t) =>
      KEYS.filter(
        // A subgraph called directly has the database behind it, which is not watched on MONGODB_URI.
        (k) => embedded || !(t === 'direct' && k === 'backendCpuMsPerRequest'),
      ).map((k) => [...prefix, w, t, k]),
    ),
  );
}

describe('npm run bench (smoke)', () => {
  let results: BenchResults;

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    // The bench starts its own embedded engines, as `npm run bench` does on a machine without MONGODB_URI.
    if (embedded) delete process.env.MONGODB_URI;
    try {
      results = await runBench({
        scales: [1],
        otherEngineScales: [1],
        duration: 2,
        w2Duration: 1,
        warmup: 0,
        rounds: 1,
        connections: 2,
        w4Connections: 2,
        dbRequests: 1,
        dbScales: [1],
        ceilingDuration: 1,
        log: () => {},
      });
    } finally {
      process.env.MONGODB_URI = uri;
    }
  });

  it('checks that both gateways answer identically', () => {
    expect(results.identicalResponses).toEqual({ W1: true, W2: true });
  });

  it('writes every key tools read as a positive finite number, at the primary scale and per scale', () => {
    expect(results.primaryScale).toBe(1);
    expect(Object.keys(results.scales)).toEqual(['1']);
    const paths = [...workloadPaths(['workloads']), ...workloadPaths(['scales', '1', 'workloads'])];
    // CPU and memory are read from /proc.
    const measurable =
      process.platform === 'linux' ? paths : paths.filter((p) => p.at(-1) === 'requestsPerSecond');
    expect(notPositive(results, measurable)).toEqual([]);
    expect(results.workloads.W3.rate).toBeGreaterThan(0);
    expect(results.ceiling.requestsPerSecond).toBeGreaterThan(0);
  });

  it('answers every request of every workload without errors', () => {
    for (const [w, targets] of Object.entries(TARGETS))
      for (const t of targets)
        expect([w, t, results.workloads[w as 'W1'][t as 'hub'].errors]).toEqual([w, t, 0]);
  });

  it('runs hub W1 on both engines in the same run, and compares them as a target', () => {
    const names = embedded ? [...ENGINES] : ['MONGODB_URI'];
    expect(Object.keys(results.engines).sort()).toEqual([...names].sort());
    expect(
      notPositive(
        results,
        names.map((n) => ['engines', n, 'W1', 'requestsPerSecond']),
      ),
    ).toEqual([]);
    expect(
      notPositive(
        results,
        names.map((n) => ['engines', n, 'scales', '1', 'W1', 'requestsPerSecond']),
      ),
    ).toEqual([]);
    if (embedded) expect(results.targets.W1MongoJavaServerOverFerretdbScale1!.value).toBeGreaterThan(0);
  });

  it('reports the targets, with met or missed where this run measured them', () => {
    for (const t of Object.values(results.targets)) {
      expect(typeof t.target).toBe('string');
      expect([true, false, null]).toContain(t.met);
    }
    expect(results.targets.W4AtEachScale).toMatchObject({ value: 1, met: true });
    expect(results.targets.W1HubOverHive!.met).not.toBeNull();
    // Scales 10 and 100 were not run.
    expect(results.targets.W1Scale10OverScale1!.met).toBeNull();
    const counts = results.dbCommandsPerRequest.byScale['1']!;
    expect([counts.W1, counts.W2, counts.W4].every((c) => c > 0)).toBe(true);
  });

  it('rewrites only the figures block of a README, as prettier lays it out, and refuses one without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    try {
      const readme = join(dir, 'README.md');
      writeFileSync(readme, `# Hub\n\nBefore.\n\n${BENCH_START}\n\nold figures\n\n${BENCH_END}\n\nAfter.\n`);
      writeReadmeFigures(results, readme);
      // As `npm run format:check` will see it in the real README.
      const prettier = spawnSync(
        join(ROOT, 'node_modules/.bin/prettier'),
        ['--config', join(ROOT, '.prettierrc.json'), '--check', readme],
        {
          encoding: 'utf8',
        },
      );
      expect(prettier.stderr).toBe('');
      expect(prettier.status).toBe(0);
      const text = readFileSync(readme, 'utf8');
      expect(text).not.toContain('old figures');
      expect(text).toMatch(/^# Hub\n\nBefore\.\n\n<!-- bench:start/);
      expect(text).toContain('| W4 finance officer');
      expect(text).toMatch(/<!-- bench:end -->\n\nAfter\.\n$/);
      writeFileSync(readme, '# Hub\n');
      expect(() => writeReadmeFigures(results, readme)).toThrow(/bench:start/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(formatReport(results)).toContain('W1 cross-subgraph');
  });

  it('writes the committed results only with --save', () => {
    expect(parseArgs([]).out).not.toBe(LATEST);
    expect(parseArgs([]).options.scales).toEqual([1, 10, 100]);
    expect(parseArgs(['--save']).out).toBe(LATEST);
    expect(() => parseArgs(['--out', LATEST])).toThrow(/--save/);
    expect(parseArgs(['--scales', '1,10']).options.otherEngineScales).toEqual([1, 10]);
  });
});
