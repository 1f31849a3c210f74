import type { EntityManager, RequiredEntityData } from '@mikro-orm/mongodb';
import { insertMissing } from '@clusterpolisee/kit';
import {
  ClusterOrganisation,
  ClusterPolicy,
  GoodPractice,
  LearningMechanism,
  PilotAction,
  PolicyAssessment,
  StrategyDocument,
  WorkingGroup,
  type WorkingGroupMembership,
} from '@clusterpolisee/knowledge/entities';
import type { SeedScale } from '.';
import { countries, partners, PROJECT_DESCRIPTION, workingGroups } from './facts';
import { organisationId, seedOrganisations, type SeedOrganisation } from './organisations';
import { random, SYNTHETIC } from './synthetic';

/**
 * Knowledge records. Public facts (source `project description`): the six working groups and
 * WG3's lead; that six pilot actions ran from January to mid 2014 coordinated by Corallia; six
 * new policy learning mechanisms; six policy factsheets, one per thematic area, October 2014;
 * a Joint Strategic Plan and a Sustainability Plan. Their titles, results and contents are not
 * public, so those records carry descriptive placeholder titles and no invented content.
 * Everything else (memberships, good practices, policies, assessments, cluster organisations)
 * is synthetic, and at scale N there are N times as many of the multiplied kinds.
 */

const CORALLIA = organisationId({
  country: 'GR',
  name: 'Athena Research and Innovation Center, Corallia Clusters Initiative',
});

const date = (text: string) => new Date(`${text}T00:00:00Z`);

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

/** `count` different entries of `list`, in list order. */
function pickSome<T>(next: () => number, list: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, list.length)) chosen.add(Math.floor(next() * list.length));
  return [...chosen].sort((a, b) => a - b).map((i) => list[i]!);
}

/**
 * Memberships are not public beyond WG3's lead: every real partner joins one to three groups
 * (synthetic), and BSMEPA's place in WG3 is the fact it leads it.
 */
function workingGroupRows(): RequiredEntityData<WorkingGroup>[] {
  const next = random(3001);
  const members = new Map<string, WorkingGroupMembership[]>(workingGroups.map((wg) => [wg.code, []]));
  for (const wg of workingGroups) {
    if (wg.lead)
      members.get(wg.code)!.push({ organisationId: organisationId(wg.lead), source: PROJECT_DESCRIPTION });
  }
  for (const partner of partners) {
    const id = organisationId(partner);
    const groups = pickSome(next, workingGroups, 1 + Math.floor(next() * 3));
    for (const wg of groups) {
      const list = members.get(wg.code)!;
      if (!list.some((m) => m.organisationId === id)) list.push({ organisationId: id, source: SYNTHETIC });
    }
  }
  return workingGroups.map((wg) => ({
    _id: wg.code,
    title: wg.title,
    description: wg.description ?? null,
    leadOrganisationId: wg.lead ? organisationId(wg.lead) : null,
    memberships: members.get(wg.code)!,
    source: PROJECT_DESCRIPTION,
  }));
}

/**
 * The six pilots: their existence, Corallia's coordination and the period are public; reading
 * "six pilot actions" for "six thematic areas" as one pilot per area, and "January to mid 2014"
 * as 2014-01-01 to 2014-06-30, is this seed's interpretation. Titles say what the pilot is for
 * without pretending to be its real name, and results stay empty rather than invented.
 */
function pilotRows(): RequiredEntityData<PilotAction>[] {
  return workingGroups.map((wg) => ({
    _id: `pilot-${wg.code.toLowerCase()}`,
    title: `Pilot action for ${wg.title}`,
    leadOrganisationId: CORALLIA,
    countryCode: 'GR',
    workingGroupCode: wg.code,
    startDate: date('2014-01-01'),
    endDate: date('2014-06-30'),
    results: null,
    source: PROJECT_DESCRIPTION,
  }));
}

function learningMechanismRows(): RequiredEntityData<LearningMechanism>[] {
  return Array.from({ length: 6 }, (_, i) => ({
    _id: `mechanism-${i + 1}`,
    title: `New policy learning mechanism ${i + 1}`,
    description: 'One of the six new policy learning mechanisms of WP5; its name and content are not public.',
    workingGroupCode: null,
    source: PROJECT_DESCRIPTION,
  }));
}

function strategyDocumentRows(): RequiredEntityData<StrategyDocument>[] {
  return [
    {
      _id: 'joint-strategic-plan',
      type: 'JOINT_STRATEGIC_PLAN',
      title: 'Joint Strategic Plan',
      source: PROJECT_DESCRIPTION,
    },
    {
      _id: 'sustainability-plan',
      type: 'SUSTAINABILITY_PLAN',
      title: 'Sustainability Plan',
      source: PROJECT_DESCRIPTION,
    },
    ...workingGroups.map((wg): RequiredEntityData<StrategyDocument> => ({
      _id: `factsheet-${wg.code.toLowerCase()}`,
      type: 'POLICY_FACTSHEET',
      title: `Policy factsheet: ${wg.title}`,
      workingGroupCode: wg.code,
      // Only the month is public.
      publishedOn: date('2014-10-01'),
      publishedOnPrecision: 'MONTH',
      url: null,
      source: PROJECT_DESCRIPTION,
    })),
  ];
}

