export {
  startTestSubgraph,
  uniqueDatabaseName,
  asIdentity,
  testIdentityKey,
  TEST_ADMIN,
  type TestSubgraph,
  type TestSubgraphOptions,
  type TestQueryOptions,
  type TestCaller,
} from './subgraph';
export { FORGED_IDENTITIES } from './forgeries';
export { countCommands, type CommandCounter } from './commands';
export { postGraphQL, type GraphQLResponse } from './graphql-client';
export { answeredFields } from './answered';
export { raceOutcome, type RaceOutcome } from './race';
