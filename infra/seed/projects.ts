import type { EntityManager, RequiredEntityData } from '@mikro-orm/mongodb';
import { insertMissing, searchKeys, slugId } from '@clusterpolisee/kit';
import {
  ExpenditureClaim,
  PartnerBudget,
  Programme,
  Project,
  ReportingPeriod,
  WorkPackage,
  type BudgetLine,
  type ClaimStatus,
  type WorkPackageOutput,
} from '@clusterpolisee/projects/entities';
import { reportingPeriods } from '@clusterpolisee/projects/reporting-periods';
import { recountAccounts } from '@clusterpolisee/projects/budget-holds';
import type { SeedScale } from '.';
import {
  countries,
  knownPartnerBudgets,
  partners,
  project,
  PROJECT_DESCRIPTION,
  workPackages,
} from './facts';
import type { PartnerFact } from './facts';
import { organisationId, seedOrganisations, type SeedOrganisation } from './organisations';
import { random, SYNTHETIC } from './synthetic';

/**
 * The programme, from the domain file: "South East Europe Transnational Cooperation Programme
 * 2007-2013 (SEE), CCI 2007CB163PO069" with "programme priority axes: 1 innovation and
 * entrepreneurship, 2 environment, 3 accessibility, 4 sustainable growth areas".
 */
export const programme = {
  id: 'see-2007-2013',
  name: 'South East Europe Transnational Cooperation Programme 2007-2013',
  acronym: 'SEE',
  cci: '2007CB163PO069',
  priorityAxes: [
    { number: 1, title: 'Innovation and entrepreneurship' },
    { number: 2, title: 'Environment' },
    { number: 3, title: 'Accessibility' },
    { number: 4, title: 'Sustainable growth areas' },
  ],
  source: PROJECT_DESCRIPTION,
};

/**
 * What the domain file says of the project beyond facts.ts: "a strategic project of the SEE
 * programme's 3rd call"; the reference SEE/C/0008/1.3/X places it under priority axis 1; it
 * ended in 2014, so it is closed.
 */
const projectDetails = { priorityAxis: 1, call: '3rd call', strategic: true, status: 'CLOSED' as const };

/** Shared with the partners seed, whose synthetic organisations join the same project. */
export const SYNTHETIC_PROJECT_ID = 'synthetic-load-test';
const SYNTHETIC_PROGRAMME_ID = 'synthetic-programme';
/** Seed scales run up to 1000 (npm run seed checks it); sizes below are set so any fits. */
const MAX_SCALE = 1000;
const MAX_SYNTHETIC_BUDGET_EUROS = 200_000;

/** The co-financing rate typical of the SEE programme (85 %); not a fact of this project. */
const CO_FINANCING_BASIS_POINTS = 8500;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

export async function seedProjects(em: EntityManager, { scale }: SeedScale): Promise<number> {
  const synthetic = seedOrganisations(scale).filter((o) => !o.fact);
  const seeded = synthetic.length > 0 ? syntheticProject(synthetic) : undefined;
  // Reporting periods are a field the domain file lists to mirror, not a fact of this project.
  const realPeriods = reportingPeriods(project.id, day(project.startDate), day(project.endDate), SYNTHETIC);
  const realBudgets = partnerBudgets().map((budget) =>
    budgetRow(
      project.id,
      organisationId(budget.partner),
      budget.partner.country,
      budget.cents,
      budget.source,
    ),
  );
  // Each collection in one call, the real project's rows and the synthetic one's together, so that
  // the large ones are read and written once (see insert.ts).
  let written = 0;
  written += await insertMissing(em, Programme, [programmeRow(), ...(seeded ? [seeded.programme] : [])]);
  written += await insertMissing(em, Project, [projectRow(), ...(seeded ? [seeded.project] : [])]);
  written += await insertMissing(em, WorkPackage, [
    ...workPackages.map((wp) => workPackageRow(project.id, wp.code, wp.title).row),
    ...(seeded?.workPackages ?? []),
  ]);
  written += await insertMissing(em, ReportingPeriod, [...realPeriods, ...(seeded?.periods ?? [])]);
  const before = written;
  written += await insertMissing(em, PartnerBudget, [...realBudgets, ...(seeded?.budgets ?? [])]);
  written += await insertMissing(em, ExpenditureClaim, [
    ...realClaims(realBudgets, realPeriods, scale),
    ...(seeded?.claims ?? []),
  ]);
  // Budgets and claims inserted here bypass the projects subgraph's running figures; the seed
  // runs before anyone can claim, so summing them again from the stored records is safe.
  if (written > before) await recountAccounts(em, [project.id, ...(seeded ? [SYNTHETIC_PROJECT_ID] : [])]);
  return written;
}

