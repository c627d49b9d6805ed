import { ProfileError, profileFromEnv } from './index';

describe('profileFromEnv', () => {
  it('defaults to the embedded profile on ./data', () => {
    expect(profileFromEnv({})).toEqual({ kind: 'embedded', dataDir: './data' });
    expect(profileFromEnv({ REGISTRY_DATA_DIR: '/srv/registry' })).toEqual({
      kind: 'embedded',
      dataDir: '/srv/registry',
    });
  });

  it('reads the production servers', () => {
    expect(
      profileFromEnv({
        REGISTRY_PROFILE: 'production',
        EVENTSTORE_CONNECTION_STRING: 'esdb://es:2113?tls=false',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
        MONGODB_URL: 'mongodb://m:27017/registry',
        REGISTRY_JWT_SECRET: 's',
      }),
    ).toEqual({
      kind: 'production',
      eventStoreConnectionString: 'esdb://es:2113?tls=false',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      mongodbUrl: 'mongodb://m:27017/registry',
    });
  });

  it('refuses production with every missing setting named', () => {
    const read = () => profileFromEnv({ REGISTRY_PROFILE: 'production', KAFKA_BROKERS: 'k:9092' });
    expect(read).toThrow(ProfileError);
    try {
      read();
    } catch (error) {
      const problems = (error as ProfileError).problems.join('\n');
      expect(problems).toMatch(/EVENTSTORE_CONNECTION_STRING/);
      expect(problems).toMatch(/MONGODB_URL/);
      expect(problems).toMatch(/REGISTRY_JWT_SECRET/);
      expect(problems).not.toMatch(/KAFKA_BROKERS/);
    }
  });

  it('refuses an unknown profile', () => {
    expect(() => profileFromEnv({ REGISTRY_PROFILE: 'staging' })).toThrow(
      /neither "embedded" nor "production"/,
    );
  });
});
