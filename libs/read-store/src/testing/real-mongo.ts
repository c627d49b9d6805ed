import { randomUUID } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { MongooseReadStore } from '../mongoose-read-store';

/**
 * The MongoDB-compatible server of the integration tests: the one MONGODB_URL names. The
 * integration tier's jest global setup starts FerretDB and sets it (test/servers); a lib takes the
 * address and never starts a server itself. Without it the suites are skipped, and say so.
 */
export const realMongoEnabled = (): boolean => Boolean(process.env.MONGODB_URL);

export function announceSkip(file: string): void {
  process.stdout.write(
    `${file} skipped: no MONGODB_URL (set by the integration tier's global setup when FerretDB starts, or by you for a running server)\n`,
  );
}

export interface RealMongo {
  url: string;
  /** A fresh database of its own, dropped by stop(). */
  connect(): Promise<MongooseReadStore>;
  stop(): Promise<void>;
}

/** A database of its own on the server at `url` (MONGODB_URL by default); stop() drops it. */
export async function startRealMongo(url = process.env.MONGODB_URL): Promise<RealMongo> {
  if (!url) throw new Error('MONGODB_URL is not set: run through the integration tier (npm run test:int)');
  const dbName = `readstore_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const opened: MongooseReadStore[] = [];
  return {
    url,
    async connect() {
      const store = await MongooseReadStore.connect(url, { dbName });
      opened.push(store);
      return store;
    },
    async stop() {
      try {
        const admin = await MongooseReadStore.connect(url, { dbName });
        await admin.dropDatabase();
        await admin.close();
      } finally {
        for (const s of opened) await s.close().catch(() => undefined);
      }
    },
  };
}

/**
 * describe() on the real server of MONGODB_URL, a database of its own made before the suite's tests
 * and dropped after; without one the suite (`file`, its __filename) is skipped, and says so. `mongo()`
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
