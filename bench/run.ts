/**
 * `npm run bench [-- --scales 1,10,100] [--duration 5] [--rounds 3] [--save] [--out file.json]`
 *
 * Measures every scale of `--scales` in one run (the first is the primary scale: Hive Gateway and
 * the ceiling run there only), on the embedded default engine, and hub W1 on the other engine at
 * `--other-engine-scales` (default: those of 1 and 10 in `--scales`). Prints the report and the
 * total time, and writes the results to `--out`, by default a file in the system's temp folder:
 * the committed bench/results/latest.json and the README's figures change only with `--save`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { runBench, type BenchOptions } from './harness';
import { LATEST, writeReadmeFigures } from './readme';
import { formatReport } from './report';

const RESULTS = dirname(LATEST);

export interface BenchCommand {
  options: BenchOptions;
  out: string;
  save: boolean;
}

export function parseArgs(argv: string[]): BenchCommand {
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
  const list = (name: string, fallback: string) => {
    const raw = get(name) ?? fallback;
    if (raw === '') return [];
    const values = raw.split(',').map((x) => Number(x.trim()));
    if (values.some((x) => !Number.isInteger(x) || x < 1 || x > 1000))
      throw new Error(
        `--${name} must be whole seed scales from 1 to 1000, separated by commas (got "${raw}")`,
      );
    return [...new Set(values)];
  };
  // --scale N is the one-scale form of --scales.
  const scales = list('scales', get('scale') ?? '1,10,100');
  const duration = num('duration', 5);
  const save = argv.includes('--save');
  const out = resolve(
    save
      ? LATEST
      : (get('out') ?? join(tmpdir(), `hub-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)),
  );
  if (!save && !relative(RESULTS, out).startsWith('..'))
    throw new Error(`${out} is a committed result: pass --save to replace bench/results/latest.json`);
  const options: BenchOptions = {
    scales,
    otherEngineScales: list('other-engine-scales', scales.filter((s) => s === 1 || s === 10).join(',')),
    duration,
    w2Duration: num('w2-duration', Math.max(1, Math.round(duration * 0.6))),
    // 5 s: with 2 s the subgraphs were still being compiled by V8 in W1's first rounds (backend CPU
    // per request 11.7, 7.0 and 6.1 ms in rounds 1 to 3 of one run, for the hub and Hive alike).
    warmup: num('warmup', Math.min(5, duration)),
    rounds: num('rounds', 3),
    connections: num('connections', 50),
    w4Connections: num('w4-connections', 1),
    dbRequests: num('db-requests', 20),
    dbScales: list('db-scales', '1,10'),
    ceilingDuration: num('ceiling-duration', Math.min(3, duration)),
    log: (line) => console.log(line),
  };
  return { options, out, save };
}

async function main(): Promise<void> {
  const { options, out, save } = parseArgs(process.argv.slice(2));
  const results = await runBench(options);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatReport(results)}\n`);
  console.log(`[bench] wrote ${out}`);
  if (save) {
    writeReadmeFigures(results);
    console.log('[bench] README.md Performance figures regenerated');
  } else {
    console.log('[bench] committed results unchanged (pass --save to replace them and the README figures)');
  }
  const seconds = Math.round(results.totalSeconds);
  console.log(`[bench] total time ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
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
