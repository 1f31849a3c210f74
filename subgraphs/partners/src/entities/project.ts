/**
 * A Project as this subgraph knows it: only its key, since the projects subgraph owns the record.
 * Not stored; exported so that codegen maps the SDL's Project to it and resolvers may return
 * plain `{ id }` references.
 */
export class Project {
  id!: string;
}
