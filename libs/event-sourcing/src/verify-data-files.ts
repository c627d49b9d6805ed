import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RecordedEvent } from './envelope';
import { verifyStore, type VerifyResult } from './hash-chain';
import { SqliteEventStore, dataDirectory } from './sqlite-event-store';
import type { UpcasterChain } from './upcasting';

/** How a service reads its stored events: its upcaster chain, and the contracts they must then meet. */
export interface EventReading {
  readonly upcasters: UpcasterChain;
  /** Why an event, read at its current version, breaks its contract; undefined when it meets it. */
  readonly problemOf: (event: RecordedEvent) => string | undefined;
}

/** The first stored event that does not read as its contract says, after an intact chain. */
export interface ContractCheck {
  readonly checkedEvents: number;
  readonly firstInvalid?: {
    readonly streamId: string;
    readonly streamRevision: number;
    readonly eventId: string;
    readonly globalPosition: number;
    readonly type: string;
    readonly storedVersion: number;
    readonly problem: string;
  };
}

export interface DataFileVerification {
  readonly service: string;
  readonly file: string;
  /** Absent when the file could not be read at all; see `error`. */
  readonly result?: VerifyResult;
  /** With a reading for the service and an intact chain: the events checked against their contracts. */
  readonly contract?: ContractCheck;
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
  /** How each service reads its events; a service without one has its chains checked only. */
  readonly readingOf?: (service: string) => EventReading | undefined;
}

/**
 * The files to check: the one asked for, or every `*.sqlite` in the data directory but the read
 * models' `*.read.sqlite` (documents the logs rebuild, with no chain of their own).
 */
export function dataFilesToVerify(options: VerifyDataFilesOptions): { service: string; file: string }[] {
  if (options.file) return [{ service: basename(options.file).replace(/\.sqlite$/, ''), file: options.file }];
  const dir = options.dataDir ?? dataDirectory();
  if (options.service) return [{ service: options.service, file: join(dir, `${options.service}.sqlite`) }];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sqlite') && !name.endsWith('.read.sqlite'))
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
      // The chain is over the bytes as stored; the contracts are over the events as read today.
      const result = await verifyStore(store, { onProgress: (n) => options.onProgress?.(file, n) });
      const reading = options.readingOf?.(service);
      const contract = result.ok && reading ? await checkContracts(store, reading) : undefined;
      results.push({ service, file, result, ...(contract ? { contract } : {}) });
    } catch (error) {
      results.push({ service, file, error: error instanceof Error ? error.message : String(error) });
    } finally {
      await store?.close();
    }
  }
  return results;
}

/** Reads the whole log as the service does (upcast) and stops at the first event its contract refuses. */
async function checkContracts(store: SqliteEventStore, reading: EventReading): Promise<ContractCheck> {
  let after: number | undefined;
  let checkedEvents = 0;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 1000 });
    for (const stored of batch) {
      checkedEvents++;
      let problem: string | undefined;
      try {
        problem = reading.problemOf(reading.upcasters.upcast(stored));
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      if (problem !== undefined) {
        const { streamId, streamRevision, eventId, globalPosition, type, schemaVersion } = stored;
        return {
          checkedEvents,
          firstInvalid: {
            streamId,
            streamRevision,
            eventId,
            globalPosition,
            type,
            storedVersion: schemaVersion,
            problem,
          },
        };
      }
      after = stored.globalPosition;
    }
    if (batch.length < 1000) return { checkedEvents };
  }
}

/** One line per file; a broken chain names the first broken event completely. */
export function formatDataFileVerification(v: DataFileVerification): string {
  if (v.error !== undefined) return `${v.service}: ERROR ${v.file}: ${v.error}`;
  const r = v.result as VerifyResult;
  const invalid = v.contract?.firstInvalid;
  if (r.ok && invalid)
    return (
      `${v.service}: INVALID (${v.file}) at stream ${invalid.streamId} revision ${invalid.streamRevision}, ` +
      `event id ${invalid.eventId}, global position ${invalid.globalPosition}, type ${invalid.type} ` +
      `stored at version ${invalid.storedVersion}: ${invalid.problem}`
    );
  if (r.ok) return `${v.service}: ok, ${r.checkedEvents} events in ${r.checkedStreams} streams (${v.file})`;
  const b = r.firstBroken;
  return (
    `${v.service}: BROKEN (${v.file}) at stream ${b?.streamId} revision ${b?.streamRevision}, ` +
    `event id ${b?.eventId}, global position ${b?.globalPosition}, type ${b?.type}: ${b?.reason} (${b?.detail})`
  );
}
