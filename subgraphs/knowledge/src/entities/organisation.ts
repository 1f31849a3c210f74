/**
 * An Organisation as this subgraph knows it: only its key, since the partners subgraph owns the
 * record and the gateway fetches the rest from there. Not stored; exported so that codegen maps
 * the SDL's Organisation to it and resolvers may return plain `{ id }` references.
 */
export class Organisation {
  id!: string;
}
