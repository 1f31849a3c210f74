/// <reference lib="dom" />
// Sends the IDE's operations to the gateway it came from, with the headers of the headers editor
// (an `Authorization` header set there goes along).
import type { Fetcher } from '@graphiql/toolkit';

export function createFetcher(endpoint: string): Fetcher {
  return async (params, options) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        'content-type': 'application/json',
        ...options?.headers,
      },
      body: JSON.stringify(params),
      credentials: 'same-origin',
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return {
        errors: [
          {
            message: `The gateway answered HTTP ${response.status} without a GraphQL result: ${text.slice(0, 500)}`,
          },
        ],
      };
    }
  };
}
