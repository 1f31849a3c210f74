/**
 * An organisation as this subgraph knows it: only its key, since the hub's partners subgraph holds
 * the record and the gateway fetches the rest from there. Not stored; exported so that codegen maps
 * the SDL's type to it and resolvers may return plain key references.
 */
export class Organisation {
  id!: string;
}