function programmeRow(): RequiredEntityData<Programme> {
  const { id, ...fields } = programme;
  return { _id: id, ...fields };
}

function projectRow(): RequiredEntityData<Project> {
  return {
    _id: project.id,
    acronym: project.acronym,
    title: project.title,
    reference: project.reference,
    programmeId: programme.id,
    ...projectDetails,
    startDate: day(project.startDate),
    endDate: day(project.endDate),
    totalCents: project.totalBudgetCents,
    currency: project.currency,
    source: project.source,
    searchKeys: searchKeys(project.acronym, project.title, project.reference),
  };
}

/**
 * Deliverables and milestones named after the outputs the domain file lists (the platform,
 * the assessments, six mechanisms, six factsheets, the two plans, six pilot actions); which
 * work package holds each and its due date are not public, so every one is synthetic.
 */
const OUTPUTS: Record<string, { deliverables: [string, string][]; milestones: [string, string][] }> = {
  WP1: { deliverables: [], milestones: [['Kick-off meeting', '2012-06-30']] },
  WP2: { deliverables: [['Communication plan', '2012-09-30']], milestones: [] },
  WP3: { deliverables: [['Cluster Policy Learning Platform online', '2013-03-31']], milestones: [] },
  WP4: { deliverables: [['Regional cluster policy assessments', '2013-06-30']], milestones: [] },
  WP5: {
    deliverables: [
      ['Six new policy learning mechanisms', '2014-06-30'],
      ['Six policy factsheets', '2014-10-30'],
    ],
    milestones: [['Six pilot actions completed', '2014-06-30']],
  },
  WP6: {
    deliverables: [
      ['Joint Strategic Plan', '2014-09-30'],
      ['Sustainability Plan', '2014-10-30'],
    ],
    milestones: [],
  },
};

function workPackageRow(projectId: string, code: string, title: string, source = PROJECT_DESCRIPTION) {
  const outputs = OUTPUTS[code] ?? { deliverables: [], milestones: [] };
  const number = code.slice(2);
  const toOutput =
    (prefix: string) =>
    ([outputTitle, dueOn]: [string, string], i: number): WorkPackageOutput => ({
      code: `${prefix}${number}.${i + 1}`,
      title: outputTitle,
      dueOn,
      // The project is closed: what it planned was delivered.
      status: 'DONE',
      source: SYNTHETIC,
    });
  const row: RequiredEntityData<WorkPackage> = {
    _id: slugId(projectId, code),
    projectId,
    code,
    title,
    // Work-package leads and activities are not public.
    activities: [],
    deliverables: projectId === project.id ? outputs.deliverables.map(toOutput('D')) : [],
    milestones: projectId === project.id ? outputs.milestones.map(toOutput('M')) : [],
    source,
  };
  return { row, id: row._id, code };
}

/**
 * A budget document. The total keeps its provenance; the funding split and the lines are
 * synthetic for every partner: the fund follows the country's programme status (ERDF for EU
 * members, IPA for AL, RS and HR), at the SEE programme's typical 85 %, the rest national; the
 * lines share the total out over the work packages so that they add up to it exactly.
 */
