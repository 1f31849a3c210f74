import type { EntityManager } from '@mikro-orm/mongodb';
import { requestScopeOf } from './request-scope';
import { isDuplicateKey } from './database-answers';

/*
 * Why claims exist: FerretDB 1.24 applies a filtered update as a read, then a write, so ten
 * simultaneous `updateOne({ _id, version: 1 }, ...)` can all match and all report one document
 * modified. The one guarantee MongoDB, FerretDB and mongo-java-server all give is that a second
 * insert of an `_id` is refused. So, before moving a record from version v, a writer inserts the
 * claim `<collection>:<record id>:<v+1>#0`; the insert that the database accepts is the only
 * writer allowed to send the update, and every other one answers CONFLICT.
 *
 * A writer can die, or stall, between its claim and its update, which would leave the record at v
 * behind a claim nobody will ever use. A claim therefore comes with a lease:
 * - its holder sends its update only while the claim is younger than CLAIM_LEASE_MS (by its own
 *   clock, from just before the claim's insert was sent); later, it gives up without writing;
 * - a claim older than CLAIM_ABANDONED_AFTER_MS is abandoned, and the next writer takes over by
 *   claiming attempt #1 (then #2...) of the same version, again by a plain insert, so that of
 *   several writers taking over at once exactly one wins each attempt.
 * The gap between the two (20 s) covers an update already sent when the lease ran out and the
 * clock difference between subgraph replicas: a takeover's update never overlaps the abandoned
 * holder's. The lease starts when the claim is taken, right before the update, not when the
 * request started, so it holds for scripts outside a request as for requests of any time budget.
 *
 * Claims are kept after a successful update: one small document per versioned write, beside the
 * larger audit entry the same write appends. Deleting a successful move's claim would be safe
 * (once the record is at v+1, an update filtered on version v matches nothing on any engine, so a
 * late writer winning the re-inserted claim changes nothing), but it would cost a round trip on
 * every write to save space nothing needs. A claim whose update the database refused is deleted at
 * once, while still within its lease (no one can have taken it over yet), so that the next
 * writer is not kept waiting; after the lease a claim is never deleted, since a writer holding a
 * later attempt may be at work and a re-inserted earlier attempt would let a second writer in.
 */

export const VERSION_CLAIMS_COLLECTION = 'hub_version_claims';
export const CLAIM_LEASE_MS = 10_000;
export const CLAIM_ABANDONED_AFTER_MS = 30_000;

/**
 * Each takeover needs the attempt before it to be abandoned, so a chain this long means claims
 * were damaged by hand, not a workload; refusing beats looping.
 */
const MAX_ATTEMPTS = 20;

interface VersionClaimDocument {
  _id: string;
  /** When the holder sent the claim, by its clock. */
  at: Date;
  /** The request that took it, for an operator looking at a blocked record; null outside requests. */
  requestId: string | null;
}

/** A claim this writer won: the right to move the record to `version`, until its lease ends. */
export interface VersionClaim {
  id: string;
  at: Date;
}

export function versionClaimId(collection: string, recordId: string, version: number, attempt = 0): string {
  return `${collection}:${recordId}:${version}#${attempt}`;
}

function claims(em: EntityManager) {
  return em.getConnection().getCollection<VersionClaimDocument>(VERSION_CLAIMS_COLLECTION);
}

/**
 * Claims the move of a record to `version`: the claim if this writer won it, null if another
 * writer holds it (or held it and moved the record).
 */
export async function claimVersion(
  em: EntityManager,
  collection: string,
  recordId: string,
  version: number,
): Promise<VersionClaim | null> {
  const requestId = requestScopeOf(em)?.requestId ?? null;
  let attempt = 0;
  for (let tries = 0; tries < MAX_ATTEMPTS; tries += 1) {
    const id = versionClaimId(collection, recordId, version, attempt);
    const at = new Date();
    try {
      await claims(em).insertOne({ _id: id, at, requestId });
      return { id, at };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const held = await claims(em).findOne({ _id: id });
    // Released by its holder between our insert and this read: the same attempt is free again.
    if (!held) continue;
    if (!isAbandoned(held.at)) return null;
    attempt += 1;
  }
  throw new Error(
    `${MAX_ATTEMPTS} claims to move ${collection} "${recordId}" to version ${version} were found abandoned; ` +
      `inspect the ${VERSION_CLAIMS_COLLECTION} documents starting "${versionClaimId(collection, recordId, version, 0).slice(0, -1)}"`,
  );
}

/**
 * Whether the holder may still send its update. Also the rule for a pending audit entry's writer
 * (audit/pending.ts), which must send its change within the lease from when it stored the entry.
 */
export function withinLease(claim: Pick<VersionClaim, 'at'>, now = Date.now()): boolean {
  return now - claim.at.getTime() < CLAIM_LEASE_MS;
}

/**
 * Gives back a claim whose update the database refused, so that the next writer need not wait
 * for it to be abandoned. Only within the lease: see the file's comment.
 */
export async function releaseClaim(em: EntityManager, claim: VersionClaim): Promise<void> {
  if (!withinLease(claim)) return;
  await claims(em).deleteOne({ _id: claim.id, at: claim.at });
}

/** A claim without a readable time was not written by the kit; it must not block a record forever. */
function isAbandoned(at: unknown, now = Date.now()): boolean {
  return !(at instanceof Date) || now - at.getTime() > CLAIM_ABANDONED_AFTER_MS;
}
