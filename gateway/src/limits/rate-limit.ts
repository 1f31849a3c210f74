// Rate limits per caller: operations per window for each token subject, and for each client
// address of anonymous callers, counted in MongoDB so that the limit holds across gateway replicas.
import type { Identity } from '@clusterpolisee/kit/auth';
import { GraphQLError } from 'graphql';
import type { MongoClient } from 'mongodb';
import { RateLimiterMemory, RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { httpHead } from '../http-head';

export interface RateLimiterOptions {
  /** The client of the counters' database; the limiter neither connects nor closes it. */
  mongo: MongoClient;
  database: string;
  /** Default `rate_limits`. */
  collection?: string;
  /** Operations per window for each token subject. */
  points: number;
  /** Operations per window for each anonymous client address. */
  anonymousPoints: number;
  windowSeconds: number;
  /** Longest wait for the store before this replica decides on its own counters. Default 250 ms. */
  storeTimeoutMs?: number;
  /** After the store failed, how long this replica counts alone before trying it again. Default 10 s. */
  storeRetryMs?: number;
  /** Default `console`. */
  logger?: Pick<Console, 'info' | 'warn'>;
  /** Told of each refused request (the rate-limit metrics); default nothing. */
  onRefused?: (caller: 'authenticated' | 'anonymous') => void;
}

export interface GatewayRateLimiter {
  /** Counts `operations` for the caller; throws RATE_LIMITED (HTTP 429 with Retry-After) past the limit. */
  consume(identity: Identity, clientAddress: string, operations: number): Promise<void>;
  /** Stops the periodic clean-up; the Mongo client is the caller's to close. */
  close(): void;
}

interface Bucket {
  points: number;
  who: string;
  store: RateLimiterMongo;
  memory: RateLimiterMemory;
}

interface Waiter {
  points: number;
  resolve: (decision: { allowed: boolean; msBeforeNext: number }) => void;
}

/**
 * rate-limiter-flexible's RateLimiterMongo, with three additions:
 *
 * - Requests of one caller that arrive while its count is being updated wait and are counted
 *   together in one update: one database round trip per caller at a time, however many requests
 *   it sends. FerretDB (the embedded database) applies concurrent `$inc` updates of one document
 *   non-atomically and loses some; serialising per caller keeps one replica exact on it too.
 * - A caller over its limit is refused from memory until its window ends, without asking the store.
 * - If the store fails or is slower than `storeTimeoutMs`, this replica counts on its own in memory
 *   (the same limits, per replica) for `storeRetryMs`, then tries the store again. Neither open
 *   (no limit at all while MongoDB is down) nor closed (the hub down with its database): the
 *   limit stays, only not shared.
 *
 * No TTL index (FerretDB 1.24 has none, and the hub's code keeps to what both run): the limiter's
 * upsert ignores expired counters and replaces them in place, and a clean-up each window deletes
 * those of callers who stopped calling.
 */
export function createRateLimiter(options: RateLimiterOptions): GatewayRateLimiter {
  const logger = options.logger ?? console;
  const storeTimeoutMs = options.storeTimeoutMs ?? 250;
  const storeRetryMs = options.storeRetryMs ?? 10_000;
  const tableName = options.collection ?? 'rate_limits';
  const collection = options.mongo.db(options.database).collection(tableName);
  const duration = options.windowSeconds;

  const bucket = (keyPrefix: string, points: number, who: string): Bucket => ({
    points,
    who,
    store: new RateLimiterMongo({
      storeClient: options.mongo,
      dbName: options.database,
      tableName,
      keyPrefix,
      points,
      duration,
      // Its own creation includes a TTL index, which FerretDB refuses; ensureIndex below instead.
      disableIndexesCreation: true,
    }),
    memory: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
  const authenticated = bucket('sub', options.points, 'each caller');
  const anonymous = bucket('ip', options.anonymousPoints, 'each anonymous client address');

  let indexed: Promise<boolean> | undefined;
  const ensureIndex = () =>
    (indexed ??= collection.createIndex({ key: 1 }, { unique: true }).then(
      () => true,
      (error: unknown) => {
        // Without it two replicas may both create a caller's counter; retried at the next clean-up.
        logger.warn(
          `[gateway] rate limits: cannot create the unique index on ${tableName}: ${describe(error)}`,
        );
        indexed = undefined;
        return false;
      },
    ));
  void ensureIndex();
  const cleanup = setInterval(
    () => {
      void ensureIndex();
      collection.deleteMany({ expire: { $lt: new Date() } }).catch(() => undefined);
      const now = Date.now();
      for (const [key, until] of blocked) if (until <= now) blocked.delete(key);
    },
    Math.max(duration, 60) * 1000,
  );
  cleanup.unref();

  let storeDownUntil = 0;
  const count = async (target: Bucket, caller: string, points: number): Promise<RateLimiterRes> => {
    if (Date.now() >= storeDownUntil) {
      try {
        const result = await settled(withTimeout(target.store.consume(caller, points), storeTimeoutMs));
        if (storeDownUntil !== 0) {
          storeDownUntil = 0;
          logger.info('[gateway] rate limits: the store answers again; limits are shared across replicas.');
        }
        return result;
      } catch (error) {
        if (storeDownUntil === 0) {
          logger.warn(
            `[gateway] rate limits: the store failed (${describe(error)}); each replica counts on its own ` +
              `until it answers again (retried every ${storeRetryMs / 1000} s).`,
          );
        }
        storeDownUntil = Date.now() + storeRetryMs;
      }
    }
    return settled(target.memory.consume(caller, points));
  };

  // Keyed by slot, `<bucket>:<caller>`: the requests waiting while a caller's count is in flight
  // (the slot is present exactly while one is), and until when an over-limit caller is refused.
  const queues = new Map<string, Waiter[]>();
  const blocked = new Map<string, number>();

  const run = async (target: Bucket, slot: string, caller: string, first: Waiter[]): Promise<void> => {
    let batch = first;
    for (;;) {
      const total = batch.reduce((sum, waiter) => sum + waiter.points, 0);
      let result: RateLimiterRes;
      try {
        result = await count(target, caller, total);
      } catch {
        // Even the memory limiter failed: let the requests through rather than fail them.
        result = new RateLimiterRes(target.points, 0, 0);
      }
      let consumed = result.consumedPoints - total;
      for (const waiter of batch) {
        consumed += waiter.points;
        waiter.resolve({ allowed: consumed <= target.points, msBeforeNext: result.msBeforeNext });
      }
      if (result.consumedPoints > target.points) blocked.set(slot, Date.now() + result.msBeforeNext);
      const next = queues.get(slot) ?? [];
      if (next.length === 0) {
        queues.delete(slot);
        return;
      }
      queues.set(slot, []);
      batch = next;
    }
  };

  const decide = (target: Bucket, caller: string, points: number) => {
    const slot = `${target.store.keyPrefix}:${caller}`;
    const until = blocked.get(slot);
    if (until !== undefined) {
      const left = until - Date.now();
      if (left > 0) return Promise.resolve({ allowed: false, msBeforeNext: left });
      blocked.delete(slot);
    }
    return new Promise<{ allowed: boolean; msBeforeNext: number }>((resolve) => {
      const waiting = queues.get(slot);
      if (waiting) {
        waiting.push({ points, resolve });
        return;
      }
      queues.set(slot, []);
      void run(target, slot, caller, [{ points, resolve }]);
    });
  };

  return {
    async consume(identity, clientAddress, operations) {
      const isAnonymous = identity.role === 'anonymous';
      const target = isAnonymous ? anonymous : authenticated;
      const caller = isAnonymous ? normaliseAddress(clientAddress) : identity.subject;
      const { allowed, msBeforeNext } = await decide(target, caller, operations);
      if (allowed) return;
      options.onRefused?.(isAnonymous ? 'anonymous' : 'authenticated');
      throw rateLimited(target, duration, msBeforeNext, isAnonymous ? options.points : undefined);
    },
    close() {
      clearInterval(cleanup);
    },
  };
}

function rateLimited(
  target: Bucket,
  windowSeconds: number,
  msBeforeNext: number,
  authenticatedPoints: number | undefined,
): GraphQLError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const at = new Date(Date.now() + seconds * 1000).toISOString();
  const more = authenticatedPoints ? ` Callers with a token may send ${authenticatedPoints}.` : '';
  return new GraphQLError(
    `Rate limit reached: ${target.points} operations per ${windowSeconds} s for ${target.who}. ` +
      `Retry after ${seconds} s (at ${at}).${more}`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds: seconds,
        http: httpHead(429, { 'retry-after': String(seconds) }),
      },
    },
  );
}

/** The limiter rejects with a RateLimiterRes past the limit: both outcomes are a count here. */
async function settled(consumption: Promise<RateLimiterRes>): Promise<RateLimiterRes> {
  try {
    return await consumption;
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return outcome;
    throw outcome;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
