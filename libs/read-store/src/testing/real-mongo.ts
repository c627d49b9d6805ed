import { randomUUID } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { startServers } from '../../../../test/servers/servers';
import { MongooseReadStore } from '../mongoose-read-store';

/**
 * The MongoDB-compatible server of the integration tests: MONGODB_URL when given, else FerretDB
 * started through test/servers (REGISTRY_REAL_SERVERS=1). Without either the suites are skipped,
 * and say so.
 */
export const realMongoEnabled = (): boolean =>
  process.env.REGISTRY_REAL_SERVERS === '1' || Boolean(process.env.MONGODB_URL);

export function announceSkip(file: string): void {
  process.stdout.write(
    `${file} skipped: set REGISTRY_REAL_SERVERS=1 (starts FerretDB) or MONGODB_URL to run it against a real server\n`,
  );
}

export interface RealMongo {
  url: string;
  /** A fresh database of its own, dropped by stop(). */
  connect(): Promise<MongooseReadStore>;
  stop(): Promise<void>;
}

export async function startRealMongo(): Promise<RealMongo> {
  const servers = await startServers({ kafka: false, mongodb: true });
  const dbName = `readstore_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const opened: MongooseReadStore[] = [];
  return {
    url: servers.mongodbUrl,
    async connect() {
      const store = await MongooseReadStore.connect(servers.mongodbUrl, { dbName });
      opened.push(store);
      return store;
    },
    async stop() {
      try {
        const admin = await MongooseReadStore.connect(servers.mongodbUrl, { dbName });
        await admin.dropDatabase();
        await admin.close();
      } finally {
        for (const s of opened) await s.close().catch(() => undefined);
        await servers.stop();
      }
    },
  };
}

/**
 * describe() on the real server, started (or taken from MONGODB_URL) before the suite's tests and
 * stopped after; without one the suite (`file`, its __filename) is skipped, and says so. `mongo()`
 * is the server in tests.
 */
export function describeOnRealMongo(
  file: string,
  name: string,
  body: (mongo: () => RealMongo) => void,
): void {
  const enabled = realMongoEnabled();
  if (!enabled) announceSkip(relative(resolve(__dirname, '../../../..'), file));
  (enabled ? describe : describe.skip)(name, () => {
    let mongo: RealMongo | undefined;
    beforeAll(async () => {
      mongo = await startRealMongo();
    }, 600_000);
    afterAll(async () => {
      await mongo?.stop();
    }, 120_000);
    body(() => mongo!);
  });
}
