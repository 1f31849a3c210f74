import {
  archiveMutation,
  badUserInput,
  changedOnly,
  conflict,
  flushNew,
  loadForUpdate,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { StrategyDocument } from '../../entities';
import { liveWorkingGroup, optionalUrl, projectDate, TITLE_MAX } from '../../validation';
import { groupChange, newId, renamed, source } from './common';

/** A factsheet is about one thematic area; a plan covers them all. A precision needs a date. */
function checkDocument(
  document: Pick<StrategyDocument, 'type' | 'workingGroupCode' | 'publishedOn' | 'publishedOnPrecision'>,
): void {
  if (document.type === 'POLICY_FACTSHEET' && !document.workingGroupCode)
    throw badUserInput('input.workingGroup', 'is required for a POLICY_FACTSHEET');
  if (document.type !== 'POLICY_FACTSHEET' && document.workingGroupCode)
    throw badUserInput(
      'input.workingGroup',
      `must be empty for a ${document.type}, which covers every thematic area`,
    );
  if (!document.publishedOn && document.publishedOnPrecision)
    throw badUserInput('input.publishedOnPrecision', 'must be empty without publishedOn');
  if (
    document.publishedOn &&
    document.publishedOnPrecision === 'MONTH' &&
    document.publishedOn.getUTCDate() !== 1
  )
    throw badUserInput('input.publishedOn', 'must be the 1st of the month when only the month is known');
}

const publishedOn = (value: string | null | undefined) =>
  value == null ? null : projectDate('input.publishedOn', value);

export const strategyDocumentMutations: Pick<
  MutationResolvers,
  'createStrategyDocument' | 'updateStrategyDocument' | 'archiveStrategyDocument'
> = {
  createStrategyDocument: async (_root, { input }, { em, loaders }) => {
    const title = requiredText('input.title', input.title, { max: TITLE_MAX });
    const group =
      input.workingGroup == null
        ? null
        : await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders);
    const date = publishedOn(input.publishedOn);
    const document = {
      type: input.type,
      title,
      workingGroupCode: group?._id ?? null,
      publishedOn: date,
      publishedOnPrecision: input.publishedOnPrecision ?? (date ? ('DAY' as const) : null),
      url: optionalUrl('input.url', input.url),
      source: source(input.source),
    };
    checkDocument(document);
    const created = em.create(StrategyDocument, { _id: newId('document', title), ...document });
    await flushNew(em, () => conflict('A strategy document with this id was just created; retry'));
    return created;
  },

  updateStrategyDocument: async (_root, { id, version, input }, { em, loaders }) => {
    const document = await loadForUpdate(em, StrategyDocument, 'StrategyDocument', id, version);
    const change = updateInput(input);
    const title = change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const date = change.optional('publishedOn', (v) => publishedOn(v));
    const precision = change.optional('publishedOnPrecision');
    const changes = changedOnly({
      type: change.required('type'),
      title,
      ...renamed(title),
      workingGroupCode: await change.optional('workingGroup', (v, f) =>
        groupChange(f, v, document.workingGroupCode, loaders),
      ),
      publishedOn: date,
      // A new date is a day unless said otherwise; clearing it clears its precision.
      publishedOnPrecision:
        precision !== undefined || date === undefined ? precision : date ? ('DAY' as const) : null,
      url: change.optional('url', (v, f) => optionalUrl(f, v)),
      source: change.required('source', (v, f) => source(v, f)),
    });
    checkDocument({ ...document, ...changes });
    return updateVersioned(em, StrategyDocument, 'StrategyDocument', id, version, changes);
  },

  archiveStrategyDocument: archiveMutation(StrategyDocument, 'StrategyDocument'),
};
