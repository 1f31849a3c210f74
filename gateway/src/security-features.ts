/**
 * The authorization directives (`@authenticated`, `@requiresScopes`, `@policy`) are enforced by
 * each subgraph (the kit reads them from its own SDL), where the records are. The JavaScript
 * gateway refuses any supergraph whose `@link` marks a feature `for: SECURITY` it does not
 * implement, so the gateway loads the supergraph with that purpose removed: the directives stay
 * in the document, the gateway treats them as metadata, and the committed supergraph keeps
 * saying what each field requires (for other gateways and for readers).
 */
const SECURITY_LINK =
  /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v[\d.]+")\s*,\s*for:\s*SECURITY\s*\)/g;

export function withoutSecurityPurpose(supergraphSdl: string): string {
  return supergraphSdl.replace(SECURITY_LINK, '$1)');
}
