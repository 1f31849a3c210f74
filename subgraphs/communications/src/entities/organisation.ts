/**
 * Entities of other subgraphs as this one knows them: only their keys, since their owners hold
 * the records and the gateway fetches the rest from there. Not stored; exported so that codegen
 * maps the SDL's types to them and resolvers may return plain key references.
 */
export class Organisation {
  id!: string;
}

/** Owned by the knowledge subgraph. */
export class WorkingGroup {
  code!: string;
}

/** Owned by the partners subgraph. */
export class Country {
  code!: string;
}
