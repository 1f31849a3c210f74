import type { MikroORM } from '@mikro-orm/mongodb';
import type { Logger } from '../telemetry/logger';
import { ensurePendingCollection, PENDING_ABANDONED_AFTER_MS, reconcilePending } from './pending';

export interface AuditReconcilerOptions {
  /** The subgraph's logger: what a round did, or why it could not, is one line there. */
  log: Logger;
  /** How often pending entries are looked at again after the start; default PENDING_ABANDONED_AFTER_MS (30 s). */
  everyMs?: number;
}

export interface AuditReconciler {
  stop(): void;
}

/**
 * Settles or drops the pending audit entries whose writers are gone (pending.ts): once at start,
 * then every `everyMs`, since an entry left by a crash a moment ago (this process's previous
 * life, or another replica) may be judged only once it is PENDING_ABANDONED_AFTER_MS old. Every
 * replica runs it; two resolving one entry reach the same outcome, and its entry is inserted
 * once. A database that does not answer is not fatal: the next round tries again.
 */
export async function startAuditReconciler(
  orm: MikroORM,
  options: AuditReconcilerOptions,
): Promise<AuditReconciler> {
  const round = async (): Promise<void> => {
    try {
      const em = orm.em.fork();
      const { settled, discarded } = await reconcilePending(em, { olderThanMs: PENDING_ABANDONED_AFTER_MS });
      if (settled + discarded > 0)
        options.log.warn(
          { event: 'audit_reconciled', settled, discarded },
          `audit trail: ${settled} change(s) left unsettled by a stopped writer recorded, ` +
            `${discarded} pending entr${discarded === 1 ? 'y' : 'ies'} of changes never made dropped`,
        );
    } catch (error) {
      options.log.error(
        { err: error },
        `audit trail: pending entries not reconciled this round: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  };
  try {
    await ensurePendingCollection(orm.em.fork());
  } catch {
    // Created by the first pending entry instead; the database's state is the readiness check's business.
  }
  await round();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= round().finally(() => (running = undefined));
  }, options.everyMs ?? PENDING_ABANDONED_AFTER_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
