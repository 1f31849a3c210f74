// The gateway's query-plan cache, counted: a miss costs a planning of the operation (milliseconds
// to tens of them for a federated query), so a low hit rate says the cache is too small
// (GATEWAY_QUERY_PLAN_CACHE_MIB) or that callers send ever new operations.
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { ServiceTelemetry } from '@clusterpolisee/kit/telemetry';

/**
 * The cache `@apollo/gateway` would make for itself (`maxMiB` of plans, sized by their JSON), but
 * counting its look-ups in `hub_query_plan_cache_total`. Give it as `queryPlannerConfig.cache`.
 */
export function countedQueryPlanCache<T extends object>(
  telemetry: ServiceTelemetry,
  maxMiB: number,
): InMemoryLRUCache<T> {
  const hit = telemetry.metrics.queryPlanCache.labels('hit');
  const miss = telemetry.metrics.queryPlanCache.labels('miss');
  return new (class extends InMemoryLRUCache<T> {
    override async get(key: string): Promise<T | undefined> {
      const plan = await super.get(key);
      (plan === undefined ? miss : hit).inc();
      return plan;
    }
  })({
    maxSize: maxMiB * 2 ** 20,
    sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
  });
}
