import type { EntityManager } from '@mikro-orm/mongodb';
import { forbidden } from '../errors';
import { requestScopeOf } from '../request-scope';
import { boundOrganisation, type Identity } from './roles';

/**
 * A record that partner organisations may own. Records that do not implement it belong to the
 * project as a whole: organisation-bound roles never change them.
 */
export interface OwnedRecord {
  /** The organisations whose partner roles may change (and, with `own-organisation`, see) the record. */
  ownerOrganisationIds(): readonly (string | null | undefined)[];
}

function ownersOf(record: object): readonly string[] | undefined {
  const owned = record as Partial<OwnedRecord>;
  if (typeof owned.ownerOrganisationIds !== 'function') return undefined;
  return owned.ownerOrganisationIds().filter((id): id is string => typeof id === 'string' && id !== '');
}

/** True when the record rules let `identity` act on `record`: always for roles not bound to one organisation. */
export function isOwnRecord(identity: Identity, record: object): boolean {
  const own = boundOrganisation(identity);
  if (own === undefined) return true;
  const owners = ownersOf(record);
  return owners !== undefined && owners.length > 0 && owners.every((id) => id === own);
}

/**
 * The record rule for writes: a partner changes only its own organisation's records. Checked by
 * the kit's write helpers on the stored record and on the record as it would be after the
 * change, so that a partner can neither edit another's record nor hand its own to another.
 */
export function assertMayChange(em: EntityManager, typename: string, id: string, ...states: object[]): void {
  const scope = requestScopeOf(em);
  if (!scope) return;
  const { identity } = scope;
  for (const state of states) {
    if (isOwnRecord(identity, state)) continue;
    const owners = ownersOf(state);
    throw forbidden(
      owners === undefined || owners.length === 0
        ? `${typename} "${id}" belongs to the project as a whole: a ${identity.role} may not change it; ask the coordinator`
        : `${typename} "${id}" belongs to ${owners.join(', ')}: a ${identity.role} of ${identity.organisationId} may change only that organisation's records`,
      { typename, key: id },
    );
  }
}
