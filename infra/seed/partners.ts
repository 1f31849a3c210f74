import type { EntityManager } from '@mikro-orm/mongodb';
import { insertMissing, searchKeys, slugId } from '@clusterpolisee/kit';
import {
  Country,
  GoverningBody,
  Meeting,
  Organisation,
  Person,
  ProjectPartner,
  projectPartnerId,
  type LegalStatus,
  type Membership,
  type OrganisationType,
} from '@clusterpolisee/partners/entities';
import type { SeedScale } from '.';
import { countries, project, PROJECT_DESCRIPTION } from './facts';
import { seedOrganisations, type SeedOrganisation } from './organisations';
import { random, SYNTHETIC } from './synthetic';

/** The project the synthetic organisations of a load test join, so real counts stay real. */
export const SYNTHETIC_PROJECT_ID = 'synthetic-load-test';

/**
 * Type and legal status of the 25 partners, read from what the project description calls them
 * (a ministry, a region, a development agency, a university...). The description has no
 * partner forms, so this is a classification of public names, not a quoted field.
 */
const CLASSIFICATION: Record<string, { type: OrganisationType; legalStatus: LegalStatus }> = {
  'Austria Wirtschaftsservice': { type: 'NATIONAL_AGENCY', legalStatus: 'PUBLIC' },
  'ecoplus, Business Agency of Lower Austria': { type: 'DEVELOPMENT_AGENCY', legalStatus: 'PUBLIC' },
  'Bulgarian Small and Medium Enterprises Promotion Agency': {
    type: 'NATIONAL_AGENCY',
    legalStatus: 'PUBLIC',
  },
  // Greek chambers are bodies governed by public law.
  'Union of Hellenic Chambers of Commerce': { type: 'CHAMBER_OR_ASSOCIATION', legalStatus: 'PUBLIC' },
  'Region of Central Macedonia': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
  'Athena Research and Innovation Center, Corallia Clusters Initiative': {
    type: 'UNIVERSITY_OR_RESEARCH_CENTRE',
    legalStatus: 'PUBLIC',
  },
  'MAG Hungarian Economic Development Centre': { type: 'NATIONAL_AGENCY', legalStatus: 'PUBLIC' },
  'Pannon Business Network Association': { type: 'CLUSTER_ORGANISATION', legalStatus: 'PRIVATE' },
  'Marche Region': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
  'Emilia-Romagna Region': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
  'Veneto Region': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
  'Ministry of Economic Development, Department for Development and Economic Cohesion': {
    type: 'MINISTRY',
    legalStatus: 'PUBLIC',
  },
  'North East Regional Development Agency': { type: 'DEVELOPMENT_AGENCY', legalStatus: 'PUBLIC' },
  'Institute for Economic Forecasting': { type: 'UNIVERSITY_OR_RESEARCH_CENTRE', legalStatus: 'PUBLIC' },
  'National Authority for Scientific Research': { type: 'NATIONAL_AGENCY', legalStatus: 'PUBLIC' },
  'Ministry of Economy, Commerce and Business Environment': { type: 'MINISTRY', legalStatus: 'PUBLIC' },
  'Union of Slovak Clusters': { type: 'CHAMBER_OR_ASSOCIATION', legalStatus: 'PRIVATE' },
  'Trnava Self-Governing Region': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
  'Ministry of Economy': { type: 'MINISTRY', legalStatus: 'PUBLIC' },
  'University of Primorska, Science and Research Centre Koper': {
    type: 'UNIVERSITY_OR_RESEARCH_CENTRE',
    legalStatus: 'PUBLIC',
  },
  'Maribor Development Agency': { type: 'DEVELOPMENT_AGENCY', legalStatus: 'PUBLIC' },
  'Albanian Investment Development Agency': { type: 'NATIONAL_AGENCY', legalStatus: 'PUBLIC' },
  'Istrian Development Agency': { type: 'DEVELOPMENT_AGENCY', legalStatus: 'PUBLIC' },
  'University of Novi Sad': { type: 'UNIVERSITY_OR_RESEARCH_CENTRE', legalStatus: 'PUBLIC' },
  'Provincial Secretariat for Economy (Vojvodina)': { type: 'REGIONAL_AUTHORITY', legalStatus: 'PUBLIC' },
};

