/**
 * The public facts of ClusterPoliSEE that the hub seeds, each with its provenance. Nothing here
 * is invented: where a fact is not public (most partner budgets, working-group leads, news), the
 * seed generates it in synthetic.ts and marks it `synthetic`.
 */
import { CLUSTERPOLISEE_ID, CLUSTERPOLISEE_PERIOD } from '@clusterpolisee/kit';

export const PROJECT_DESCRIPTION = 'project description';

export const project = {
  id: CLUSTERPOLISEE_ID,
  acronym: 'ClusterPoliSEE',
  title: 'Smarter Cluster Policies for South East Europe',
  // The final activity report writes SEE/C/0008/1.1/X; the project description's form is kept.
  reference: 'SEE/C/0008/1.3/X',
  programme: 'South East Europe Transnational Cooperation Programme 2007-2013 (SEE), CCI 2007CB163PO069',
  // The kit's period, which the other subgraphs check dates against (see its source there).
  startDate: CLUSTERPOLISEE_PERIOD.start,
  endDate: CLUSTERPOLISEE_PERIOD.end,
  totalBudgetCents: 518_635_200,
  currency: 'EUR',
  source: PROJECT_DESCRIPTION,
} as const;

export type ProgrammeStatus = 'EU_MEMBER' | 'IPA' | 'ENPI';

/** The partners' countries and how each took part in the programme at the time (2012-2014). */
export const countries: { code: string; name: string; programmeStatus: ProgrammeStatus }[] = [
  { code: 'AT', name: 'Austria', programmeStatus: 'EU_MEMBER' },
  { code: 'BG', name: 'Bulgaria', programmeStatus: 'EU_MEMBER' },
  { code: 'GR', name: 'Greece', programmeStatus: 'EU_MEMBER' },
  { code: 'HU', name: 'Hungary', programmeStatus: 'EU_MEMBER' },
  { code: 'IT', name: 'Italy', programmeStatus: 'EU_MEMBER' },
  { code: 'RO', name: 'Romania', programmeStatus: 'EU_MEMBER' },
  { code: 'SK', name: 'Slovakia', programmeStatus: 'EU_MEMBER' },
  { code: 'SI', name: 'Slovenia', programmeStatus: 'EU_MEMBER' },
  { code: 'AL', name: 'Albania', programmeStatus: 'IPA' },
  // Croatia joined the EU in July 2013, but its partners were funded from IPA in this project.
  { code: 'HR', name: 'Croatia', programmeStatus: 'IPA' },
  { code: 'RS', name: 'Serbia', programmeStatus: 'IPA' },
];

export interface PartnerFact {
  country: string;
  name: string;
  nameOriginal?: string;
  acronym?: string;
  lead?: true;
}

/** The 25 partner institutions, in the order of the project description. */
export const partners: PartnerFact[] = [
  { country: 'AT', name: 'Austria Wirtschaftsservice', acronym: 'aws' },
  { country: 'AT', name: 'ecoplus, Business Agency of Lower Austria', acronym: 'ecoplus' },
  {
    country: 'BG',
    name: 'Bulgarian Small and Medium Enterprises Promotion Agency',
    nameOriginal: 'Изпълнителна агенция за насърчаване на малките и средните предприятия',
    acronym: 'BSMEPA',
  },
  { country: 'GR', name: 'Union of Hellenic Chambers of Commerce' },
  { country: 'GR', name: 'Region of Central Macedonia' },
  {
    country: 'GR',
    name: 'Athena Research and Innovation Center, Corallia Clusters Initiative',
    acronym: 'Corallia',
  },
  { country: 'HU', name: 'MAG Hungarian Economic Development Centre', acronym: 'MAG' },
  { country: 'HU', name: 'Pannon Business Network Association', acronym: 'PBN' },
  { country: 'IT', name: 'Marche Region', lead: true },
  { country: 'IT', name: 'Emilia-Romagna Region' },
  { country: 'IT', name: 'Veneto Region' },
  {
    country: 'IT',
    name: 'Ministry of Economic Development, Department for Development and Economic Cohesion',
  },
  { country: 'RO', name: 'North East Regional Development Agency' },
  { country: 'RO', name: 'Institute for Economic Forecasting' },
  { country: 'RO', name: 'National Authority for Scientific Research' },
  { country: 'RO', name: 'Ministry of Economy, Commerce and Business Environment' },
  { country: 'SK', name: 'Union of Slovak Clusters' },
  { country: 'SK', name: 'Trnava Self-Governing Region' },
  { country: 'SK', name: 'Ministry of Economy' },
  { country: 'SI', name: 'University of Primorska, Science and Research Centre Koper' },
  { country: 'SI', name: 'Maribor Development Agency' },
  { country: 'AL', name: 'Albanian Investment Development Agency', acronym: 'AIDA' },
  { country: 'HR', name: 'Istrian Development Agency', acronym: 'IDA' },
  { country: 'RS', name: 'University of Novi Sad' },
  { country: 'RS', name: 'Provincial Secretariat for Economy (Vojvodina)' },
];

/** The only partner budgets that are public, in cents. Marche Region's is "about" the figure. */
export const knownPartnerBudgets: { country: string; name: string; cents: number; source: string }[] = [
  { country: 'HR', name: 'Istrian Development Agency', cents: 20_350_000, source: PROJECT_DESCRIPTION },
  {
    country: 'IT',
    name: 'Marche Region',
    cents: 58_200_000,
    source: `${PROJECT_DESCRIPTION} (approximate: "about EUR 582,000")`,
  },
];

export const workPackages: { code: string; title: string }[] = [
  { code: 'WP0', title: 'Preparation' },
  { code: 'WP1', title: 'Project and financial management' },
  { code: 'WP2', title: 'Communication' },
  { code: 'WP3', title: 'Web platform: the Cluster Policy Learning Platform' },
  { code: 'WP4', title: 'Policy learning: training on policy making' },
  { code: 'WP5', title: 'New policy learning mechanisms' },
  { code: 'WP6', title: 'Future development of clusters in SEE' },
];

/** The six thematic working groups. Only WG3's lead is public. */
export const workingGroups: {
  code: string;
  title: string;
  description?: string;
  lead?: { country: string; name: string };
}[] = [
  {
    code: 'WG1',
    title: 'Innovation, R&D-driven cluster development',
    description: 'Includes input to regional smart specialisation strategies.',
  },
  { code: 'WG2', title: 'Sustainability through cluster development' },
  {
    code: 'WG3',
    title: 'International cluster cooperation and networking',
    lead: { country: 'BG', name: 'Bulgarian Small and Medium Enterprises Promotion Agency' },
  },
  { code: 'WG4', title: 'Financial framework improvement (cluster financing)' },
  { code: 'WG5', title: 'Cluster and regional specialisation' },
  { code: 'WG6', title: 'New skills and jobs creation' },
];
