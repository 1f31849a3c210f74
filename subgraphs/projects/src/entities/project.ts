import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export class Project {
  /** A slug of the acronym, e.g. `clusterpolisee`. */
  _id!: string;
  acronym!: string;
  title!: string;
  reference!: string;
  programme!: string;
  /** UTC midnight of the first day. */
  startDate!: Date;
  /** UTC midnight of the last day. */
  endDate!: Date;
  /** Integer cents: money is never a float here. */
  totalCents!: number;
  /**
   * ISO 4217 code shared by every amount of the project. Required rather than defaulted:
   * em.upsert, how seeds write, applies no defaults.
   */
  currency!: string;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }

  createdAt: Opt<Date> = new Date();
}

export const ProjectSchema = new EntitySchema<Project>({
  class: Project,
  collection: 'projects',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    acronym: { type: 'string' },
    title: { type: 'string' },
    reference: { type: 'string' },
    programme: { type: 'string' },
    startDate: { type: 'Date' },
    endDate: { type: 'Date' },
    totalCents: { type: 'integer' },
    currency: { type: 'string' },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
