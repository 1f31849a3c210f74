export { startTestSubgraph, uniqueDatabaseName, type TestSubgraph } from './subgraph';
export { countCommands, type CommandCounter } from './commands';
export { postGraphQL, type GraphQLResponse } from './graphql-client';
