import type { EntityManager } from '@mikro-orm/mongodb';
import { GraphQLError } from 'graphql';

/**
 * How long one request may run, and the setting that says so: the error names the setting, so
 * that whoever reads it knows what an operator would change.
 */
export interface RequestBudget {
  ms: number;
  setting: string;
}

/**
 * A request's cancellation: `signal` aborts when its caller hangs up before the answer is sent
 * (a gateway that timed out, a client that navigated away) or when its time budget is up. Work
 * done for a request nobody waits for any more only takes CPU, memory and database time from
 * the callers still waiting, so the kit's resolvers, loaders, pages and writes stop on it.
 */
export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** The caller is gone; a no-op once released. */
  abandon(): void;
  /** The request has ended: clears the timer, so that none outlives its request. */
  release(): void;
}

export function startDeadline(budget: RequestBudget | undefined): RequestDeadline {
  const controller = new AbortController();
  let released = false;
  const timer =
    budget &&
    setTimeout(() => {
      if (!released) controller.abort(requestTimedOut(budget));
    }, budget.ms);
  // A timer must not keep a stopping process alive: close() waits for requests anyway.
  timer?.unref();
  return {
    signal: controller.signal,
    abandon: () => {
      if (!released && !controller.signal.aborted) controller.abort(requestAbandoned());
    },
    release: () => {
      released = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export const REQUEST_TIMEOUT = 'REQUEST_TIMEOUT';
export const REQUEST_ABANDONED = 'REQUEST_ABANDONED';

/*
 * Both errors are thrown by every field that a stopped request would still have started, often
 * tens of thousands. Given a path, graphql-js takes such an error as already located and passes
 * it on as it is, instead of wrapping each throw in a new error with its own stack trace, which
 * took seconds for a large request.
 */
const LOCATED = { path: [] };

export function requestTimedOut(budget: RequestBudget): GraphQLError {
  return new GraphQLError(
    `The request ran longer than ${budget.ms} ms (${budget.setting}) and was stopped; nothing was ` +
      'changed after that. Ask for less (fewer aliases, shallower nesting, smaller pages) or split the request.',
    { ...LOCATED, extensions: { code: REQUEST_TIMEOUT, timeoutMs: budget.ms } },
  );
}

/** What a request whose caller hung up ends with; nobody reads it, but logs and tests do. */
export function requestAbandoned(): GraphQLError {
  return new GraphQLError(
    'The caller closed the connection before the answer was sent; the request was stopped',
    {
      ...LOCATED,
      extensions: { code: REQUEST_ABANDONED },
    },
  );
}

/** Throws the abort's reason (a REQUEST_TIMEOUT or REQUEST_ABANDONED error) once `signal` is aborted. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/*
 * The kit's loaders, pages and writes receive only a request's EntityManager fork, as the record
 * rules do (request-scope.ts); a fork made outside a request (seeding, scripts) has no signal
 * and is never stopped.
 */
const signals = new WeakMap<EntityManager, AbortSignal>();

export function bindSignal(em: EntityManager, signal: AbortSignal): void {
  signals.set(em, signal);
}

export function signalOf(em: EntityManager): AbortSignal | undefined {
  return signals.get(em);
}

/**
 * For code that is about to query or write with a request's EntityManager: throws once the
 * request has been stopped, so that no database work is started for it and nothing is written.
 */
export function assertNotStopped(em: EntityManager): void {
  throwIfStopped(signals.get(em));
}
