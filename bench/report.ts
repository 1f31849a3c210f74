/**
 * The bench's results as Markdown: printed at the end of `npm run bench`, and written into the
 * README's Performance section between BENCH_START and BENCH_END (bench/readme.ts), so that the
 * figures there are always those of bench/results/latest.json.
 */
import type { BenchResults, TargetResult } from './harness';

export const BENCH_START =
  '<!-- bench:start: generated from bench/results/latest.json by npm run bench:readme -->';
export const BENCH_END = '<!-- bench:end -->';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '-' : String(x));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(rows[0]!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

function workloadRows(r: BenchResults): string[][] {
  const rows = [
    [
      'scale',
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
  const add = (scale: string, workload: string, target: string, x: TargetResult | undefined) => {
    if (!x) return;
    rows.push([
      scale,
      workload,
      target,
      show(x.requestsPerSecond),
      show(x.p50),
      show(x.p95),
      show(x.p99),
      show(x.errors),
      show(x.peakRssMb),
      show(x.cpuMsPerRequest),
      show(x.backendCpuMsPerRequest),
    ]);
  };
  for (const [scale, { workloads: w }] of Object.entries(r.scales)) {
    add(scale, 'W1 cross-subgraph', 'hub', w.W1.hub);
    add(scale, 'W1 cross-subgraph', 'hive', w.W1.hive);
    add(scale, 'W2 single-subgraph', 'hub', w.W2.hub);
    add(scale, 'W2 single-subgraph', 'hive', w.W2.hive);
    add(scale, 'W2 single-subgraph', 'direct', w.W2.direct);
    add(scale, `W3 fixed ${w.W3.rate} req/s`, 'hub', w.W3.hub);
    add(scale, `W3 fixed ${w.W3.rate} req/s`, 'hive', w.W3.hive);
    add(scale, 'W4 finance officer', 'hub', w.W4.hub);
  }
  rows.push([
    String(r.primaryScale),
    'ceiling (plain node:http)',
    '-',
    show(r.ceiling.requestsPerSecond),
    show(r.ceiling.p50),
    '-',
    show(r.ceiling.p99),
    '-',
    '-',
    '-',
    '-',
  ]);
  return rows;
}

function engineRows(r: BenchResults): string[][] {
  const rows = [['engine', 'scale', 'seed s', 'hub W1 req/s', 'p95 ms', 'backend CPU ms/req', 'errors']];
  for (const [engine, e] of Object.entries(r.engines))
    for (const [scale, { seedSeconds, W1 }] of Object.entries(e.scales))
      rows.push([
        engine,
        scale,
        show(seedSeconds),
        show(W1.requestsPerSecond),
        show(W1.p95),
        show(W1.backendCpuMsPerRequest),
        show(W1.errors),
      ]);
  return rows;
}

export function formatReport(r: BenchResults): string {
  const o = r.options;
  const m = r.machine;
  const db = Object.entries(r.dbCommandsPerRequest.byScale)
    .map(([scale, c]) => `scale ${scale}: W1 ${c.W1}, W2 ${c.W2}, W4 ${c.W4}`)
    .join('; ');
  const targets = table([
    ['target', 'measured', 'result'],
    ...Object.values(r.targets).map((t) => [
      t.target,
      show(t.value),
      t.met === null ? 'not measured' : t.met ? '**met**' : '**missed**',
    ]),
  ]);
  return [
    `One run of \`npm run bench -- --scales ${o.scales.join(',')}\` (${r.generatedAt.slice(0, 10)}, ` +
      `${Math.round(r.totalSeconds)} s in all) on ${m.cpus} vCPUs (${m.cpuModel}), ${m.memoryGb} GiB memory, ` +
      `Node ${m.node.replace(/^v/, '')}, ${m.platform}, everything on the same cores. Every workload on ` +
      `${r.engine}; Hive Gateway and the ceiling at scale ${r.primaryScale} only. ${o.rounds} rounds of ` +
      `${o.duration} s (W2 ${o.w2Duration} s) after ${o.warmup} s of warm-up and a lead-in of one request's time, ` +
      `${o.connections} connections (W4 ${o.w4Connections}), medians.`,
    '',
    table(workloadRows(r)),
    '',
    'Hub W1 on each engine, in the same run:',
    '',
    table(engineRows(r)),
    '',
    `Ratios at scale ${r.primaryScale}: hub / Hive W1 ${r.ratios.W1RequestsHubOverHive} (req/s); W3 req/s ` +
      `${r.ratios.W3RequestsHubOverHive}, p95 ${r.ratios.W3P95HubOverHive}, p99 ${r.ratios.W3P99HubOverHive}; ` +
      `gateway tax on W2 (through the gateway / direct) hub ${r.ratios.W2GatewayTaxHub}, Hive ${r.ratios.W2GatewayTaxHive}. ` +
      `Database commands per request: ${db}.`,
    '',
    'Targets:',
    '',
    targets,
  ].join('\n');
}
