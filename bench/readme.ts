/**
 * `npm run bench:readme [-- results.json]`: rewrites the figures of the README's Performance
 * section, between BENCH_START and BENCH_END, from bench/results/latest.json (or the file named),
 * laid out as prettier lays out Markdown (the smoke test checks it), so that `npm run format:check`
 * stays clean. `npm run bench -- --save` runs it after saving.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResults } from './harness';
import { BENCH_END, BENCH_START, formatReport } from './report';

export const README = join(__dirname, '..', 'README.md');
export const LATEST = join(__dirname, 'results', 'latest.json');

export function writeReadmeFigures(results: BenchResults, readmePath = README): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(BENCH_START);
  const end = text.indexOf(BENCH_END);
  if (start < 0 || end < start) {
    throw new Error(
      `${readmePath} has no figures block: put the lines ${BENCH_START} and ${BENCH_END} around the figures of its Performance section`,
    );
  }
  const next = `${text.slice(0, start)}${BENCH_START}\n\n${formatReport(results)}\n\n${text.slice(end)}`;
  writeFileSync(readmePath, next);
}

if (require.main === module) {
  const path = resolve(process.argv[2] ?? LATEST);
  try {
    writeReadmeFigures(JSON.parse(readFileSync(path, 'utf8')) as BenchResults);
    console.log(`[bench] README.md's Performance figures rewritten from ${path}`);
  } catch (error) {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
