export {
  ROLES,
  SCOPES,
  ROLE_SCOPES,
  ORGANISATION_BOUND_ROLES,
  ANONYMOUS,
  isRole,
  identityFor,
  boundOrganisation,
  type Role,
  type Scope,
  type Identity,
} from './roles';
export {
  IDENTITY_HEADER,
  IDENTITY_ISSUER,
  IDENTITY_TYPE,
  IDENTITY_ALGORITHM,
  IDENTITY_TTL_SECONDS,
  identitySigningKey,
  generateIdentityKeyPem,
  signForwardedIdentity,
  forwardedIdentityVerifier,
  type IdentitySigningKey,
  type IdentityKeySource,
  type IdentityVerifier,
} from './forwarded-identity';
export { signedRequestIdOf } from './forwarded-identity';
export {
  REQUEST_ID_HEADER,
  CLIENT_REQUEST_ID_HEADER,
  acceptableRequestId,
  requestIdsOf,
  type RequestIds,
} from './request-ids';
