import { formatIsoDate } from '@clusterpolisee/kit';
import type { EventResolvers } from '../__generated__/resolvers';
import { textFields } from './text';

export const eventResolvers: EventResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.event.load(reference.id),
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
