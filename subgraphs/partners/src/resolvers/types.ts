import { formatIsoDate } from '@clusterpolisee/kit';
import type {
  CountryResolvers,
  GoverningBodyResolvers,
  MeetingResolvers,
  MembershipResolvers,
  OrganisationResolvers,
  PersonResolvers,
  ProjectPartnerResolvers,
  ProjectResolvers,
} from '../__generated__/resolvers';
import type { Context } from '../loaders';

/** A reference stored here must resolve: a dangling one is a bug, not a client's error. */
async function required<T>(value: Promise<T | null>, what: string): Promise<T> {
  const found = await value;
  if (!found) throw new Error(`Stored reference to a missing ${what}`);
  return found;
}

const organisationOf = (id: string, { loaders }: Context) =>
  required(loaders.organisation.load(id), `organisation ${id}`);
const countryOf = (code: string, { loaders }: Context) =>
  required(loaders.country.load(code), `country ${code}`);

export const organisationResolvers: OrganisationResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.organisation.load(reference.id),
  country: (organisation, _args, context) => countryOf(organisation.countryCode, context),
  partnerships: (organisation, _args, { loaders }) => loaders.partnersByOrganisation.load(organisation._id),
  people: (organisation, _args, { loaders }) => loaders.peopleByOrganisation.load(organisation._id),
};

export const countryResolvers: CountryResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.country.load(reference.code),
  organisations: (country, _args, { loaders }) => loaders.organisationsByCountry.load(country._id),
};

const ROLE_ORDER = { LEAD: 0, PARTNER: 1, ASSOCIATED: 2 } as const;

export const projectResolvers: ProjectResolvers = {
  // The projects subgraph owns the record; the reference is all this subgraph needs.
  __resolveReference: (reference) => ({ id: reference.id }),
  partners: async (project, { role }, { loaders }) => {
    const partners = await loaders.partnersByProject.load(project.id);
    // The lead first, then by partner number where known; the loader already ordered by country.
    return partners
      .filter((partner) => !role || partner.role === role)
      .sort(
        (a, b) =>
          ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
          (a.partnerNumber ?? '~').localeCompare(b.partnerNumber ?? '~', 'en', { numeric: true }),
      );
  },
};

export const projectPartnerResolvers: ProjectPartnerResolvers = {
  organisation: (partner, _args, context) => organisationOf(partner.organisationId, context),
  project: (partner) => ({ id: partner.projectId }),
  country: (partner, _args, context) => countryOf(partner.countryCode, context),
  joinedOn: (partner) => formatIsoDate(partner.joinedOn),
  leftOn: (partner) => (partner.leftOn ? formatIsoDate(partner.leftOn) : null),
};

export const personResolvers: PersonResolvers = {
  organisation: (person, _args, context) => organisationOf(person.organisationId, context),
};

export const governingBodyResolvers: GoverningBodyResolvers = {
  meetings: (body, _args, { loaders }) => loaders.meetingsByBody.load(body._id),
};

export const membershipResolvers: MembershipResolvers = {
  person: (membership, _args, { loaders }) =>
    membership.personId ? loaders.person.load(membership.personId) : null,
  organisation: (membership, _args, context) => organisationOf(membership.organisationId, context),
};

export const meetingResolvers: MeetingResolvers = {
  body: (meeting, _args, { loaders }) =>
    required(loaders.governingBody.load(meeting.bodyId), 'governing body'),
  date: (meeting) => formatIsoDate(meeting.date),
};
