import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/mongodb';
import type { Collection } from 'mongodb';
import { conflict, isDuplicateKey } from '@clusterpolisee/kit';
import { LedgerEntry } from './entities/ledger-entry';

/**
 * Running figures that a rule across many documents is checked on (what remains of a partner's
 * budget, what of a project's total no partner budget takes yet), kept as a ledger: every change
 * of an account's figures is a new entry whose `_id` is `<account>#<seq>`, inserted only if the
 * rule holds on the entry before it. Two simultaneous changes read the same last entry, but only
 * one can insert the next `_id`; the other gets a duplicate key and tries again on the new last
 * entry, so the rule is checked on every change in turn, with no multi-document transaction.
 *
 * A unique `_id` is the one guarantee that MongoDB, FerretDB 1.24 and mongo-java-server all keep
 * under concurrency. A conditional update is not: FerretDB 1.24 (SQLite) reads the document and
 * then writes it, so simultaneous `$inc`s filtered on the same figure all match and all but one
 * are lost (measured: 20 concurrent `updateOne({n: {$gte: 3}}, {$inc: {n: -3}})` on n = 10 all
 * matched, and n ended at 7), and two versioned updates of one version may both succeed.
 *
 * Callers take before the write that the rule is about and give after it (see budget-holds.ts),
 * so that a crash in between leaves an account holding too much, never too little.
 */

export type Figures = Record<string, number>;

export interface Account<F extends Figures> {
  /** e.g. `budget:<budgetId>`. */
  id: string;
  /**
   * The figures of an account that has no entry yet, summed from the records; null when the
   * account's record is gone. Every writer makes sure the first entry exists before it writes a
   * record that the figures count, so a record written after the sum is entered by its writer,
   * and of two simultaneous first uses one inserts `#0` and the other reads it.
   */
  opening: () => Promise<F | null>;
}

type Entry<F extends Figures> = Omit<LedgerEntry, 'figures'> & { figures: F };

const entries = (em: EntityManager) =>
  em.getConnection().getCollection(LedgerEntry) as unknown as Collection<LedgerEntry>;

function entry<F extends Figures>(account: string, seq: number, figures: F, cause: string): Entry<F> {
  return { _id: `${account}#${seq}`, account, seq, figures, cause, at: new Date() };
}

/** The account's last entry, its first one summed from the records if it has none yet. */
export async function lastEntry<F extends Figures>(
  em: EntityManager,
  account: Account<F>,
): Promise<Entry<F> | null> {
  for (;;) {
    const [last] = await entries(em).find({ account: account.id }).sort({ seq: -1 }).limit(1).toArray();
    if (last) return last as Entry<F>;
    const opening = await account.opening();
    if (!opening) return null;
    try {
      await entries(em).insertOne(entry(account.id, 0, opening, 'opening'));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

/** Enough for a crowd of simultaneous changes of one account; past it the caller may retry. */
const ATTEMPTS = 200;

/**
 * Adds `by` to the account's figures in a new entry, if `check` (given the figures before it)
 * throws nothing; on a duplicate key another change came first, so it reads and checks again.
 */
export async function enter<F extends Figures>(
  em: EntityManager,
  account: Account<F>,
  by: Partial<F>,
  cause: string,
  check: (before: F) => void = () => {},
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const last = await lastEntry(em, account);
    if (!last) return;
    check(last.figures);
    const figures = { ...last.figures };
    for (const [name, value] of Object.entries(by))
      (figures as Figures)[name] = (figures[name] ?? 0) + value!;
    try {
      await entries(em).insertOne(entry(account.id, (last.seq ?? 0) + 1, figures, cause));
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Spreads the losers of a crowd out, so that they do not all meet again on the next entry.
      await sleep(Math.random() * Math.min(attempt + 1, 20));
    }
  }
  throw conflict(`${account.id} is changing too often right now; retry`, { id: account.id });
}

/**
 * Whether this is the first time `key` is marked, by a unique insert as the entries: for what
 * must be given back at most once although the write before it may succeed twice (above).
 */
export async function firstTime(em: EntityManager, key: string): Promise<boolean> {
  try {
    await entries(em).insertOne({ _id: `once#${key}`, at: new Date() } as LedgerEntry);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Starts the accounts again from the given figures, forgetting their entries. Only for a moment
 * when nothing changes what they count (a seed, a repair after a crash): an entry made meanwhile
 * would be lost, or counted twice by the figures.
 */
export async function reopen(em: EntityManager, openings: { id: string; figures: Figures }[]): Promise<void> {
  if (openings.length === 0) return;
  await entries(em).deleteMany({ account: { $in: openings.map((o) => o.id) } });
  await entries(em).insertMany(openings.map((o) => entry(o.id, 0, o.figures, 'opening')));
}
