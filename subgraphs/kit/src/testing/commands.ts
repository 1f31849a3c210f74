import type { CommandStartedEvent } from 'mongodb';
import type { MikroORM } from '@mikro-orm/mongodb';

/**
 * Handshakes, heartbeats and cursor clean-up are the driver's own; only the commands a request
 * causes count.
 */
const CURSOR_FOLLOW_UPS = ['getMore', 'killCursors'];

const IGNORED = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
  'buildInfo',
]);

export interface CommandCounter {
  /**
   * Commands seen since the last reset, not counting `getMore` and `killCursors`: they fetch the
   * next batch (101 documents by default) of a query already counted, or close its cursor, so
   * they measure result size, not round trips caused by resolvers asking one by one.
   */
  count(): number;
  /** Every command with its collection, `getMore` included, in order, for a readable failure message. */
  names(): string[];
  reset(): void;
  stop(): void;
}

/**
 * Counts the database commands a subgraph sends, through the driver's command monitoring, which
 * is off unless the database was opened with `monitorCommands: true` (startTestSubgraph does):
 * without it nothing would be seen, and a count of zero would pass for a fact.
 */
export function countCommands(orm: MikroORM): CommandCounter {
  const client = orm.em.getConnection().getClient();
  if (!client.options.monitorCommands) {
    throw new Error('countCommands needs a database opened with monitorCommands: true (see openDatabase)');
  }
  let seen: string[] = [];
  const listener = (event: CommandStartedEvent) => {
    if (!IGNORED.has(event.commandName))
      seen.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  };
  client.on('commandStarted', listener);
  return {
    count: () => seen.filter((name) => !CURSOR_FOLLOW_UPS.some((c) => name.startsWith(`${c} `))).length,
    names: () => [...seen],
    reset: () => {
      seen = [];
    },
    stop: () => client.off('commandStarted', listener),
  };
}
