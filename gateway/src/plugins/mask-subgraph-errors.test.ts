import type { GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { PUBLIC_ERROR_CODES } from '../../../subgraphs/kit/src/errors';
import type { GatewayContext } from '../context';
import { maskSubgraphErrors, SUBGRAPH_PUBLIC_CODES } from './mask-subgraph-errors';

/** Runs the plugin's willSendResponse on `errors` (originals) formatted as Apollo would. */
async function mask(
  errors: GraphQLError[],
  formatted: GraphQLFormattedError[] = errors.map((e) => e.toJSON()),
) {
  const lines: string[] = [];
  const plugin = maskSubgraphErrors((event) => lines.push(`[gateway] ${JSON.stringify(event)}`));
  const context = { requestId: 'req-1', clientRequestId: 'mine' } as GatewayContext;
  const listener = (await plugin.requestDidStart!({
    contextValue: context,
  } as never)) as GraphQLRequestListener<GatewayContext>;
  const singleResult = { data: null, errors: formatted };
  await listener.willSendResponse!({
    response: { body: { kind: 'single', singleResult } },
    errors,
    contextValue: context,
  } as never);
  return { errors: singleResult.errors, lines };
}

describe('maskSubgraphErrors', () => {
  it('passes only public codes of the kit, none about the request the gateway built', () => {
    for (const code of SUBGRAPH_PUBLIC_CODES) expect(PUBLIC_ERROR_CODES).toContain(code);
    for (const code of ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST']) {
      expect(SUBGRAPH_PUBLIC_CODES.has(code)).toBe(false);
    }
  });

  it("masks the gateway's own internal errors, logging the cause with the request id", async () => {
    const cause = new TypeError(
      'Cannot read properties of undefined (reading "x") at /app/gateway/src/x.ts:1',
    );
    const error = new GraphQLError(cause.message, { originalError: cause, path: ['a'] });
    const { errors, lines } = await mask(
      [error],
      [
        {
          message: cause.message,
          path: ['a'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] },
        },
      ],
    );
    expect(errors).toEqual([
      {
        message: 'Internal server error (request req-1).',
        path: ['a'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' },
      },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[gateway\] \{/);
    expect(JSON.parse(lines[0]!.slice('[gateway] '.length))).toMatchObject({
      requestId: 'req-1',
      clientRequestId: 'mine',
      code: 'INTERNAL_SERVER_ERROR',
      cause: { message: cause.message, stack: expect.stringContaining('TypeError') },
    });
  });

  it("leaves the gateway's deliberate errors as they are, and logs nothing", async () => {
    const validation = new GraphQLError('Cannot query field "x" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const limited = new GraphQLError('Too many requests.', {
      extensions: { code: 'RATE_LIMITED', retryAfter: 3 },
    });
    const { errors, lines } = await mask([validation, limited]);
    expect(errors).toEqual([validation.toJSON(), limited.toJSON()]);
    expect(lines).toEqual([]);
  });

  it("masks a subgraph's error with a request-level code: the gateway's query failed there, not the caller's", async () => {
    const drift = new GraphQLError('Cannot query field "rating" on type "Organisation".', {
      path: ['organisations', 0, 'rating'],
      extensions: {
        code: 'GRAPHQL_VALIDATION_FAILED',
        serviceName: 'partner',
        stacktrace: ['at x (/srv/a.js:1)'],
      },
    });
    const { errors, lines } = await mask([drift]);
    expect(errors).toEqual([
      {
        message: 'Subgraph "partner" failed (request req-1).',
        path: ['organisations', 0, 'rating'],
        extensions: { code: 'SUBGRAPH_ERROR', subgraph: 'partner', requestId: 'req-1' },
      },
    ]);
    expect(lines[0]).toContain('/srv/a.js');
    expect(lines[0]).toContain('Cannot query field');
  });
});