function budgetRow(
  projectId: string,
  organisation: string,
  country: string,
  totalCents: number,
  source: string,
  workPackageIds: string[] = workPackages.map((wp) => slugId(project.id, wp.code)),
): RequiredEntityData<PartnerBudget> {
  const fundCents = Math.floor((totalCents * CO_FINANCING_BASIS_POINTS) / 10_000);
  const ipa = countries.find((c) => c.code === country)?.programmeStatus === 'IPA';
  const next = random(hash(organisation + projectId));
  // Management and preparation cost less than the thematic work; weights stay deterministic.
  const weights = workPackageIds.map((id) => (id.endsWith('wp0') ? 0.2 : 0.6) + next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const lines: BudgetLine[] = workPackageIds.map((workPackageId, i) => ({
    workPackageId,
    cents: Math.floor((totalCents * weights[i]!) / weightSum),
  }));
  lines[lines.length - 1]!.cents += totalCents - lines.reduce((sum, line) => sum + line.cents, 0);
  return {
    _id: slugId(projectId, organisation),
    projectId,
    organisationId: organisation,
    countryCode: country,
    totalCents,
    erdfCents: ipa ? 0 : fundCents,
    ipaCents: ipa ? fundCents : 0,
    nationalCents: totalCents - fundCents,
    currency: project.currency,
    lines,
    source,
    breakdownSource: SYNTHETIC,
  };
}

export interface PartnerBudgetSeed {
  partner: PartnerFact;
  cents: number;
  source: string;
}

/**
 * One budget per partner: the two public figures as they are, the rest synthetic, in whole
 * euros, sharing out exactly what remains of the real total so that all add up to it.
 */
export function partnerBudgets(): PartnerBudgetSeed[] {
  const isKnown = (p: PartnerFact) =>
    knownPartnerBudgets.find((k) => k.country === p.country && k.name === p.name);
  const unknown = partners.filter((p) => !isKnown(p));
  const knownCents = knownPartnerBudgets.reduce((sum, k) => sum + k.cents, 0);
  const remainingEuros = (project.totalBudgetCents - knownCents) / 100;
  const next = random(2012);
  const weights = unknown.map(() => 0.5 + next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const euros = weights.map((w) => Math.floor((remainingEuros * w) / weightSum));
  // Flooring leaves a few euros over; the last partner takes them so the total is exact.
  euros[euros.length - 1]! += remainingEuros - euros.reduce((a, b) => a + b, 0);

  let u = 0;
  return partners.map((partner) => {
    const known = isKnown(partner);
    if (known) return { partner, cents: known.cents, source: known.source };
    return { partner, cents: euros[u++]! * 100, source: SYNTHETIC };
  });
}

/** A stable 32-bit seed from a string (FNV-1a), so each record's randomness is its own. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Shares `cents` out over `parts` by random weights, exactly. */
function split(cents: number, parts: number, next: () => number): number[] {
  const weights = Array.from({ length: parts }, () => 0.5 + next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((cents * w) / sum));
  shares[parts - 1]! += cents - shares.reduce((a, b) => a + b, 0);
  return shares;
}

/**
 * Claims are not public: all synthetic. Each partner claims 1 to 3 times per period a share of
 * a target between 45 % and 95 % of its budget; early periods are paid, the last ones partly
 * still awaiting control or payment. At scale N each partner also files, per period, (N − 1)
 * times as many small extra claims, each sized so that even at the largest scale they use at
 * most 4 % of the budget: the real project's claims never pass its budgets, and every claim's
 * id and amount are the same whatever the scale, so seeding at 1 then at 10 stays consistent.
 */
function claimsFor(
  budget: RequiredEntityData<PartnerBudget>,
  periods: RequiredEntityData<ReportingPeriod>[],
  scale: number,
  extras: boolean,
): RequiredEntityData<ExpenditureClaim>[] {
  const claims: RequiredEntityData<ExpenditureClaim>[] = [];
  const next = random(hash(`claims ${budget._id}`));
  const targetBasisPoints = 4500 + Math.floor(next() * 5001);
  const targetCents = Math.floor((budget.totalCents * targetBasisPoints) / 10_000);
  const perPeriod = split(targetCents, periods.length, next);
  const lines = (budget.lines as BudgetLine[]).filter((line) => line.cents > 0);
  const extraCents = Math.floor((budget.totalCents * 400) / 10_000 / (periods.length * 3 * (MAX_SCALE - 1)));

  periods.forEach((period, t) => {
    const count = 1 + Math.floor(next() * 3);
    const amounts = split(perPeriod[t]!, count, next);
    const total = extras ? count * scale : count;
    for (let j = 0; j < total; j++) {
      const r = random(hash(`${budget._id} ${t} ${j}`));
      const late = t >= periods.length - 2;
      const status: ClaimStatus = !late
        ? 'PAID'
        : r() < 0.25 && t === periods.length - 1
          ? 'SUBMITTED'
          : r() < 0.5
            ? 'VALIDATED'
            : 'PAID';
      const submittedOn = addDays(period.endDate as Date, 15 + Math.floor(r() * 30));
      claims.push({
        // Project and organisation ids are slugs already; slugId would cut long ones short.
        _id: `${budget.projectId}-${budget.organisationId}-p${t + 1}-c${j + 1}`,
        projectId: budget.projectId,
        organisationId: budget.organisationId,
        periodId: period._id as string,
        workPackageId: pickLine(lines, r()),
        countryCode: budget.countryCode,
        amountCents: j < count ? amounts[j]! : extraCents,
        currency: budget.currency,
        status,
        submittedOn,
        controller:
          status === 'SUBMITTED' ? undefined : `Synthetic first-level controller (${budget.countryCode})`,
        validatedOn: status === 'SUBMITTED' ? undefined : addDays(submittedOn, 30 + Math.floor(r() * 30)),
        source: SYNTHETIC,
      });
    }
  });
  return claims;
}

/** A work package with a chance proportional to its line, so spend follows the budget. */
function pickLine(lines: BudgetLine[], unit: number): string {
  const total = lines.reduce((sum, line) => sum + line.cents, 0);
  let at = unit * total;
  for (const line of lines) {
    at -= line.cents;
    if (at < 0) return line.workPackageId;
  }
  return lines[lines.length - 1]!.workPackageId;
}

function realClaims(
  budgets: RequiredEntityData<PartnerBudget>[],
  periods: RequiredEntityData<ReportingPeriod>[],
  scale: number,
): RequiredEntityData<ExpenditureClaim>[] {
  return budgets.flatMap((budget) => claimsFor(budget, periods, scale, true));
}

/**
 * The synthetic organisations of a load test join a synthetic project, so that the real
 * project's partners and total stay real. Its total is sized for the largest seed scale, so
 * that budgets seeded at a later, larger scale still fit under it.
 */
function syntheticProject(organisations: SeedOrganisation[]) {
  const programmeRow: RequiredEntityData<Programme> = {
    _id: SYNTHETIC_PROGRAMME_ID,
    name: 'Synthetic programme for load tests',
    acronym: 'SYNTHETIC',
    cci: 'SYNTHETIC',
    priorityAxes: [{ number: 1, title: 'Synthetic axis' }],
    source: SYNTHETIC,
  };
  const projectRow: RequiredEntityData<Project> = {
    _id: SYNTHETIC_PROJECT_ID,
    acronym: 'Synthetic load test',
    title: 'Synthetic project for load tests',
    reference: 'SYNTHETIC/LOAD/TEST',
    programmeId: SYNTHETIC_PROGRAMME_ID,
    priorityAxis: 1,
    strategic: false,
    startDate: day('2020-01-01'),
    endDate: day('2021-12-31'),
    status: 'CLOSED',
    totalCents: partners.length * (MAX_SCALE - 1) * MAX_SYNTHETIC_BUDGET_EUROS * 100,
    currency: project.currency,
    source: SYNTHETIC,
    searchKeys: searchKeys('Synthetic load test', 'Synthetic project for load tests'),
  };
  const wps = ['WP1', 'WP2', 'WP3'].map((code) =>
    workPackageRow(SYNTHETIC_PROJECT_ID, code, `Synthetic work package ${code.slice(2)}`, SYNTHETIC),
  );
  const periods = reportingPeriods(SYNTHETIC_PROJECT_ID, day('2020-01-01'), day('2021-12-31'), SYNTHETIC);
  const budgets = organisations.map((organisation) => {
    const euros =
      50_000 + Math.floor(random(hash(organisation.id))() * (MAX_SYNTHETIC_BUDGET_EUROS - 50_000));
    return budgetRow(
      SYNTHETIC_PROJECT_ID,
      organisation.id,
      organisation.country,
      euros * 100,
      SYNTHETIC,
      wps.map((wp) => wp.id as string),
    );
  });
  return {
    programme: programmeRow,
    project: projectRow,
    workPackages: wps.map((wp) => wp.row),
    periods,
    budgets,
    // Synthetic organisations multiply with the scale already; their claims do not.
    claims: budgets.flatMap((budget) => claimsFor(budget, periods, 1, false)),
  };
}
