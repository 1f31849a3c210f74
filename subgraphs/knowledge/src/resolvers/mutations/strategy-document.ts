import { badUserInput, conflict, flushNew, requiredText, updateVersioned } from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { nameFields, StrategyDocument } from '../../entities';
import { liveWorkingGroup, optionalUrl, projectDate, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

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
    const document = await current(loaders.strategyDocument, 'StrategyDocument', id);
    const changes: Partial<StrategyDocument> = {};
    if (input.type != null) changes.type = input.type;
    if (input.title !== undefined) {
      changes.title = requiredText('input.title', input.title, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.title));
    }
    if (input.workingGroup === null) changes.workingGroupCode = null;
    else if (input.workingGroup !== undefined && input.workingGroup !== document.workingGroupCode)
      changes.workingGroupCode = (
        await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders)
      )._id;
    if (input.publishedOn !== undefined) {
      changes.publishedOn = publishedOn(input.publishedOn);
      // A new date is a day unless said otherwise; clearing it clears its precision.
      if (input.publishedOnPrecision === undefined)
        changes.publishedOnPrecision = changes.publishedOn ? 'DAY' : null;
    }
    if (input.publishedOnPrecision !== undefined) changes.publishedOnPrecision = input.publishedOnPrecision;
    if (input.url !== undefined) changes.url = optionalUrl('input.url', input.url);
    if (input.source !== undefined) changes.source = source(input.source);
    checkDocument({ ...document, ...changes });
    return updateVersioned(em, StrategyDocument, 'StrategyDocument', id, version, changes);
  },

  archiveStrategyDocument: (_root, { id, version }, { em }) =>
    archive(em, StrategyDocument, 'StrategyDocument', id, version),
};
