import { startServers, type RunningServers } from './servers';

/**
 * Jest global setup of the integration tier: real Kafka and FerretDB for the whole run (one
 * shared server per test run; tests use unique topics and collections). Nothing is started when
 * KAFKA_BROKERS and MONGODB_URL already point at running servers. In CI a server that cannot
 * start fails the run; elsewhere the real-server tests are skipped with a loud message, so a
 * laptop without java or go can still run the rest.
 */
declare global {
  var __registryServers: RunningServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URL) {
    process.env.REGISTRY_REAL_SERVERS = '1';
    return;
  }
  const started = Date.now();
  try {
    const servers = await startServers({ log: (line) => process.stderr.write(`[servers] ${line}\n`) });
    globalThis.__registryServers = servers;
    // Test workers inherit this environment.
    process.env.KAFKA_BROKERS = servers.kafkaBrokers;
    process.env.MONGODB_URL = servers.mongodbUrl;
    process.env.REGISTRY_REAL_SERVERS = '1';
    process.stderr.write(
      `\nreal servers up in ${Math.round((Date.now() - started) / 1000)} s: KAFKA_BROKERS=${servers.kafkaBrokers} MONGODB_URL=${servers.mongodbUrl}\n`,
    );
  } catch (error) {
    if (process.env.CI) throw error;
    process.stderr.write(
      `\nREAL SERVERS UNAVAILABLE, their tests are skipped (in CI this fails the run): ${String(error)}\n`,
    );
  }
}
