import { MikroORM, type EntitySchema } from '@mikro-orm/mongodb';
import { AuditEntrySchema } from './audit/audit-entry';
import { HubRecordSchema } from './record';

export interface DatabaseOptions {
  mongoUri: string;
  databaseName: string;
  entities: EntitySchema<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * The driver's command monitoring, for tests and the bench that count database round trips
   * (testing/commands.ts). Off otherwise: with it on, the driver decodes every reply a second
   * time, whole, for the event, which cost a subgraph about a tenth of its CPU per request.
   */
  monitorCommands?: boolean;
}

/**
 * Opens the subgraph's own database. Multi-document transactions stay off: FerretDB and a
 * standalone MongoDB have none, so every write is designed to change one document.
 * Indexes declared on the entities are created at start, so every list filter is indexed.
 */
export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: options.mongoUri,
    dbName: options.databaseName,
    // The abstract base of every record must be known to the ORM for entities to extend it; every
    // subgraph keeps its audit trail.
    entities: [HubRecordSchema, AuditEntrySchema, ...options.entities],
    implicitTransactions: false,
    ensureIndexes: true,
    allowGlobalContext: false,
    driverOptions: { monitorCommands: options.monitorCommands ?? false },
    discovery: { warnWhenNoEntities: false },
  });
  return orm;
}

export async function pingDatabase(orm: MikroORM): Promise<void> {
  await orm.em.getConnection().getDb().command({ ping: 1 });
}
