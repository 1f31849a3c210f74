import { EventSchema } from './event';
import { NewsItemSchema } from './news-item';
import { NewsletterSchema } from './newsletter';
import { PublicationSchema } from './publication';

export { NewsItem } from './news-item';
export { Event } from './event';
export { Publication } from './publication';
export { Newsletter } from './newsletter';
export { Organisation, WorkingGroup, Country } from './organisation';
export {
  NewsItemConnection,
  EventConnection,
  PublicationConnection,
  NewsletterConnection,
} from './connections';
export type { EventType } from './event';
export type { PublicationType } from './publication';
export * from './content';
export const entities = [NewsItemSchema, EventSchema, PublicationSchema, NewsletterSchema];
