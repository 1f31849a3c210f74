import type { Page } from '@clusterpolisee/kit';
import type { Event } from './event';
import type { NewsItem } from './news-item';
import type { Newsletter } from './newsletter';
import type { Publication } from './publication';

/**
 * What list resolvers return, named like the SDL's connection types so that codegen maps them
 * here: a kit `Page`, whose `totalCount` is a function that graphql's default resolver runs only
 * when the field is selected. Never instantiated; types only.
 */
abstract class Connection<T> implements Page<T> {
  nodes!: T[];
  pageInfo!: Page<T>['pageInfo'];
  totalCount!: () => Promise<number>;
}
export class NewsItemConnection extends Connection<NewsItem> {}
export class EventConnection extends Connection<Event> {}
export class PublicationConnection extends Connection<Publication> {}
export class NewsletterConnection extends Connection<Newsletter> {}
