import { NewsItemSchema } from './news-item';

export { NewsItem } from './news-item';
export { Organisation } from './organisation';
export const entities = [NewsItemSchema];
