import {
  badUserInput,
  conflict,
  countryCode,
  flushNew,
  loadForUpdate,
  notFound,
  optionalText,
  requiredText,
  setArchived,
  slugId,
  staleVersion,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { changeBudget } from '../budget-holds';
import { PartnerBudget, Project, WorkPackage, type BudgetLine } from '../entities';
import { formatCents, parseCents } from '../money';

export const budgetMutations: MutationResolvers = {
  setPartnerBudget: async (_root, { input, version }, { em }) => {
    const projectId = requiredText('input.projectId', input.projectId, { max: 100 });
    const organisationId = requiredText('input.organisationId', input.organisationId, { max: 100 });
    const country = countryCode('input.countryCode', input.countryCode);
    const totalCents = parseCents('input.total', input.total);
    const erdfCents = parseCents('input.erdf', input.erdf);
    const ipaCents = parseCents('input.ipa', input.ipa);
    const nationalCents = parseCents('input.nationalContribution', input.nationalContribution);
    const source = requiredText('input.source', input.source);
    const breakdownSource = optionalText('input.breakdownSource', input.breakdownSource) ?? source;
    if (erdfCents + ipaCents + nationalCents !== totalCents) {
      throw badUserInput(
        'input.nationalContribution',
        `erdf + ipa + nationalContribution must equal total exactly: with total ${formatCents(totalCents)}, ` +
          `nationalContribution would be ${formatCents(totalCents - erdfCents - ipaCents)}`,
      );
    }
    const project = await em.findOne(Project, { _id: projectId, archived: false });
    if (!project)
      throw badUserInput(
        'input.projectId',
        `project "${projectId}" does not exist or is archived; see the projects query`,
      );

    const lineInputs = input.lines ?? [];
    const workPackages = lineInputs.length
      ? await em.find(WorkPackage, {
          projectId,
          archived: false,
          _id: { $in: lineInputs.map((l) => l.workPackageId) },
        })
      : [];
    const known = new Set(workPackages.map((wp) => wp._id));
    const seen = new Set<string>();
    const lines: BudgetLine[] = lineInputs.map((line, i) => {
      const field = `input.lines.${i}`;
      if (!known.has(line.workPackageId))
        throw badUserInput(
          `${field}.workPackageId`,
          `"${line.workPackageId}" is not a work package of ${project.acronym}`,
        );
      if (seen.has(line.workPackageId))
        throw badUserInput(`${field}.workPackageId`, `"${line.workPackageId}" has a line already`);
      seen.add(line.workPackageId);
      return { workPackageId: line.workPackageId, cents: parseCents(`${field}.amount`, line.amount) };
    });
    const linesCents = lines.reduce((sum, line) => sum + line.cents, 0);
    if (linesCents > totalCents) {
      throw badUserInput(
        'input.lines',
        `the work-package lines add up to ${formatCents(linesCents)}, more than the total of ${formatCents(totalCents)} ${project.currency}`,
      );
    }

    const id = slugId(projectId, organisationId);
    const existing = await em.findOne(PartnerBudget, { _id: id }, { refresh: true });
    // slugId folds case and punctuation and is cut at 80 characters, so two different pairs could
    // meet on one id; refuse rather than overwrite the other pair's budget.
    if (existing && (existing.projectId !== projectId || existing.organisationId !== organisationId)) {
      throw conflict(
        `Budget id "${id}" already holds organisation "${existing.organisationId}" in project "${existing.projectId}"`,
        { id },
      );
    }
    if (existing && version == null) {
      throw badUserInput(
        'version',
        `is required to replace the existing budget "${id}" (now at version ${existing.version})`,
      );
    }
    if (!existing && version != null) throw notFound('PartnerBudget', id);
    if (existing && existing.version !== version) {
      throw staleVersion('PartnerBudget', id, version!, existing.version);
    }

    const fields = {
      projectId,
      organisationId,
      countryCode: country,
      totalCents,
      erdfCents,
      ipaCents,
      nationalCents,
      currency: project.currency,
      lines,
      source,
      breakdownSource,
    };
    // Two rules span other documents: the project's other budgets leave room for this total,
    // and the partner's live claims without an override reason fit under it (claims are held
    // against the partner's total, not its work-package lines, and a claim with a reason was
    // accepted above the budget on purpose; no claim is held to a line). Both are checked on
    // ledger accounts in turn with simultaneous claims and budgets (budget-holds.ts), not on sums
    // read beforehand.
    return changeBudget(em, {
      projectId,
      budget: existing,
      totalCents,
      // Lines and total live in one document: one atomic write, guarded by the version.
      write: async () => {
        if (existing)
          return updateVersioned(em, PartnerBudget, 'PartnerBudget', id, version!, {
            ...fields,
            archived: false,
          });
        const budget = em.create(PartnerBudget, { _id: id, ...fields });
        await flushNew(em, () =>
          conflict(
            `Budget "${id}" was created by someone else meanwhile; reload it and replace it with its version`,
            { id },
          ),
        );
        return budget;
      },
      aboveProject: (headroomCents) =>
        badUserInput(
          'input.total',
          `the partner budgets of ${project.acronym} would exceed its total budget of ${formatCents(project.totalCents)} ${project.currency}; ` +
            `at most ${formatCents(Math.max(headroomCents, 0))} ${project.currency} remains for this organisation`,
        ),
      belowClaims: (claimedCents) =>
        badUserInput(
          'input.total',
          `is below what ${organisationId} has claimed in ${project.acronym} already: its live claims without an overrideReason add up to ` +
            `${formatCents(claimedCents)} ${project.currency}; set a total of at least that, or archive or correct claims first`,
        ),
    });
  },

  archivePartnerBudget: async (_root, { id, version }, { em }) => {
    const budget = await loadForUpdate(em, PartnerBudget, 'PartnerBudget', id, version);
    const write = () => setArchived(em, PartnerBudget, 'PartnerBudget', id, version, true);
    if (budget.archived) return write();
    // The project gets the budget's total back once it is archived, once per archiving. Archiving
    // only gives back, so neither refusal can be asked for.
    return changeBudget(em, {
      projectId: budget.projectId,
      budget,
      totalCents: null,
      write,
      aboveProject: () => notFound('PartnerBudget', id),
      belowClaims: () => notFound('PartnerBudget', id),
      giveOnce: `archive ${id} at version ${version}`,
    });
  },
};
