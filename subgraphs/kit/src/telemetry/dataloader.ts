// DataLoader batch sizes: how many keys each batch (one database query) carried. Loaders are made
// from a request's EntityManager alone, so the service's metrics are found from its driver, which
// every fork of the service's ORM shares.
import type { EntityManager } from '@mikro-orm/mongodb';
import type { Histogram } from 'prom-client';
import type { ServiceTelemetry } from './service';

const byDriver = new WeakMap<object, Histogram<'loader'>>();

/** Lets the loaders of `em` (and of its forks) count their batches in `telemetry`. */
export function measureLoaderBatches(em: EntityManager, telemetry: ServiceTelemetry): void {
  byDriver.set(em.getDriver(), telemetry.metrics.dataloaderBatchSize);
}

/** Records one batch of `size` keys of the loader named `loader`; nothing when no telemetry is bound. */
export function observeLoaderBatch(em: EntityManager, loader: string, size: number): void {
  byDriver.get(em.getDriver())?.observe({ loader }, size);
}
