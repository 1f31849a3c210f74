import { identityFor, ANONYMOUS } from '@clusterpolisee/kit/auth';
import { GraphQLError } from 'graphql';
import { MongoClient } from 'mongodb';
import { createRateLimiter } from './rate-limit';

// The store path is covered against the real database in security.int.test.ts; here MongoDB is away.
describe('the rate limiter without its store', () => {
  it('keeps limiting on this replica alone, and says so once', async () => {
    // Port 9 (discard) on loopback: nothing answers there.
    const mongo = new MongoClient('mongodb://127.0.0.1:9', {
      serverSelectionTimeoutMS: 200,
      connectTimeoutMS: 200,
    });
    const logger = { info: jest.fn(), warn: jest.fn() };
    const limiter = createRateLimiter({
      mongo,
      database: 'unused',
      points: 2,
      anonymousPoints: 1,
      windowSeconds: 60,
      storeTimeoutMs: 100,
      logger,
    });
    try {
      const caller = identityFor('someone', 'analyst');
      await limiter.consume(caller, '127.0.0.1', 1);
      await limiter.consume(caller, '127.0.0.1', 1);
      const refused = await limiter.consume(caller, '127.0.0.1', 1).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphQLError);
      expect((refused as GraphQLError).extensions).toMatchObject({ code: 'RATE_LIMITED' });

      await limiter.consume(ANONYMOUS, '::ffff:10.0.0.1', 1);
      // The same client over IPv4 and IPv4-mapped IPv6 is one client.
      await expect(limiter.consume(ANONYMOUS, '10.0.0.1', 1)).rejects.toThrow(
        /1 operations per 60 s for each anonymous client address/,
      );
      const storeWarnings = logger.warn.mock.calls.filter(([message]) =>
        /the store failed/.test(String(message)),
      );
      expect(storeWarnings).toHaveLength(1);
    } finally {
      limiter.close();
      await mongo.close();
    }
  });
});