const PRACTICE_THEMES = [
  'innovation vouchers for cluster members',
  'joint R&D project calls',
  'green cluster certification',
  'cluster export missions',
  'regional cluster fund',
  'skills academy run by a cluster',
  'smart specialisation mapping',
  'cross-border cluster partnership',
];
const SUCCESS_FACTORS = [
  'committed regional authority',
  'strong cluster management',
  'multi-annual funding',
  'involvement of universities',
  'clear performance indicators',
  'SME participation',
  'international partners',
];
const TRANSFERABILITY = ['LOW', 'MEDIUM', 'HIGH'] as const;

function goodPracticeRows(
  organisations: SeedOrganisation[],
  scale: number,
): RequiredEntityData<GoodPractice>[] {
  const next = random(3002);
  return Array.from({ length: 12 * scale }, (_, i) => {
    const organisation = pick(next, organisations);
    return {
      _id: `gp-synthetic-${i + 1}`,
      title: `Synthetic good practice ${i + 1}: ${pick(next, PRACTICE_THEMES)}`,
      workingGroupCode: workingGroups[i % workingGroups.length]!.code,
      countryCode: organisation.country,
      organisationId: organisation.id,
      successFactors: pickSome(next, SUCCESS_FACTORS, 2 + Math.floor(next() * 2)),
      transferability: pick(next, TRANSFERABILITY),
      source: SYNTHETIC,
    };
  });
}

const SECTORS = [
  'ICT',
  'automotive',
  'food processing',
  'energy',
  'tourism',
  'textiles',
  'wood and furniture',
  'life sciences',
];
const ESCA = ['BRONZE', 'SILVER', 'GOLD'] as const;

function clusterOrganisationRows(scale: number): RequiredEntityData<ClusterOrganisation>[] {
  const next = random(3003);
  return Array.from({ length: 20 * scale }, (_, i) => {
    const sectors = pickSome(next, SECTORS, 1 + Math.floor(next() * 2));
    const labelled = next() < 0.5;
    return {
      _id: `cluster-synthetic-${i + 1}`,
      name: `Synthetic ${sectors[0]} cluster ${i + 1}`,
      countryCode: countries[i % countries.length]!.code,
      sectors,
      memberCount: 10 + Math.floor(next() * 290),
      escaLabel: labelled ? pick(next, ESCA) : null,
      escaValidUntil: labelled ? date(`${2015 + Math.floor(next() * 5)}-06-30`) : null,
      website: null,
      source: SYNTHETIC,
    };
  });
}

const INSTRUMENTS = [
  'GRANT',
  'VOUCHER',
  'TAX_INCENTIVE',
  'NETWORKING_SUPPORT',
  'TRAINING',
  'INFRASTRUCTURE',
  'CLUSTER_MANAGEMENT_SUPPORT',
  'INTERNATIONALISATION',
  'FINANCIAL_INSTRUMENT',
];

function clusterPolicyRows(
  organisations: SeedOrganisation[],
  scale: number,
): RequiredEntityData<ClusterPolicy>[] {
  const next = random(3004);
  return Array.from({ length: countries.length * scale }, (_, i) => {
    const country = countries[i % countries.length]!.code;
    const regional = i % 2 === 1;
    const responsible = organisations.find((o) => o.country === country && !o.fact?.lead) ?? null;
    const periodStart = pick(next, [2007, 2010, 2014]);
    return {
      _id: `policy-synthetic-${i + 1}`,
      title: `Synthetic ${regional ? 'regional' : 'national'} cluster programme ${i + 1}`,
      countryCode: country,
      region: regional ? `Synthetic region ${i + 1}` : null,
      level: regional ? 'REGIONAL' : 'NATIONAL',
      responsibleOrganisationId: responsible?.id ?? null,
      periodStart,
      periodEnd: periodStart + 6,
      instruments: pickSome(next, INSTRUMENTS, 1 + Math.floor(next() * 3)).map((type) => ({
        type,
        name: `Synthetic ${type.toLowerCase().replace(/_/g, ' ')} scheme`,
        description: null,
      })),
      source: SYNTHETIC,
    };
  });
}

/** Regional assessments were made (a fact); their contents are not public, so one synthetic per organisation. */
function policyAssessmentRows(organisations: SeedOrganisation[]): RequiredEntityData<PolicyAssessment>[] {
  return organisations.map((organisation, i) => ({
    _id: `assessment-synthetic-${i + 1}`,
    region: `Synthetic region of ${organisation.name}`,
    countryCode: organisation.country,
    organisationId: organisation.id,
    pastActions: 'Synthetic: earlier cluster support measures.',
    currentState: 'Synthetic: clusters present, support fragmented.',
    futureVision: 'Synthetic: cluster policy linked to smart specialisation.',
    documentUrl: null,
    source: SYNTHETIC,
  }));
}

export async function seedKnowledge(em: EntityManager, { scale }: SeedScale): Promise<number> {
  const organisations = seedOrganisations(scale);
  const written = [
    await insertMissing(em, WorkingGroup, workingGroupRows()),
    await insertMissing(em, PilotAction, pilotRows()),
    await insertMissing(em, LearningMechanism, learningMechanismRows()),
    await insertMissing(em, StrategyDocument, strategyDocumentRows()),
    await insertMissing(em, GoodPractice, goodPracticeRows(organisations, scale)),
    await insertMissing(em, ClusterOrganisation, clusterOrganisationRows(scale)),
    await insertMissing(em, ClusterPolicy, clusterPolicyRows(organisations, scale)),
    await insertMissing(em, PolicyAssessment, policyAssessmentRows(organisations)),
  ];
  return written.reduce((sum, n) => sum + n, 0);
}
