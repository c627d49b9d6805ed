import { assertReachable, ProfileError } from './index';

/**
 * Production refuses to start when a server is unreachable. Kafka and MongoDB are the real
 * servers of the integration run; no EventStoreDB runs here, so an unused loopback port stands in
 * for an unreachable one and must be the only one named.
 */
const real = process.env.KAFKA_BROKERS && process.env.MONGODB_URL;
if (!real) process.stdout.write('libs/profile/src/profile.int-spec.ts skipped: no real Kafka/MongoDB\n');
(real ? describe : describe.skip)('assertReachable (production profile)', () => {
  it('names exactly the unreachable server', async () => {
    const profile = {
      kind: 'production' as const,
      eventStoreConnectionString: 'esdb://127.0.0.1:9?tls=false',
      kafkaBrokers: process.env.KAFKA_BROKERS!.split(','),
      mongodbUrl: process.env.MONGODB_URL!,
    };
    const error = await assertReachable(profile, 4_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProfileError);
    const problems = (error as ProfileError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^EventStoreDB at esdb:\/\/127\.0\.0\.1:9/);
  }, 30_000);

  it('names Kafka and MongoDB when they are down', async () => {
    const error = await assertReachable(
      {
        kind: 'production',
        eventStoreConnectionString: 'esdb://127.0.0.1:9?tls=false',
        kafkaBrokers: ['127.0.0.1:9'],
        mongodbUrl: 'mongodb://127.0.0.1:9/registry',
      },
      3_000,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ProfileError).problems.map((p) => p.split(' ')[0])).toEqual([
      'EventStoreDB',
      'Kafka',
      'MongoDB',
    ]);
  }, 30_000);
});
