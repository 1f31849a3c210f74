import { HeaderMap } from '@apollo/server';
import type { GraphQLErrorExtensions } from 'graphql';

/**
 * `extensions.http` of a GraphQLError, which Apollo Server turns into the response's status and
 * headers (and removes from the error). Apollo wants the headers as a Map; graphql-yoga, in the
 * project through Hive Gateway for the benchmark, augments graphql's types to say a plain record,
 * hence the cast.
 */
export function httpHead(
  status: number,
  headers: Record<string, string> = {},
): GraphQLErrorExtensions['http'] {
  return {
    status,
    headers: new HeaderMap(Object.entries(headers)),
  } as unknown as GraphQLErrorExtensions['http'];
}
