// `@clusterpolisee/gateway/auth`: how the gateway checks callers' tokens, and an issuer of such
// tokens for development and tests.
export {
  createTokenVerifier,
  TOKEN_ALGORITHMS,
  TOKEN_ROLES,
  type TokenVerifier,
  type TokenVerifierSettings,
} from './tokens';
export {
  checkTokenLifetime,
  checkTokenRequest,
  createTokenIssuer,
  generateTokenKeyPem,
  mintToken,
  tokenIssuerFromKey,
  tokenSigningKey,
  type MintOptions,
  type TokenAlgorithm,
  type TokenIssuer,
  type TokenSigningKey,
} from './issuer';
