import { CountrySchema } from './country';
import { OrganisationSchema } from './organisation';

export { Country, type ProgrammeStatus } from './country';
export { Organisation, type PartnerRole } from './organisation';
export const entities = [OrganisationSchema, CountrySchema];
