import { Connection } from '@clusterpolisee/kit';
import type { Meeting } from './meeting';
import type { Organisation } from './organisation';
import type { Person } from './person';
import type { ProjectPartner } from './project-partner';

export class OrganisationConnection extends Connection<Organisation> {}
export class ProjectPartnerConnection extends Connection<ProjectPartner> {}
export class PersonConnection extends Connection<Person> {}
export class MeetingConnection extends Connection<Meeting> {}