const TYPES: OrganisationType[] = [
  'MINISTRY',
  'NATIONAL_AGENCY',
  'REGIONAL_AUTHORITY',
  'DEVELOPMENT_AGENCY',
  'UNIVERSITY_OR_RESEARCH_CENTRE',
  'CHAMBER_OR_ASSOCIATION',
  'CLUSTER_ORGANISATION',
  'NGO',
];

/** The Governance section of the domain file, nearly word for word. */
export const GOVERNING_BODIES = [
  {
    _id: slugId(project.id, 'steering committee'),
    kind: 'STEERING_COMMITTEE' as const,
    name: 'Steering Committee',
    description:
      'The decision-making and management body, one representative per partner: operational planning, technical integration, transnational management, communication and coordination, support to partners and financial experts.',
  },
  {
    _id: slugId(project.id, 'advisory board'),
    kind: 'ADVISORY_BOARD' as const,
    name: 'Scientific-Technical Advisory Board',
    description:
      'Also called Technical and Scientific Committee: a representative of the lead partner as coordinator, plus the leaders of the working groups and of the work packages. Gives transnational, interdisciplinary advice, watches quality, and links the project to other EU initiatives for sustainability and use of its results.',
  },
];

/** Invented meetings for demos, inside the project period; nothing about real meetings is public. */
const MEETINGS: { body: 0 | 1; date: string; place: string; decisions: string[] }[] = [
  {
    body: 0,
    date: '2012-06-14',
    place: 'Ancona, Italy',
    decisions: [
      'Adopted the rules of procedure (synthetic)',
      'Approved the work plan for the first period (synthetic)',
    ],
  },
  {
    body: 0,
    date: '2012-11-22',
    place: 'Sofia, Bulgaria',
    decisions: ['Approved the first progress report (synthetic)'],
  },
  {
    body: 0,
    date: '2013-05-16',
    place: 'Thessaloniki, Greece',
    decisions: [
      'Endorsed the regional cluster policy assessments (synthetic)',
      'Set up the six working groups (synthetic)',
    ],
  },
  {
    body: 0,
    date: '2013-11-28',
    place: 'Maribor, Slovenia',
    decisions: ['Selected the six pilot actions (synthetic)'],
  },
  {
    body: 0,
    date: '2014-06-12',
    place: 'Novi Sad, Serbia',
    decisions: ['Approved the draft Joint Strategic Plan (synthetic)'],
  },
  {
    body: 0,
    date: '2014-10-16',
    place: 'Ancona, Italy',
    decisions: ['Adopted the Sustainability Plan (synthetic)', 'Closed the project activities (synthetic)'],
  },
  {
    body: 1,
    date: '2013-03-07',
    place: 'Vienna, Austria',
    decisions: ['Agreed quality criteria for the policy factsheets (synthetic)'],
  },
  {
    body: 1,
    date: '2014-03-20',
    place: 'Athens, Greece',
    decisions: ['Reviewed the pilot actions half-way (synthetic)'],
  },
];

function representativeName(organisation: SeedOrganisation): string {
  return `Representative of ${organisation.fact?.acronym ?? organisation.name} (synthetic)`;
}

function representativeId(organisation: SeedOrganisation): string {
  return slugId(organisation.id, representativeName(organisation));
}

/**
 * Countries and the 25 partners from the facts; at scale N also the synthetic organisations,
 * partners of a synthetic project. People, seats and meetings are not public: synthetic.
 */
