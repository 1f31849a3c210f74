/**
 * Soak: `connections` connections of mixed reads for `seconds` (W1, W2 and every example
 * operation of the analysts' IDE, in turn on each connection, as an analyst, who may read all of
 * them), cut into windows (a minute each in the full run): requests, errors and p95 per window,
 * and the peak resident memory of every process in each window, sampled every second. The first
 * window is the warm-up; the last window's peak is compared with the warm-up's. Peaks rather than
 * one sample each: a process's RSS saws up and down between garbage collections by more than the
 * 10 % allowed, and a sample would say where in the saw it fell rather than whether it grows.
 */
import autocannon from 'autocannon';
import { loadExampleOperations } from '@clusterpolisee/gateway/ide';
import { percentile } from '../harness';
import { W1_QUERY, W2_QUERY } from '../queries';
import { round } from './http';
import type { ReliabilityStack } from './stack';

/** A read unanswered after this long counts as an error (autocannon's default). */
const TIMEOUT_SECONDS = 10;

export interface SoakOptions {
  seconds: number;
  windowSeconds: number;
  connections: number;
  /** Largest growth of a process's memory after the warm-up window that passes, in %. */
  maxGrowthPercent: number;
}

export interface SoakWindow {
  /** Seconds since the start at the window's end. */
  endsAt: number;
  requests: number;
  errors: number;
  /** null when no request finished in the window. */
  p95: number | null;
  /** Peak RSS of each process in the window, MB. */
  rssMb: Record<string, number | null>;
}

export interface SoakResult {
  options: SoakOptions;
  operations: string[];
  requests: number;
  requestsPerSecond: number;
  /** Answers that were not a full success: no answer, not HTTP 200, or GraphQL errors. */
  errors: number;
  /** Of the errors, requests unanswered after TIMEOUT_SECONDS. */
  timeouts: number;
  windows: SoakWindow[];
  /** Per process: (peak RSS in the last window - peak RSS in the warm-up window) / the latter, in %. */
  rssGrowthPercent: Record<string, number | null>;
  /** The largest of rssGrowthPercent. */
  maxRssGrowthPercent: number | null;
  rssGrowthWithinLimit: boolean | null;
}

export async function soak(
  stack: ReliabilityStack,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakResult> {
  const examples = loadExampleOperations(undefined, log);
  const operations = [
    { name: 'W1', query: W1_QUERY },
    { name: 'W2', query: W2_QUERY },
    ...examples.map((e) => ({ name: e.name, query: e.query })),
  ];
  const token = await stack.token({ role: 'analyst', sub: 'soak-analyst' });

  const began = Date.now();
  let current = { latencies: [] as number[], errors: 0 };
  let peaks: Record<string, number | null> = {};
  const sample = () => {
    for (const [name, mb] of Object.entries(stack.rssMb())) {
      const peak = peaks[name];
      peaks[name] = mb === null ? (peak ?? null) : Math.max(peak ?? 0, mb);
    }
  };
  const sampler = setInterval(sample, 1000);
  const windows: SoakWindow[] = [];
  const closeWindow = () => {
    sample();
    const { latencies, errors } = current;
    const rssMb = peaks;
    current = { latencies: [], errors: 0 };
    peaks = {};
    latencies.sort((a, b) => a - b);
    const window: SoakWindow = {
      endsAt: round((Date.now() - began) / 1000),
      requests: latencies.length,
      errors,
      p95: latencies.length ? round(percentile(latencies, 95)) : null,
      rssMb,
    };
    windows.push(window);
    log(
      `[soak] ${window.endsAt} s: ${window.requests} requests, ${window.errors} errors, p95 ${window.p95} ms, ` +
        `RSS ${Object.entries(window.rssMb)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} MB`,
    );
  };
  const timer = setInterval(closeWindow, options.windowSeconds * 1000);

  let errorsTotal = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: stack.gatewayUrl,
        connections: options.connections,
        duration: options.seconds,
        timeout: TIMEOUT_SECONDS,
        requests: operations.map((op) => ({
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: op.query }),
          // A GraphQL error arrives with HTTP 200: the body says whether the answer is whole.
          onResponse: (status: number, body: string) => {
            if (status !== 200 || body.includes('"errors"')) {
              current.errors++;
              errorsTotal++;
            }
          },
        })),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on('response', (_c: unknown, _s: number, _b: number, responseTime: number) =>
      current.latencies.push(responseTime),
    );
    // No answer, a broken connection, or none within TIMEOUT_SECONDS: once each.
    instance.on('reqError', () => {
      current.errors++;
      errorsTotal++;
    });
  });
  clearInterval(timer);
  clearInterval(sampler);
  // What finished after the last full window counts in the totals, not as a window of its own.
  if (current.latencies.length > 0 && windows.length === 0) closeWindow();
  const requests = windows.reduce((s, w) => s + w.requests, 0) + current.latencies.length;

  const first = windows[0]?.rssMb ?? {};
  const last = windows.at(-1)?.rssMb ?? {};
  const rssGrowthPercent = Object.fromEntries(
    Object.keys(first).map((name) => {
      const a = first[name];
      const b = last[name];
      return [name, windows.length < 2 || !a || !b ? null : round(((b - a) / a) * 100)];
    }),
  );
  const growths = Object.values(rssGrowthPercent).filter((x): x is number => x !== null);
  const maxRssGrowthPercent = growths.length ? Math.max(...growths) : null;
  return {
    options,
    operations: operations.map((o) => o.name),
    requests,
    requestsPerSecond: round(requests / options.seconds),
    errors: errorsTotal,
    timeouts: result.timeouts,
    windows,
    rssGrowthPercent,
    maxRssGrowthPercent,
    rssGrowthWithinLimit:
      maxRssGrowthPercent === null ? null : maxRssGrowthPercent <= options.maxGrowthPercent,
  };
}
