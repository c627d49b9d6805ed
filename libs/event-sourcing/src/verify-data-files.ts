import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { verifyStore, type VerifyResult } from './hash-chain';
import { SqliteEventStore, dataDirectory } from './sqlite-event-store';

export interface DataFileVerification {
  readonly service: string;
  readonly file: string;
  /** Absent when the file could not be read at all; see `error`. */
  readonly result?: VerifyResult;
  readonly error?: string;
}

export interface VerifyDataFilesOptions {
  /** One service's file under the data directory. */
  readonly service?: string;
  /** An explicit database file (wins over `service`). */
  readonly file?: string;
  /** Default: REGISTRY_DATA_DIR, else ./data. */
  readonly dataDir?: string;
  readonly onProgress?: (file: string, checkedEvents: number) => void;
}

/** The files to check: the one asked for, or every `*.sqlite` in the data directory. */
export function dataFilesToVerify(options: VerifyDataFilesOptions): { service: string; file: string }[] {
  if (options.file) return [{ service: basename(options.file).replace(/\.sqlite$/, ''), file: options.file }];
  const dir = options.dataDir ?? dataDirectory();
  if (options.service) return [{ service: options.service, file: join(dir, `${options.service}.sqlite`) }];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sqlite'))
    .sort()
    .map((name) => ({ service: name.replace(/\.sqlite$/, ''), file: join(dir, name) }));
}

/**
 * Verifies the hash chains of the embedded databases. Files are opened read-only, so a running
 * service can keep writing; SQLite may still create the -wal/-shm companions WAL readers need.
 */
export async function verifyDataFiles(options: VerifyDataFilesOptions = {}): Promise<DataFileVerification[]> {
  const results: DataFileVerification[] = [];
  for (const { service, file } of dataFilesToVerify(options)) {
    if (!existsSync(file)) {
      results.push({ service, file, error: 'no such file' });
      continue;
    }
    let store: SqliteEventStore | undefined;
    try {
      store = await SqliteEventStore.open({ file, readOnly: true });
      const result = await verifyStore(store, { onProgress: (n) => options.onProgress?.(file, n) });
      results.push({ service, file, result });
    } catch (error) {
      results.push({ service, file, error: error instanceof Error ? error.message : String(error) });
    } finally {
      await store?.close();
    }
  }
  return results;
}

/** One line per file; a broken chain names the first broken event completely. */
export function formatDataFileVerification(v: DataFileVerification): string {
  if (v.error !== undefined) return `${v.service}: ERROR ${v.file}: ${v.error}`;
  const r = v.result as VerifyResult;
  if (r.ok) return `${v.service}: ok, ${r.checkedEvents} events in ${r.checkedStreams} streams (${v.file})`;
  const b = r.firstBroken;
  return (
    `${v.service}: BROKEN (${v.file}) at stream ${b?.streamId} revision ${b?.streamRevision}, ` +
    `event id ${b?.eventId}, global position ${b?.globalPosition}, type ${b?.type}: ${b?.reason} (${b?.detail})`
  );
}
