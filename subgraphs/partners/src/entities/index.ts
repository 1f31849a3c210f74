import { CountrySchema } from './country';
import { GoverningBodySchema } from './governing-body';
import { MeetingSchema } from './meeting';
import { OrganisationSchema } from './organisation';
import { PersonSchema } from './person';
import { ProjectPartnerSchema } from './project-partner';

export { Country, type ProgrammeStatus } from './country';
export { Organisation, type LegalStatus, type OrganisationType } from './organisation';
export { ProjectPartner, projectPartnerId, type PartnerRole, type FundingSource } from './project-partner';
export { Person } from './person';
export { GoverningBody, Membership, type GoverningBodyKind, type MembershipRole } from './governing-body';
export { Meeting } from './meeting';
export { Project } from './project';
export {
  OrganisationConnection,
  ProjectPartnerConnection,
  PersonConnection,
  MeetingConnection,
} from './connections';
export const entities = [
  CountrySchema,
  OrganisationSchema,
  ProjectPartnerSchema,
  PersonSchema,
  GoverningBodySchema,
  MeetingSchema,
];
