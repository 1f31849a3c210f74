import { formatIsoDate } from '@clusterpolisee/kit';
import type { EventResolvers } from '../__generated__/resolvers';
import { visibleOrNull } from '../visibility';
import { textFields } from './text';

export const eventResolvers: EventResolvers = {
  __resolveReference: async (reference, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.event.load(reference.id)),
  ...textFields,
  startDate: (event) => formatIsoDate(event.startDate),
  endDate: (event) => formatIsoDate(event.endDate),
  host: (event) => ({ id: event.hostOrganisationId }),
  place: (event) => ({
    city: event.city,
    countryCode: event.countryCode,
    country: { code: event.countryCode },
  }),
  workingGroup: (event) => (event.workingGroupCode ? { code: event.workingGroupCode } : null),
};
