import { EntitySchema, type Opt } from '@mikro-orm/mongodb';

export class NewsItem {
  /** `slugId(publishedOn, title)`: readable, and the same story posted twice on a day collides. */
  _id!: string;
  title!: string;
  summary?: string;
  /** BCP 47 tag such as `en` or `sr-RS`: the platform publishes in eight languages. */
  language!: string;
  /** UTC midnight of the day. */
  publishedOn!: Date;
  /** An Organisation of the partners subgraph. */
  authorOrganisationId!: string;
  source!: string;
  /** The GraphQL key, kept in MongoDB's `_id` and not stored twice. */
  get id(): Opt<string> {
    return this._id;
  }

  createdAt: Opt<Date> = new Date();
}

export const NewsItemSchema = new EntitySchema<NewsItem>({
  class: NewsItem,
  collection: 'news',
  // `_id` breaks ties between items of one day, so pages of the list never shuffle.
  indexes: [
    { properties: ['publishedOn', '_id'] },
    { properties: ['authorOrganisationId', 'publishedOn', '_id'] },
  ],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', persist: false, getter: true },
    title: { type: 'string' },
    summary: { type: 'string', nullable: true },
    language: { type: 'string' },
    publishedOn: { type: 'Date' },
    authorOrganisationId: { type: 'string' },
    source: { type: 'string' },
    createdAt: { type: 'Date', onCreate: () => new Date() },
  },
});
