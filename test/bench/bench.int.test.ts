// Smoke test for `npm run bench`: the whole bench with tiny durations and few connections, so
// that it keeps working; the numbers themselves mean nothing here.
import { runBench, type BenchResults } from '../../bench/harness';
import { formatTable } from '../../bench/run';

jest.setTimeout(120_000);

describe('npm run bench (smoke)', () => {
  let results: BenchResults;

  beforeAll(async () => {
    results = await runBench({
      scale: 1,
      duration: 1,
      w2Duration: 1,
      warmup: 1,
      rounds: 1,
      connections: 2,
      dbRequests: 1,
      dbScales: [1, 2],
      ceilingDuration: 1,
      log: () => {},
    });
  });

  it('checks that both gateways answer identically', () => {
    expect(results.identicalResponses).toEqual({ W1: true, W2: true });
  });

  it('measures every workload and target with positive req/s and no errors', () => {
    const { W1, W2, W3 } = results.workloads;
    for (const target of [W1.hub, W1.hive, W2.hub, W2.hive, W2.direct, W3.hub, W3.hive]) {
      expect(target.requestsPerSecond).toBeGreaterThan(0);
      expect(target.errors).toBe(0);
      expect(target.p95).toBeGreaterThan(0);
    }
    expect(W3.rate).toBeGreaterThan(0);
    expect(results.ceiling.requestsPerSecond).toBeGreaterThan(0);
  });

  it('reports ratios, database commands per request at each scale, and peak RSS', () => {
    expect(results.ratios.W1RequestsHubOverHive).toBeGreaterThan(0);
    expect(results.ratios.W2GatewayTaxHub).toBeGreaterThan(0);
    expect(Object.keys(results.dbCommandsPerRequest.byScale)).toEqual(['1', '2']);
    for (const counts of Object.values(results.dbCommandsPerRequest.byScale)) {
      expect(counts.W1).toBeGreaterThan(0);
      expect(counts.W2).toBeGreaterThan(0);
    }
    if (process.platform === 'linux') {
      expect(results.workloads.W1.hub.peakRssMb).toBeGreaterThan(0);
      // A cross-subgraph request costs the gateway and its four subgraphs some CPU time each.
      for (const target of [results.workloads.W1.hub, results.workloads.W1.hive]) {
        expect(target.cpuMsPerRequest).toBeGreaterThan(0);
        expect(target.backendCpuMsPerRequest).toBeGreaterThan(0);
      }
    }
    expect(formatTable(results)).toContain('W1 cross-subgraph');
  });
});
