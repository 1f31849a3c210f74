// What the gateway checks of an HTTP request before Apollo Server parses any operation in it:
// the number of operations, and (with the caller known) whether it may send them at all.
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { OperationRequest } from './trusted-documents';

export interface EntranceOptions<TContext> {
  /**
   * 0 (the default of GATEWAY_MAX_BATCH_SIZE): a batched request (a JSON array of operations) is
   * refused with 400. From 1 on: batches of up to that many operations are run, larger ones refused.
   */
  maxBatchSize: number;
  /** Fills in the text of an operation that names a listed document by id. Default: none. */
  resolveDocument?: (operation: OperationRequest) => OperationRequest;
  /**
   * Runs once per HTTP request, right after the context is built (the token verified) and before
   * anything is parsed: rate limits, trusted documents. Throw a GraphQLError with
   * `extensions.http` to refuse the request with that status and headers.
   */
  admit?: (context: TContext, operations: OperationRequest[]) => Promise<void>;
}

/**
 * The Apollo Server to hand to the kit's `serveApollo`: the same server, whose
 * `executeHTTPGraphQLRequest` first counts the operations of the request (refusing oversized
 * batches), resolves document ids, and wraps the context function with `admit`.
 */
export function withEntrance<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: EntranceOptions<TContext>,
): ApolloServer<TContext> {
  const entrance = Object.create(apollo) as ApolloServer<TContext>;
  entrance.executeHTTPGraphQLRequest = async ({ httpGraphQLRequest, context }) => {
    const { method, body } = httpGraphQLRequest;
    let operations: OperationRequest[];
    let request = httpGraphQLRequest;
    const resolve = options.resolveDocument ?? ((operation: OperationRequest) => operation);

    if (method === 'POST' && Array.isArray(body)) {
      if (options.maxBatchSize === 0) {
        return badRequest(
          'This gateway does not accept batched requests (a JSON array of operations): send one operation per request.',
        );
      }
      if (body.length > options.maxBatchSize) {
        return badRequest(
          `A batched request may hold at most ${options.maxBatchSize} operations; this one holds ${body.length}: ` +
            'split it into smaller batches.',
        );
      }
      operations = body.map((item) => resolve(asOperation(item)));
      request = { ...httpGraphQLRequest, body: operations };
    } else if (method === 'POST' && isObject(body)) {
      const operation = resolve(body);
      operations = [operation];
      if (operation !== body) request = { ...httpGraphQLRequest, body: operation };
    } else if (method === 'GET') {
      const search = new URLSearchParams(httpGraphQLRequest.search);
      const given = fromSearch(search);
      const operation = resolve(given);
      operations = [operation];
      if (operation !== given && typeof operation.query === 'string') {
        search.set('query', operation.query);
        request = { ...httpGraphQLRequest, search: `?${search.toString()}` };
      }
    } else {
      operations = [];
    }

    return apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () => {
        const value = await context();
        await options.admit?.(value, operations);
        return value;
      },
    });
  };
  return entrance;
}

function fromSearch(search: URLSearchParams): OperationRequest {
  const operation: OperationRequest = {};
  const query = search.get('query');
  if (query !== null) operation.query = query;
  const documentId = search.get('documentId');
  if (documentId !== null) operation.documentId = documentId;
  const extensions = search.get('extensions');
  if (extensions !== null) {
    try {
      operation.extensions = JSON.parse(extensions);
    } catch {
      // Apollo refuses it with a message of its own.
    }
  }
  return operation;
}

function asOperation(item: unknown): OperationRequest {
  return isObject(item) ? item : {};
}

function isObject(value: unknown): value is OperationRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badRequest(message: string): HTTPGraphQLResponse {
  return {
    status: 400,
    headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
    body: {
      kind: 'complete',
      string: JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }),
    },
  };
}
