import type { IncomingMessage } from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  ANONYMOUS,
  forwardedIdentityVerifier,
  generateIdentityKeyPem,
  identityFor,
  identitySigningKey,
  requestIdsOf,
} from '@clusterpolisee/kit/auth';
import { clientAddress, gatewayContext, type GatewayContext } from './context';
import { identityForwarder } from './forward-identity';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it("takes the connection's peer unless proxies are trusted", () => {
    expect(clientAddress(request('10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
  });

  it('takes the entry the trusted proxies added, not what the client claims', () => {
    // The client forged "6.6.6.6"; the one proxy appended the address it saw.
    expect(clientAddress(request('10.0.0.5', '6.6.6.6, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.5', '6.6.6.6, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.5'), 1)).toBe('10.0.0.5');
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const analyst = identityFor('ana', 'analyst');

const incoming = (headers: Record<string, string>) =>
  ({ socket: { remoteAddress: '10.0.0.5' }, headers }) as unknown as IncomingMessage;
const contextOf = (headers: Record<string, string>) =>
  gatewayContext(incoming(headers), { verifyToken: async () => analyst, trustProxyHops: 0 });

describe("the gateway's request id", () => {
  it("is its own, never the caller's x-request-id, which is kept apart as the client's", async () => {
    const context = await contextOf({ 'x-request-id': 'req-7' });
    expect(context.requestId).toMatch(UUID);
    expect(context.clientRequestId).toBe('req-7');
    const other = await contextOf({ 'x-request-id': 'req-7' });
    expect(other.requestId).not.toBe(context.requestId);
  });

  it('ignores a client id that is not short and printable, and needs none', async () => {
    expect((await contextOf({ 'x-request-id': 'a b' })).clientRequestId).toBeUndefined();
    expect((await contextOf({ 'x-request-id': 'x'.repeat(129) })).clientRequestId).toBeUndefined();
    const none = await contextOf({});
    expect(none.requestId).toMatch(UUID);
    expect(none.clientRequestId).toBeUndefined();
  });

  it("reaches a subgraph as the signature's jti and x-request-id, the client's as x-client-request-id", async () => {
    const key = await identitySigningKey(generateIdentityKeyPem());
    const forward = identityForwarder({ key })('projects');
    const send = async (context: GatewayContext) => {
      const headers = new Map<string, string>();
      await forward({
        request: { http: { headers } },
        context,
      } as unknown as GraphQLDataSourceProcessOptions<Partial<GatewayContext>>);
      return headers;
    };
    const verify = forwardedIdentityVerifier(key.jwks, 'projects');

    const context = await contextOf({ 'x-request-id': 'req-7' });
    const headers = await send(context);
    expect(headers.get('x-request-id')).toBe(context.requestId);
    expect(headers.get('x-client-request-id')).toBe('req-7');
    const identity = await verify(headers.get('x-hub-identity'));
    // What the subgraph then records: the gateway's id, even if the header were changed on the way.
    expect(requestIdsOf(identity, { 'x-request-id': 'req-7', 'x-client-request-id': 'req-7' })).toEqual({
      requestId: context.requestId,
      clientRequestId: 'req-7',
    });

    const anonymous = await send({ ...(await contextOf({})), identity: ANONYMOUS });
    expect(anonymous.get('x-request-id')).toMatch(UUID);
    expect(anonymous.has('x-client-request-id')).toBe(false);
  });
});
