import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/mongodb';
import {
  archiveMutation,
  badUserInput,
  changedOnly,
  flushNew,
  formatIsoDate,
  loadForUpdate,
  optionalText,
  requiredText,
  slugId,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers, WorkPackageOutputInput } from '../__generated__/resolvers';
import { Project, WorkPackage, type WorkPackageOutput } from '../entities';
import { dateInProject } from '../rules';

const WP_CODE = { regex: /^WP\d{1,2}$/, description: 'WP followed by its number, e.g. "WP3"' };
const OUTPUT_CODE = {
  regex: /^[A-Za-z0-9.\-_]+$/,
  description: 'letters, digits, dots or dashes, e.g. "D3.1"',
};

function codeTaken(code: string) {
  return badUserInput(
    'input.code',
    `${code} already exists in this project (archived work packages keep their codes)`,
  );
}

async function checkCodeFree(em: EntityManager, projectId: string, code: string, exceptId?: string) {
  const other = await em.findOne(WorkPackage, {
    projectId,
    code,
    ...(exceptId ? { _id: { $ne: exceptId } } : {}),
  });
  if (other) throw codeTaken(code);
}

function outputs(
  field: string,
  list: readonly WorkPackageOutputInput[] | null | undefined,
  project: Project,
  defaultSource: string,
): WorkPackageOutput[] {
  const seen = new Set<string>();
  return (list ?? []).map((item, i) => {
    const code = requiredText(`${field}.${i}.code`, item.code, { max: 20, pattern: OUTPUT_CODE });
    if (seen.has(code)) throw badUserInput(`${field}.${i}.code`, `${code} appears twice in the list`);
    seen.add(code);
    return {
      code,
      title: requiredText(`${field}.${i}.title`, item.title, { max: 300 }),
      // Kept as the checked YYYY-MM-DD string: see WorkPackageOutput.dueOn.
      dueOn: formatIsoDate(dateInProject(`${field}.${i}.dueOn`, item.dueOn, project)),
      status: item.status ?? 'PLANNED',
      source: optionalText(`${field}.${i}.source`, item.source) ?? defaultSource,
    };
  });
}

function activities(list: readonly string[] | null | undefined): string[] {
  return (list ?? []).map((text, i) => requiredText(`input.activities.${i}`, text, { max: 500 }));
}

export const workPackageMutations: MutationResolvers = {
  createWorkPackage: async (_root, { input }, { em }) => {
    const projectId = requiredText('input.projectId', input.projectId, { max: 100 });
    const code = requiredText('input.code', input.code, { max: 4, pattern: WP_CODE });
    const title = requiredText('input.title', input.title, { max: 300 });
    const leadOrganisationId = optionalText('input.leadOrganisationId', input.leadOrganisationId, {
      max: 100,
    });
    const source = requiredText('input.source', input.source);
    const project = await em.findOne(Project, { _id: projectId, archived: false });
    if (!project)
      throw badUserInput('input.projectId', `project "${projectId}" does not exist or is archived`);
    const deliverables = outputs('input.deliverables', input.deliverables, project, source);
    const milestones = outputs('input.milestones', input.milestones, project, source);
    const acts = activities(input.activities);
    await checkCodeFree(em, projectId, code);

    // The readable id may already belong to a package that was renamed since; then add a suffix.
    let id = slugId(projectId, code);
    if (await em.findOne(WorkPackage, { _id: id }))
      id = slugId(projectId, code, randomBytes(3).toString('hex'));
    const workPackage = em.create(WorkPackage, {
      _id: id,
      projectId,
      code,
      title,
      leadOrganisationId,
      activities: acts,
      deliverables,
      milestones,
      source,
    });
    await flushNew(em, () => codeTaken(code));
    return workPackage;
  },

  updateWorkPackage: async (_root, { id, version, input }, { em }) => {
    const current = await loadForUpdate(em, WorkPackage, 'WorkPackage', id, version);
    const project = await em.findOneOrFail(Project, { _id: current.projectId });
    const change = updateInput(input);
    const source = change.required('source', (v, f) => requiredText(f, v));
    const outputSource = source ?? current.source;
    const changes = changedOnly({
      code: change.required('code', (v, f) => requiredText(f, v, { max: 4, pattern: WP_CODE })),
      title: change.required('title', (v, f) => requiredText(f, v, { max: 300 })),
      leadOrganisationId: change.optional('leadOrganisationId', (v, f) => optionalText(f, v, { max: 100 })),
      source,
      activities: change.optional('activities', (v) => activities(v), []),
      deliverables: change.optional('deliverables', (v, f) => outputs(f, v, project, outputSource), []),
      milestones: change.optional('milestones', (v, f) => outputs(f, v, project, outputSource), []),
    });
    if (changes.code && changes.code !== current.code)
      await checkCodeFree(em, current.projectId, changes.code, id);
    try {
      return await updateVersioned(em, WorkPackage, 'WorkPackage', id, version, changes);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw codeTaken(changes.code ?? current.code);
      throw error;
    }
  },

  archiveWorkPackage: archiveMutation(WorkPackage, 'WorkPackage'),
};
