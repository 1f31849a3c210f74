/**
 * `npm run bench [-- --scale 10] [--duration 5] [--rounds 3] [--out bench/results/latest.json]`
 *
 * Writes the results to `--out` (default bench/results/latest.json) and to
 * bench/results/scale-<scale>.json, and prints a table. When the other scale's file exists, the
 * p95 of scale 10 is compared with that of scale 1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runBench, type BenchOptions, type BenchResults } from './harness';

const RESULTS = join(__dirname, 'results');

export function parseArgs(argv: string[]): { options: BenchOptions; out: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number) => {
    const raw = get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  const scale = num('scale', 1);
  const duration = num('duration', 5);
  const options: BenchOptions = {
    scale,
    duration,
    w2Duration: num('w2-duration', Math.max(1, Math.round(duration * 0.6))),
    warmup: num('warmup', Math.min(2, duration)),
    rounds: num('rounds', 3),
    connections: num('connections', 50),
    dbRequests: num('db-requests', 20),
    dbScales: (get('db-scales') ?? '1,10').split(',').map(Number),
    ceilingDuration: num('ceiling-duration', Math.min(3, duration)),
    log: (line) => console.log(line),
  };
  return { options, out: resolve(get('out') ?? join(RESULTS, 'latest.json')) };
}

/** The results as the README's table. */
export function formatTable(r: BenchResults): string {
  const rows: string[][] = [
    [
      'workload',
      'target',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'peak RSS MB',
      'CPU ms/req',
      'backend CPU ms/req',
    ],
  ];
  const add = (w: string, t: string, x: BenchResults['workloads']['W1']['hub']) =>
    rows.push([
      w,
      t,
      String(x.requestsPerSecond),
      String(x.p50),
      String(x.p95),
      String(x.p99),
      String(x.errors),
      String(x.peakRssMb ?? '-'),
      String(x.cpuMsPerRequest ?? '-'),
      String(x.backendCpuMsPerRequest ?? '-'),
    ]);
  add('W1 cross-subgraph', 'hub', r.workloads.W1.hub);
  add('W1 cross-subgraph', 'hive', r.workloads.W1.hive);
  add('W2 single-subgraph', 'hub', r.workloads.W2.hub);
  add('W2 single-subgraph', 'hive', r.workloads.W2.hive);
  add('W2 single-subgraph', 'direct', r.workloads.W2.direct);
  add(`W3 fixed ${r.workloads.W3.rate} req/s`, 'hub', r.workloads.W3.hub);
  add(`W3 fixed ${r.workloads.W3.rate} req/s`, 'hive', r.workloads.W3.hive);
  rows.push([
    'ceiling (plain node:http)',
    '-',
    String(r.ceiling.requestsPerSecond),
    String(r.ceiling.p50),
    '-',
    String(r.ceiling.p99),
    '-',
    '-',
    '-',
    '-',
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [
    line(rows[0]!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ];
  const db = Object.entries(r.dbCommandsPerRequest.byScale)
    .map(([scale, c]) => `scale ${scale}: W1 ${c.W1}, W2 ${c.W2}`)
    .join('; ');
  const targets = Object.entries(r.targets).map(
    ([name, t]) =>
      `- ${name}: ${t.value ?? '-'} (target ${t.target}): ${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'}`,
  );
  return [
    table.join('\n'),
    '',
    'CPU ms/req: user + system CPU time of the process serving, per request; backend: of the four subgraphs and the embedded database (for W2 direct, of the database alone).',
    `Scale ${r.options.scale}; ${r.options.rounds} rounds of ${r.options.duration} s (W2 ${r.options.w2Duration} s), ${r.options.connections} connections, medians.`,
    `hub/Hive W1 req/s: ${r.ratios.W1RequestsHubOverHive}; W3 req/s ${r.ratios.W3RequestsHubOverHive}, p95 ${r.ratios.W3P95HubOverHive}, p99 ${r.ratios.W3P99HubOverHive}`,
    `gateway tax W2 (through gateway / direct): hub ${r.ratios.W2GatewayTaxHub}, hive ${r.ratios.W2GatewayTaxHive}`,
    `DB commands/request (${db})`,
    ...targets,
  ].join('\n');
}

async function main(): Promise<void> {
  const { options, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results = await runBench(options);
  // The p95 target compares the two scales' runs: the other one is read from its own file.
  const otherScale = options.scale === 1 ? 10 : 1;
  const otherPath = join(RESULTS, `scale-${otherScale}.json`);
  if (existsSync(otherPath) && (options.scale === 1 || options.scale === 10)) {
    const other = JSON.parse(readFileSync(otherPath, 'utf8')) as BenchResults;
    const [s1, s10] = options.scale === 1 ? [results, other] : [other, results];
    const value =
      s1.workloads.W3.hub.p95 > 0
        ? Math.round((s10.workloads.W3.hub.p95 / s1.workloads.W3.hub.p95) * 100) / 100
        : null;
    results.targets.W3P95Scale10OverScale1Hub = {
      target: '<= 1.5 (hub W3 p95, scale 10 / scale 1, from scale-1.json and scale-10.json)',
      value,
      met: value === null ? null : value <= 1.5,
    };
  } else {
    results.targets.W3P95Scale10OverScale1Hub = {
      target: '<= 1.5 (run both `npm run bench` and `npm run bench -- --scale 10`)',
      value: null,
      met: null,
    };
  }
  const text = `${JSON.stringify(results, null, 2)}\n`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  if (out === resolve(join(RESULTS, 'latest.json')))
    writeFileSync(join(RESULTS, `scale-${options.scale}.json`), text);
  console.log(`\n${formatTable(results)}\n`);
  console.log(`[bench] wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s total`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(
        `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
