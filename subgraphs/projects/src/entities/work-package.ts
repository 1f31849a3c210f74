import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export class WorkPackage {
  /** Project-scoped, e.g. `clusterpolisee-wp3`, since every project numbers its own from WP0. */
  _id!: string;
  /** `WP0` ... `WP6`. */
  code!: string;
  title!: string;
  projectId!: string;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }

  createdAt: Opt<Date> = new Date();
}

export const WorkPackageSchema = new EntitySchema<WorkPackage>({
  class: WorkPackage,
  collection: 'workPackages',
  indexes: [{ properties: ['projectId', 'code'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    code: { type: 'string' },
    title: { type: 'string' },
    projectId: { type: 'string' },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
