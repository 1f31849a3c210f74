// Where the registry keeps its supergraphs: one MongoDB database (default `clusterpolisee_registry`)
// read by the CLI and by every gateway replica. Each version is one document whose `_id` is
// `supergraph#<n>`: FerretDB 1.24 applies filtered updates as a read then a write, so the one
// exclusivity every engine gives, a refused second insert of an `_id`, decides which of two
// simultaneous publishes becomes version n (see subgraphs/kit/src/version-claims.ts). A version
// holds everything the gateway needs (the composed supergraph) and everything the next publish
// composes from (the registered subgraphs), so no write ever has to change two documents together.
import { MongoClient, type Collection, type Db } from 'mongodb';
import { isDuplicateKey } from '../../subgraphs/kit/src/database-answers';

export const REGISTRY_DATABASE = 'clusterpolisee_registry';
export const VERSIONS_COLLECTION = 'supergraph_versions';
export const AUDIT_COLLECTION = 'audit_log';

/** A partner's subgraph as registered: composed from this SDL, called at this URL. */
export interface RegisteredSubgraph {
  name: string;
  url: string;
  sdl: string;
}

export type RegistryAction = 'PUBLISH' | 'ROLLBACK' | 'REMOVE';

export interface SupergraphVersion {
  _id: string;
  version: number;
  /** The composed supergraph the gateways serve from this version on. */
  supergraphSdl: string;
  /** Every registered subgraph at this version (the hub's own come from schema/supergraph.yaml). */
  subgraphs: RegisteredSubgraph[];
  action: RegistryAction;
  /** The subgraph published or removed; null for a rollback. */
  subgraph: string | null;
  /** For a rollback: the version whose subgraphs this one restores. */
  restoredVersion?: number;
  author: string;
  at: Date;
}

/** The kit's audit entry shape (subgraphs/kit/src/audit/audit-entry.ts), with the registry's actions. */
export interface RegistryAuditEntry {
  _id: string;
  at: Date;
  subgraph: 'registry';
  actor: string;
  actorRole: string;
  actorOrganisationId: string | null;
  requestId: string | null;
  action: RegistryAction;
  recordType: 'Supergraph';
  recordId: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

/** Who changes the registry: the CLI's user or the gateway's verified caller. */
export interface RegistryActor {
  subject: string;
  role: string;
  organisationId?: string | null;
  requestId?: string | null;
}

export function versionId(version: number): string {
  return `supergraph#${version}`;
}

export class RegistryStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly ownsClient: boolean,
    private readonly db: Db,
  ) {}

  /** Connects on first use, so a gateway starts while the database is away. */
  static open(options: { mongoUri: string; database?: string } | { client: MongoClient; database?: string }) {
    const owns = 'mongoUri' in options;
    const client =
      'mongoUri' in options
        ? new MongoClient(options.mongoUri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 })
        : options.client;
    return new RegistryStore(client, owns, client.db(options.database ?? REGISTRY_DATABASE));
  }

  private get versions(): Collection<SupergraphVersion> {
    return this.db.collection<SupergraphVersion>(VERSIONS_COLLECTION);
  }

  private get audit(): Collection<RegistryAuditEntry> {
    return this.db.collection<RegistryAuditEntry>(AUDIT_COLLECTION);
  }

  /** The newest version, or null when nothing was ever published (the committed supergraph applies). */
  async latest(): Promise<SupergraphVersion | null> {
    const [newest] = await this.versions.find({}).sort({ version: -1 }).limit(1).toArray();
    return newest ?? null;
  }

  /** Only the newest version number: what every gateway polls, without the large SDL. */
  async latestVersion(): Promise<number> {
    const [newest] = await this.versions
      .find({}, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    return newest?.version ?? 0;
  }

  async get(version: number): Promise<SupergraphVersion | null> {
    return this.versions.findOne({ _id: versionId(version) });
  }

  /** Every version, oldest first. */
  async all(): Promise<SupergraphVersion[]> {
    return this.versions.find({}).sort({ version: 1 }).toArray();
  }

  /**
   * Stores `version` unless another writer stored that number first: true when this one won.
   * The audit entry follows the version; its `_id` is the version's, so a retried entry cannot
   * be recorded twice.
   */
  async insert(
    version: SupergraphVersion,
    actor: RegistryActor,
    before: SupergraphVersion | null,
  ): Promise<boolean> {
    try {
      await this.versions.insertOne(version);
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    const entry: RegistryAuditEntry = {
      _id: `registry:${version._id}`,
      at: version.at,
      subgraph: 'registry',
      actor: actor.subject,
      actorRole: actor.role,
      actorOrganisationId: actor.organisationId ?? null,
      requestId: actor.requestId ?? null,
      action: version.action,
      recordType: 'Supergraph',
      recordId: version._id,
      changes: [
        {
          field: 'subgraphs',
          before: before ? JSON.stringify(before.subgraphs.map(({ name, url }) => ({ name, url }))) : null,
          after: JSON.stringify(version.subgraphs.map(({ name, url }) => ({ name, url }))),
        },
      ],
    };
    await this.audit.insertOne(entry);
    return true;
  }

  /** The registry's database, for the usage records (usage.ts) that live beside the versions. */
  database(): Db {
    return this.db;
  }

  async auditTrail(): Promise<RegistryAuditEntry[]> {
    return this.audit.find({}).sort({ at: 1 }).toArray();
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
