import type { Resolvers } from '../__generated__/resolvers';
import { governanceMutations } from './governance-mutations';
import { organisationMutations } from './organisation-mutations';
import { partnerMutations } from './partner-mutations';
import { personMutations } from './person-mutations';
import { queryResolvers } from './query';
import {
  countryResolvers,
  governingBodyResolvers,
  meetingResolvers,
  membershipResolvers,
  organisationResolvers,
  personResolvers,
  projectPartnerResolvers,
  projectResolvers,
} from './types';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: { ...organisationMutations, ...partnerMutations, ...personMutations, ...governanceMutations },
  Organisation: organisationResolvers,
  Country: countryResolvers,
  Project: projectResolvers,
  ProjectPartner: projectPartnerResolvers,
  Person: personResolvers,
  GoverningBody: governingBodyResolvers,
  Membership: membershipResolvers,
  Meeting: meetingResolvers,
};
