/**
 * GraphQL over HTTP as the scenarios send it, and a closed-loop load of such requests that keeps
 * every answer (when it started, how long it took, its status and error codes): the kill scenarios
 * need to know which request failed when, which autocannon's counters do not say.
 */
export interface Answer {
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  ms: number;
  /** The parsed body; undefined when it was not JSON. */
  body?: { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  /** The raw body when it was not JSON, or the network error. */
  text?: string;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export async function send(url: string, request: GraphQLRequest, timeoutMs = 30_000): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    try {
      return { status: response.status, ms, body: JSON.parse(text) as Answer['body'] };
    } catch {
      return { status: response.status, ms, text: text.slice(0, 500) };
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, ms: performance.now() - started, text: cause ?? (error as Error).message };
  }
}

/** The `extensions.code` of each error of an answer ('NONE' for an error without one). */
export const codesOf = (answer: Answer): string[] =>
  (answer.body?.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');

/** Answered in full: HTTP 200 and no error. */
export const succeeded = (answer: Answer): boolean => answer.status === 200 && !answer.body?.errors?.length;

/**
 * An internal failure as a caller sees it: a 5xx, no answer, a body that is not GraphQL, or an
 * error coded INTERNAL_SERVER_ERROR or not coded at all (every refusal of the hub names a code).
 */
export function internalFailure(answer: Answer): string | undefined {
  if (answer.status === 0) return `no answer (${answer.text})`;
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (!answer.body) return `HTTP ${answer.status} with a body that is not JSON`;
  const codes = codesOf(answer);
  if (codes.includes('INTERNAL_SERVER_ERROR')) return 'INTERNAL_SERVER_ERROR';
  if (codes.includes('NONE')) return 'an error without extensions.code';
  return undefined;
}

export interface Sample {
  kind: string;
  /** ms since the load began. */
  at: number;
  answer: Answer;
}

/**
 * `connections` loops, each sending its next request as soon as its last one is answered, until
 * `until()` says stop. `next(i)` names the request and its kind; every answer is kept.
 */
export async function closedLoop(options: {
  url: string;
  connections: number;
  next: (loop: number, n: number) => GraphQLRequest & { kind: string };
  until: () => boolean;
  onAnswer?: (sample: Sample) => void;
  timeoutMs?: number;
}): Promise<Sample[]> {
  const began = performance.now();
  const samples: Sample[] = [];
  await Promise.all(
    Array.from({ length: options.connections }, async (_, loop) => {
      for (let n = 0; !options.until(); n++) {
        const { kind, ...request } = options.next(loop, n);
        const at = performance.now() - began;
        const sample = { kind, at, answer: await send(options.url, request, options.timeoutMs) };
        samples.push(sample);
        options.onAnswer?.(sample);
        // A refused connection answers at once: without a pause a loop would spin on it.
        if (sample.answer.status === 0) await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  return samples;
}

/** Runs `tasks` with at most `limit` at a time, in order of the array. */
export async function inBatches<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
