import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/mongodb';
import { createContext } from '../context';
import { requestScopeOf } from '../request-scope';
import {
  forwardedIdentityVerifier,
  generateIdentityKeyPem,
  identitySigningKey,
  signForwardedIdentity,
  type IdentitySigningKey,
} from './forwarded-identity';
import { requestIdsOf } from './request-ids';
import { ANONYMOUS, identityFor } from './roles';

let key: IdentitySigningKey;
beforeAll(async () => {
  key = await identitySigningKey(generateIdentityKeyPem());
});

const officer = identityFor('fo-marche', 'finance-officer', 'it-marche-region');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Only what createContext touches: a fork to bind the request's scope to. */
const rootEm = { fork: () => ({}) } as unknown as EntityManager;
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("a subgraph's request ids", () => {
  test("for a signed-in caller are the gateway's signed jti, whatever x-request-id a direct caller sends", async () => {
    const verify = forwardedIdentityVerifier(key.jwks, 'projects');
    const identity = await verify(await signForwardedIdentity(officer, key, 'projects', 'gateway-id-1'));
    const context = createContext(
      rootEm,
      () => ({}),
      'projects',
      identity,
      request({ 'x-request-id': 'chosen-by-caller', 'x-client-request-id': 'my-label' }),
    );
    expect(context.requestId).toBe('gateway-id-1');
    expect(context.clientRequestId).toBe('my-label');
    // What the audit trail records.
    expect(requestScopeOf(context.em)).toMatchObject({
      requestId: 'gateway-id-1',
      clientRequestId: 'my-label',
    });
  });

  test('stay those of the signature when the same header is answered from the cache', async () => {
    const verify = forwardedIdentityVerifier(key.jwks, 'projects');
    const header = await signForwardedIdentity(officer, key, 'projects', 'gateway-id-2');
    await verify(header);
    const again = await verify(header);
    expect(requestIdsOf(again, { 'x-request-id': 'other' }).requestId).toBe('gateway-id-2');
  });

  test('of an anonymous caller come from x-request-id (its shared signature names no request)', async () => {
    const verify = forwardedIdentityVerifier(key.jwks, 'projects');
    const identity = await verify(await signForwardedIdentity(ANONYMOUS, key, 'projects', 'shared'));
    expect(requestIdsOf(identity, { 'x-request-id': 'gw-3' })).toEqual({
      requestId: 'gw-3',
      clientRequestId: null,
    });
    expect(requestIdsOf(identity, {}).requestId).toMatch(UUID);
  });

  test('never come from a header for a signed-in identity that carries no signed id', () => {
    expect(requestIdsOf(officer, { 'x-request-id': 'chosen-by-caller' }).requestId).toMatch(UUID);
  });

  test('leave out a client id that is not short and printable', () => {
    expect(requestIdsOf(ANONYMOUS, { 'x-client-request-id': 'a b\nc' }).clientRequestId).toBeNull();
    expect(requestIdsOf(ANONYMOUS, { 'x-client-request-id': 'x'.repeat(129) }).clientRequestId).toBeNull();
  });
});
