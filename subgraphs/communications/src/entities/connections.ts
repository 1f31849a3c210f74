import { Connection } from '@clusterpolisee/kit';
import type { Event } from './event';
import type { NewsItem } from './news-item';
import type { Newsletter } from './newsletter';
import type { Publication } from './publication';

export class NewsItemConnection extends Connection<NewsItem> {}
export class EventConnection extends Connection<Event> {}
export class PublicationConnection extends Connection<Publication> {}
export class NewsletterConnection extends Connection<Newsletter> {}