export async function seedPartners(em: EntityManager, { scale }: SeedScale): Promise<number> {
  const statusOf = new Map(countries.map((c) => [c.code, c.programmeStatus]));
  const organisations = seedOrganisations(scale);
  const draw = random(3);
  let written = 0;

  written += await insertMissing(
    em,
    Country,
    countries.map((c) => ({
      _id: c.code,
      name: c.name,
      programmeStatus: c.programmeStatus,
      source: PROJECT_DESCRIPTION,
    })),
  );

  written += await insertMissing(
    em,
    Organisation,
    organisations.map((organisation, i) => {
      const fact = organisation.fact;
      const classification = fact
        ? CLASSIFICATION[fact.name]
        : {
            type: TYPES[i % TYPES.length]!,
            legalStatus: draw() < 0.7 ? ('PUBLIC' as const) : ('PRIVATE' as const),
          };
      if (!classification) throw new Error(`No type and legal status for partner ${organisation.name}`);
      return {
        _id: organisation.id,
        name: organisation.name,
        nameOriginal: fact?.nameOriginal,
        acronym: fact?.acronym,
        countryCode: organisation.country,
        ...classification,
        searchKeys: searchKeys(organisation.name, fact?.nameOriginal, fact?.acronym),
        source: fact ? PROJECT_DESCRIPTION : SYNTHETIC,
      };
    }),
  );

  written += await insertMissing(
    em,
    ProjectPartner,
    organisations.map((organisation) => {
      const projectId = organisation.fact ? project.id : SYNTHETIC_PROJECT_ID;
      const status = statusOf.get(organisation.country) ?? 'EU_MEMBER';
      return {
        _id: projectPartnerId(projectId, organisation.id),
        projectId,
        organisationId: organisation.id,
        countryCode: organisation.country,
        role: organisation.fact?.lead ? ('LEAD' as const) : ('PARTNER' as const),
        // The other partners' numbers are not public, and guessing them would pass off a fiction.
        partnerNumber: organisation.fact?.lead ? 'LP' : null,
        // The domain file: ERDF for EU members, IPA funds for partners from IPA countries.
        fundingSource: status === 'EU_MEMBER' ? ('ERDF' as const) : status,
        joinedOn: new Date(`${project.startDate}T00:00:00Z`),
        source: organisation.fact ? PROJECT_DESCRIPTION : SYNTHETIC,
      };
    }),
  );

  written += await insertMissing(
    em,
    Person,
    organisations.map((organisation) => {
      const name = representativeName(organisation);
      const handle = slugId(organisation.fact?.acronym ?? organisation.id).slice(0, 50);
      return {
        _id: representativeId(organisation),
        name,
        organisationId: organisation.id,
        position: 'Representative in the project',
        // example.org is reserved for examples: no real mailbox gets these.
        email: `${handle}.representative@example.org`,
        searchKeys: searchKeys(name),
        source: SYNTHETIC,
      };
    }),
  );

  const real = organisations.filter((o) => o.fact);
  const seat = (organisation: SeedOrganisation, role: Membership['role']): Membership => ({
    id: slugId(organisation.id, representativeId(organisation)),
    organisationId: organisation.id,
    personId: representativeId(organisation),
    role,
    // The seats are the project description's, but the people in them are invented.
    source: SYNTHETIC,
  });
  const lead = real.find((o) => o.fact?.lead)!;
  // WG3 is the one working group whose lead is public (BSMEPA); the board seats working-group leads.
  const wg3Lead = real.find((o) => o.fact?.acronym === 'BSMEPA')!;
  const memberships: Membership[][] = [
    real.map((o) => seat(o, 'MEMBER')),
    [seat(lead, 'COORDINATOR'), seat(wg3Lead, 'MEMBER')],
  ];
  written += await insertMissing(
    em,
    GoverningBody,
    GOVERNING_BODIES.map((body, i) => ({
      ...body,
      projectId: project.id,
      memberships: memberships[i]!,
      source: PROJECT_DESCRIPTION,
    })),
  );

  written += await insertMissing(
    em,
    Meeting,
    MEETINGS.map((meeting) => {
      const bodyId = GOVERNING_BODIES[meeting.body]!._id;
      return {
        _id: `${bodyId}-${meeting.date}`,
        bodyId,
        date: new Date(`${meeting.date}T00:00:00Z`),
        place: meeting.place,
        decisions: meeting.decisions,
        source: SYNTHETIC,
      };
    }),
  );
  return written;
}
