import type { CommandStartedEvent } from 'mongodb';
import type { MikroORM } from '@mikro-orm/mongodb';

/** Handshakes and heartbeats are the driver's own; only the commands a request causes count. */
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
   * Commands seen since the last reset, not counting `getMore`: that fetches the next batch
   * (101 documents by default) of a query already counted, so it measures result size, not
   * round trips caused by resolvers asking one by one.
   */
  count(): number;
  /** Every command with its collection, `getMore` included, in order, for a readable failure message. */
  names(): string[];
  reset(): void;
  stop(): void;
}

/** Counts the database commands a subgraph sends, through the driver's command monitoring. */
export function countCommands(orm: MikroORM): CommandCounter {
  const client = orm.em.getConnection().getClient();
  let seen: string[] = [];
  const listener = (event: CommandStartedEvent) => {
    if (!IGNORED.has(event.commandName))
      seen.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  };
  client.on('commandStarted', listener);
  return {
    count: () => seen.filter((name) => !name.startsWith('getMore ')).length,
    names: () => [...seen],
    reset: () => {
      seen = [];
    },
    stop: () => client.off('commandStarted', listener),
  };
}
