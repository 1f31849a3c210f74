import { UniqueConstraintViolationException, type EntityData, type EntityManager } from '@mikro-orm/mongodb';
import {
  archiveMutation,
  badUserInput,
  changedOnly,
  conflict,
  flushNew,
  formatIsoDate,
  isoDate,
  loadForUpdate,
  optionalText,
  requiredText,
  searchKeys,
  slugId,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { changeProjectTotal } from '../budget-holds';
import { Programme, Project, ReportingPeriod, WorkPackage } from '../entities';
import { formatCents, parseCents } from '../money';
import { DERIVED_PERIODS_SOURCE, reportingPeriods } from '../reporting-periods';
import { currencyCode } from '../rules';

/** The answer to a reference found taken before writing: the client can fix its input. */
function referenceTaken(reference: string, project: Project) {
  return badUserInput(
    'input.reference',
    `"${reference}" is the reference of project "${project._id}" (${project.acronym}) already; references are unique, archived projects included`,
  );
}

/** Two writes racing to one reference: the unique index settles it, and the loser may retry. */
function referenceRace(reference: string) {
  return conflict(`A project with reference "${reference}" was saved meanwhile; reload and retry`, {
    field: 'input.reference',
    reference,
  });
}

async function checkAxis(em: EntityManager, programmeId: string, axis: number): Promise<void> {
  const programme = await em.findOne(Programme, { _id: programmeId });
  if (!programme?.priorityAxes.some((a) => a.number === axis)) {
    const numbers = programme?.priorityAxes.map((a) => a.number).join(', ') ?? 'none';
    throw badUserInput(
      'input.priorityAxis',
      `must be a priority axis of the programme (${numbers}); got ${axis}`,
    );
  }
}

async function checkReferenceFree(em: EntityManager, reference: string, exceptId?: string): Promise<void> {
  const other = await em.findOne(Project, { reference, ...(exceptId ? { _id: { $ne: exceptId } } : {}) });
  if (other) throw referenceTaken(reference, other);
}

/**
 * A project's period must keep containing what is dated inside it: its reporting periods and
 * its work packages' deliverables and milestones.
 */
async function checkPeriodHoldsContent(em: EntityManager, project: Project, field: string): Promise<void> {
  const start = formatIsoDate(project.startDate);
  const end = formatIsoDate(project.endDate);
  const outside = await em.findOne(ReportingPeriod, {
    projectId: project._id,
    archived: false,
    $or: [{ startDate: { $lt: project.startDate } }, { endDate: { $gt: project.endDate } }],
  });
  if (outside) {
    throw badUserInput(
      field,
      `would leave reporting period ${outside.number} outside the project period ${start} to ${end}`,
    );
  }
  const workPackages = await em.find(WorkPackage, { projectId: project._id, archived: false });
  for (const wp of workPackages) {
    for (const output of [...wp.deliverables, ...wp.milestones]) {
      if (output.dueOn < start || output.dueOn > end) {
        throw badUserInput(
          field,
          `would leave ${wp.code} ${output.code} (due ${output.dueOn}) outside the project period ${start} to ${end}`,
        );
      }
    }
  }
}

/**
 * Cooperation projects of a programme last two to four years; ten is a generous bound that
 * catches a mistyped year before it creates decades of reporting periods.
 */
const LONGEST_PROJECT_YEARS = 10;

function checkOrder(startDate: Date, endDate: Date, field: string): void {
  if (endDate <= startDate) throw badUserInput(field, 'the end date must be after the start date');
  const latestEnd = new Date(startDate);
  latestEnd.setUTCFullYear(latestEnd.getUTCFullYear() + LONGEST_PROJECT_YEARS);
  if (endDate > latestEnd) {
    throw badUserInput(
      field,
      `a project lasts at most ${LONGEST_PROJECT_YEARS} years (until ${latestEnd.toISOString().slice(0, 10)} for this start); check the year of the end date`,
    );
  }
}

export const projectMutations: MutationResolvers = {
  createProject: async (_root, { input }, { em }) => {
    const acronym = requiredText('input.acronym', input.acronym, { max: 50 });
    const title = requiredText('input.title', input.title, { max: 300 });
    const reference = requiredText('input.reference', input.reference, { max: 100 });
    const programmeId = requiredText('input.programmeId', input.programmeId, { max: 100 });
    const call = optionalText('input.call', input.call, { max: 100 });
    const startDate = isoDate('input.startDate', input.startDate);
    const endDate = isoDate('input.endDate', input.endDate);
    checkOrder(startDate, endDate, 'input.endDate');
    const totalCents = parseCents('input.totalBudget', input.totalBudget);
    const currency = currencyCode('input.currency', input.currency ?? 'EUR');
    const source = requiredText('input.source', input.source);
    const programme = await em.findOne(Programme, { _id: programmeId, archived: false });
    if (!programme)
      throw badUserInput(
        'input.programmeId',
        `programme "${programmeId}" does not exist; see the programmes query`,
      );
    await checkAxis(em, programmeId, input.priorityAxis);

    const id = slugId(acronym);
    const holder = await em.findOne(Project, { _id: id });
    if (holder) {
      throw badUserInput(
        'input.acronym',
        `"${acronym}" gives the project id "${id}", which ${holder.acronym}${holder.archived ? ' (archived)' : ''} has already; choose another acronym`,
      );
    }
    await checkReferenceFree(em, reference);
    const project = em.create(Project, {
      _id: id,
      acronym,
      title,
      reference,
      programmeId,
      priorityAxis: input.priorityAxis,
      call,
      strategic: input.strategic ?? false,
      startDate,
      endDate,
      status: input.status ?? 'PLANNED',
      totalCents,
      currency,
      source,
      searchKeys: searchKeys(acronym, title, reference),
    });
    await flushNew(em, () =>
      conflict(`A project with id "${id}" or reference "${reference}" was saved meanwhile`, { id }),
    );
    // Without periods a project could never receive a claim. Written after the project (there
    // are no multi-document transactions), so that a creation that lost a race leaves no periods
    // behind; their ids derive from the project's, which was free until now.
    for (const period of reportingPeriods(id, startDate, endDate, DERIVED_PERIODS_SOURCE))
      em.create(ReportingPeriod, period);
    await flushNew(em, () =>
      conflict(`Reporting periods of project "${id}" exist already; see the reportingPeriods query`, { id }),
    );
    return project;
  },

  updateProject: async (_root, { id, version, input }, { em }) => {
    const current = await loadForUpdate(em, Project, 'Project', id, version);
    const change = updateInput(input);
    const priorityAxis = change.required('priorityAxis');
    if (priorityAxis !== undefined) await checkAxis(em, current.programmeId, priorityAxis);
    const changes: EntityData<Project> = changedOnly({
      acronym: change.required('acronym', (v, f) => requiredText(f, v, { max: 50 })),
      title: change.required('title', (v, f) => requiredText(f, v, { max: 300 })),
      reference: change.required('reference', (v, f) => requiredText(f, v, { max: 100 })),
      call: change.optional('call', (v, f) => optionalText(f, v, { max: 100 })),
      strategic: change.required('strategic'),
      status: change.required('status'),
      source: change.required('source', (v, f) => requiredText(f, v)),
      startDate: change.required('startDate', (v, f) => isoDate(f, v)),
      endDate: change.required('endDate', (v, f) => isoDate(f, v)),
      totalCents: change.required('totalBudget', (v, f) => parseCents(f, v)),
      priorityAxis,
    });
    const next = { ...current, ...changes } as Project;
    if (changes.startDate || changes.endDate) {
      const field = changes.endDate ? 'input.endDate' : 'input.startDate';
      checkOrder(next.startDate, next.endDate, field);
      await checkPeriodHoldsContent(em, next, field);
    }
    if (changes.reference && changes.reference !== current.reference)
      await checkReferenceFree(em, changes.reference, id);
    changes.searchKeys = searchKeys(next.acronym, next.title, next.reference);
    const write = async () => {
      try {
        return await updateVersioned(em, Project, 'Project', id, version, changes);
      } catch (error) {
        // Two updates racing to the same reference: the unique index settles it.
        if (error instanceof UniqueConstraintViolationException) throw referenceRace(next.reference);
        throw error;
      }
    };
    if (changes.totalCents == null) return write();
    // Checked on the project's ledger account in turn with simultaneous partner budgets, not on a
    // sum read beforehand (budget-holds.ts).
    return changeProjectTotal(em, current, changes.totalCents, write, (budgeted) =>
      badUserInput(
        'input.totalBudget',
        `must be at least the partner budgets' sum, ${formatCents(budgeted)} ${current.currency}`,
      ),
    );
  },

  archiveProject: archiveMutation(Project, 'Project'),
};
