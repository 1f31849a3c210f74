// Database commands through the driver's command monitoring: a duration per command and
// collection, and a span under the request that sent it when traces are recorded. It runs for
// every command, so it does the least it can: two map operations and one histogram observation
// (label children cached, no string built), and a span only when one is recorded.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import type { Histogram } from 'prom-client';
import type { ServiceTelemetry } from './service';

/** The driver's own conversation (handshakes, heartbeats, sessions), not the service's work. */
const IGNORED = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'saslStart',
  'saslContinue',
  'endSessions',
  'buildInfo',
]);

interface Started {
  command: string;
  collection: string;
  span: Span | undefined;
}

/**
 * Watches the commands `client` sends; the client must have been opened with
 * `monitorCommands: true`. Returns the function that stops watching.
 */
export function watchDatabaseCommands(client: MongoClient, telemetry: ServiceTelemetry): () => void {
  const { dbCommandDuration, dbCommandFailures } = telemetry.metrics;
  const { tracer, recording } = telemetry.tracing;
  const started = new Map<number, Started>();
  const children = new Map<string, Map<string, Histogram.Internal<'command' | 'collection'>>>();
  const durationOf = (command: string, collection: string) => {
    let byCollection = children.get(command);
    if (!byCollection) children.set(command, (byCollection = new Map()));
    let child = byCollection.get(collection);
    if (!child) byCollection.set(collection, (child = dbCommandDuration.labels(command, collection)));
    return child;
  };

  const onStarted = (event: CommandStartedEvent) => {
    if (IGNORED.has(event.commandName)) return;
    const target: unknown = event.command[event.commandName];
    const collection =
      typeof target === 'string'
        ? target
        : typeof event.command.collection === 'string'
          ? (event.command.collection as string) // getMore names its collection apart
          : '';
    let span: Span | undefined;
    if (recording) {
      const active = context.active();
      if (trace.getSpan(active)?.isRecording()) {
        span = tracer.startSpan(
          collection ? `${event.commandName} ${collection}` : event.commandName,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'db.system.name': 'mongodb',
              'db.namespace': event.databaseName,
              'db.operation.name': event.commandName,
              ...(collection && { 'db.collection.name': collection }),
            },
          },
          active,
        );
      }
    }
    started.set(event.requestId, { command: event.commandName, collection, span });
  };
  const onSucceeded = (event: CommandSucceededEvent) => {
    const command = started.get(event.requestId);
    if (!command) return;
    started.delete(event.requestId);
    durationOf(command.command, command.collection).observe(event.duration / 1000);
    command.span?.end();
  };
  const onFailed = (event: CommandFailedEvent) => {
    const command = started.get(event.requestId);
    if (!command) return;
    started.delete(event.requestId);
    durationOf(command.command, command.collection).observe(event.duration / 1000);
    dbCommandFailures.inc({ command: command.command, collection: command.collection });
    if (command.span) {
      command.span.setStatus({ code: SpanStatusCode.ERROR, message: event.failure.message });
      command.span.end();
    }
  };
  client.on('commandStarted', onStarted);
  client.on('commandSucceeded', onSucceeded);
  client.on('commandFailed', onFailed);
  return () => {
    client.off('commandStarted', onStarted);
    client.off('commandSucceeded', onSucceeded);
    client.off('commandFailed', onFailed);
    for (const command of started.values()) command.span?.end();
    started.clear();
  };
}
