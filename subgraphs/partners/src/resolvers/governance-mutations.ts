import {
  badUserInput,
  conflict,
  flushNew,
  formatIsoDate,
  requiredText,
  archiveMutation,
  changedOnly,
  loadForUpdate,
  slugId,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { GoverningBody, Meeting, type Membership } from '../entities';
import { dateInProject } from '../rules';

const PLACE = { max: 200 };
const DECISION = { max: 2000 };
const MAX_DECISIONS = 100;
/** Roles a body gives to one seat at most. */
const SINGLE_SEAT_ROLES = new Set(['CHAIR', 'COORDINATOR']);

function decisions(field: string, values: readonly string[]): string[] {
  if (values.length > MAX_DECISIONS)
    throw badUserInput(field, `must hold at most ${MAX_DECISIONS} decisions`);
  return values.map((value, i) => requiredText(`${field}.${i}`, value, DECISION));
}

export function membershipId(organisationId: string, personId?: string | null): string {
  return personId ? slugId(organisationId, personId) : organisationId;
}

export const governanceMutations: MutationResolvers = {
  addMembership: async (_root, { bodyId, version, input }, context) => {
    const body = await loadForUpdate(context.em, GoverningBody, 'GoverningBody', bodyId, version);
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 200 });
    const organisation = await context.loaders.organisation.load(organisationId);
    if (!organisation || organisation.archived) {
      throw badUserInput(
        'input.organisationId',
        `"${organisationId}" is not a current organisation of the hub`,
      );
    }
    const source = requiredText('input.source', input.source);
    const personId = input.personId?.trim() || null;
    if (personId) {
      const person = await context.loaders.person.load(personId);
      if (!person || person.archived) {
        throw badUserInput('input.personId', `"${personId}" is not a current person of the hub`);
      }
      if (person.organisationId !== organisationId) {
        throw badUserInput(
          'input.personId',
          `"${personId}" works for ${person.organisationId}, not ${organisationId}`,
        );
      }
    }
    if (SINGLE_SEAT_ROLES.has(input.role) && body.memberships.some((m) => m.role === input.role)) {
      throw badUserInput('input.role', `${body.name} already has a ${input.role.toLowerCase()}; it has one`);
    }
    const id = membershipId(organisationId, personId);
    if (body.memberships.some((m) => m.id === id)) {
      throw conflict(`${personId ?? organisationId} already holds a seat on ${body.name}`, { id });
    }
    const membership: Membership = {
      id,
      organisationId,
      personId,
      role: input.role,
      source,
    };
    // The whole list is written back under the version the caller read: one document, one
    // conditional update, so two concurrent edits cannot lose each other's seats.
    return updateVersioned(context.em, GoverningBody, 'GoverningBody', bodyId, version, {
      memberships: [...body.memberships, membership],
    });
  },

  removeMembership: async (_root, { bodyId, version, membershipId: id }, context) => {
    const body = await loadForUpdate(context.em, GoverningBody, 'GoverningBody', bodyId, version);
    if (!body.memberships.some((m) => m.id === id)) {
      throw badUserInput('membershipId', `${body.name} has no seat "${id}"`);
    }
    return updateVersioned(context.em, GoverningBody, 'GoverningBody', bodyId, version, {
      memberships: body.memberships.filter((m) => m.id !== id),
    });
  },

  createMeeting: async (_root, { input }, context) => {
    const bodyId = requiredText('input.bodyId', input.bodyId, { max: 200 });
    const body = await context.loaders.governingBody.load(bodyId);
    if (!body || body.archived)
      throw badUserInput('input.bodyId', `"${bodyId}" is not a current governing body`);
    const date = dateInProject('input.date', input.date, body.projectId);
    const fields = {
      bodyId,
      date,
      place: requiredText('input.place', input.place, PLACE),
      decisions: decisions('input.decisions', input.decisions ?? []),
      source: requiredText('input.source', input.source),
    };
    const id = `${bodyId}-${formatIsoDate(date)}`;
    const duplicate = () =>
      conflict(`${body.name} already has a meeting on ${formatIsoDate(date)} (id "${id}")`, { id });
    if (await context.loaders.meeting.load(id)) throw duplicate();
    const meeting = context.em.create(Meeting, { _id: id, ...fields });
    await flushNew(context.em, duplicate);
    return meeting;
  },

  updateMeeting: async (_root, { id, version, input }, { em }) => {
    await loadForUpdate(em, Meeting, 'Meeting', id, version);
    const change = updateInput(input);
    const changes = changedOnly({
      place: change.required('place', (v, f) => requiredText(f, v, PLACE)),
      decisions: change.optional('decisions', (v, f) => decisions(f, v), []),
      source: change.required('source', (v, f) => requiredText(f, v)),
    });
    return updateVersioned(em, Meeting, 'Meeting', id, version, changes);
  },

  archiveMeeting: archiveMutation(Meeting, 'Meeting'),
};
