import { EntitySchema } from '@mikro-orm/mongodb';
import { HubRecord, HubRecordSchema } from '@clusterpolisee/kit';

/**
 * What one work package of one partner may cost. A class only so that codegen maps the SDL's
 * BudgetLine to it; stored as plain embedded objects.
 */
export class BudgetLine {
  workPackageId!: string;
  cents!: number;
  /** Not stored: the budget's currency, added when a resolver hands the line on. */
  currency?: string;
}

/**
 * What one organisation may spend in one project, with its work-package lines embedded: one
 * document per organisation and project, so "the lines never add up to more than the total"
 * is checked and written in a single atomic write (there are no multi-document transactions).
 * `_id` is `slugId(projectId, organisationId)`.
 */
export class PartnerBudget extends HubRecord {
  projectId!: string;
  /** An Organisation of the partners subgraph. */
  organisationId!: string;
  /**
   * The organisation's ISO country, copied here when the budget is set: the organisation lives
   * in the partners subgraph, and budget-by-country must be grouped in this database.
   */
  countryCode!: string;
  /** Integer cents, as every amount: money is never a float here. */
  totalCents!: number;
  erdfCents!: number;
  ipaCents!: number;
  nationalCents!: number;
  /** The project's currency when the budget was set. */
  currency!: string;
  lines!: BudgetLine[];
  /**
   * Provenance of the ERDF/IPA/national split and the lines, where it differs from that of the
   * total (`source`): the two public partner budgets are totals only.
   */
  breakdownSource!: string;
}

export const PartnerBudgetSchema = new EntitySchema<PartnerBudget, HubRecord>({
  class: PartnerBudget,
  extends: HubRecordSchema,
  collection: 'partnerBudgets',
  indexes: [
    { properties: ['projectId', 'archived', 'totalCents'] },
    { properties: ['projectId', 'archived', 'organisationId'] },
    { properties: ['projectId', 'countryCode'] },
    { properties: ['organisationId', 'projectId'] },
  ],
  properties: {
    projectId: { type: 'string' },
    organisationId: { type: 'string' },
    countryCode: { type: 'string' },
    totalCents: { type: 'integer' },
    erdfCents: { type: 'integer' },
    ipaCents: { type: 'integer' },
    nationalCents: { type: 'integer' },
    currency: { type: 'string' },
    lines: { type: 'json' },
    breakdownSource: { type: 'string' },
  },
});
