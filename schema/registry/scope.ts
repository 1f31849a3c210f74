// The registry's own permission. Not one of the kit's role scopes (roles.ts): it is granted per
// token and bound to one subgraph by the token's `subgraph` claim, since a partner may publish
// only its own subgraph while its role is the same as every other partner's.
export const PUBLISH_SCHEMA_SCOPE = 'publish:schema';
