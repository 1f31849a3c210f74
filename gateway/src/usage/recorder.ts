// Usage aggregated in memory, keyed by (operation signature, client), and written to the
// registry's database every few seconds and at close. The number of entries is bounded whatever
// the traffic: once full, further (operation, client) pairs are folded into one overflow entry
// that still counts the coordinates they touched, so a usage check never misses a use.
import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '@clusterpolisee/kit/telemetry';
import type { Db } from 'mongodb';
import { OVERFLOW, insertUsage, type UsageRecord } from '../../../schema/registry/usage';

/** Longer header values are cut: a client name is a label, and memory per entry stays bounded. */
const MAX_LABEL = 100;

export interface UsageRecorderOptions {
  /** Entries kept between flushes, the overflow bucket aside. */
  maxEntries: number;
  /** null: never flushed on a timer (tests flush by hand). */
  flushSeconds: number | null;
  /** Where flushes go; undefined keeps counts in memory only. */
  db?: () => Db;
  /** The gateway's logger, told of a batch that could not be written; default a logger of its own. */
  log?: Pick<Logger, 'warn'>;
}

export interface UsageSighting {
  /** The operation's signature: the same text and operation name give the same one. */
  operation: string;
  operationName: string | null;
  client: string;
  clientVersion: string | null;
  /** Computed only when asked: an entry already held keeps the coordinates it was created with. */
  coordinates: () => Iterable<string>;
}

interface Entry {
  operation: string;
  operationName: string | null;
  client: string;
  clientVersion: string | null;
  coordinates: Set<string>;
  count: number;
  lastSeen: Date;
}

export class UsageRecorder {
  private entries = new Map<string, Entry>();
  private overflow: Entry | undefined;
  private readonly replica = randomUUID();
  private flushes = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly log: Pick<Logger, 'warn'>;

  constructor(private readonly options: UsageRecorderOptions) {
    this.log = options.log ?? createLogger({ service: 'gateway' });
    if (options.flushSeconds !== null) {
      this.timer = setInterval(() => void this.flush(), options.flushSeconds * 1000);
      this.timer.unref();
    }
  }

  record(sighting: UsageSighting, now = new Date()): void {
    const client = label(sighting.client);
    const clientVersion = sighting.clientVersion === null ? null : label(sighting.clientVersion);
    const key = JSON.stringify([sighting.operation, client, clientVersion]);
    const held = this.entries.get(key);
    if (held) {
      held.count += 1;
      held.lastSeen = now;
      return;
    }
    if (this.entries.size < this.options.maxEntries) {
      this.entries.set(key, {
        operation: sighting.operation,
        operationName: sighting.operationName === null ? null : label(sighting.operationName),
        client,
        clientVersion,
        coordinates: new Set(sighting.coordinates()),
        count: 1,
        lastSeen: now,
      });
      return;
    }
    // The overflow's coordinates are bounded by the schema's size, so counting them keeps the bound.
    this.overflow ??= {
      operation: OVERFLOW,
      operationName: null,
      client: OVERFLOW,
      clientVersion: null,
      coordinates: new Set(),
      count: 0,
      lastSeen: now,
    };
    this.overflow.count += 1;
    this.overflow.lastSeen = now;
    for (const coordinate of sighting.coordinates()) this.overflow.coordinates.add(coordinate);
  }

  /** What is held now: the memory bound is on `entries`. */
  stats(): { entries: number; overflowCount: number; overflowCoordinates: number } {
    return {
      entries: this.entries.size,
      overflowCount: this.overflow?.count ?? 0,
      overflowCoordinates: this.overflow?.coordinates.size ?? 0,
    };
  }

  /**
   * Writes what was counted since the last flush as new documents of this replica, then starts
   * afresh. A failed write drops that batch with a warning rather than keep it: holding it would
   * break the memory bound while the database is away.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const entries = [...this.entries.values(), ...(this.overflow ? [this.overflow] : [])];
      this.entries = new Map();
      this.overflow = undefined;
      if (entries.length === 0 || !this.options.db) return;
      const at = new Date();
      const flush = (this.flushes += 1);
      const records: UsageRecord[] = entries.map((entry, index) => ({
        _id: `${this.replica}:${flush}:${index}`,
        at,
        replica: this.replica,
        ...entry,
        coordinates: [...entry.coordinates],
      }));
      try {
        await insertUsage(this.options.db(), records);
      } catch (error) {
        this.log.warn(
          { err: error },
          `usage of ${records.length} operations not recorded: ${(error as Error).message}`,
        );
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

function label(value: string): string {
  return value.length > MAX_LABEL ? value.slice(0, MAX_LABEL) : value;
}
