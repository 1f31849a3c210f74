import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export class PartnerBudget {
  /**
   * `slugId(projectId, organisationId)`: one document per organisation and project, so setting a
   * budget again replaces it in a single-document write.
   */
  _id!: string;
  projectId!: string;
  /** An Organisation of the partners subgraph. */
  organisationId!: string;
  /** Integer cents: money is never a float here. */
  totalCents!: number;
  /**
   * The project's currency when the budget was set. Required rather than defaulted: em.upsert,
   * how seeds write, applies no defaults.
   */
  currency!: string;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }

  updatedAt: Opt<Date> = new Date();
}

export const PartnerBudgetSchema = new EntitySchema<PartnerBudget>({
  class: PartnerBudget,
  collection: 'partnerBudgets',
  indexes: [{ properties: ['projectId', 'totalCents'] }, { properties: ['organisationId', 'projectId'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    projectId: { type: 'string' },
    organisationId: { type: 'string' },
    totalCents: { type: 'integer' },
    currency: { type: 'string' },
    source: { type: 'string' },
    updatedAt: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
