import { CloudEvent, Kafka } from 'cloudevents';
import { CLOUDEVENTS_SPEC_VERSION, ceSourceOf, ceTypeOf } from '#libs/contracts';
import type { EventMetadata, RecordedEvent } from '#libs/event-sourcing';

/**
 * RecordedEvent <-> Kafka record, CloudEvents 1.0 in Kafka binary mode through the `cloudevents`
 * SDK (libs/contracts/src/catalogue.ts documents the contract subscribers see).
 *
 * - key = stream id (the events of one stream stay in order on one partition);
 * - value = the event's `data` as JSON (`content-type: application/json`);
 * - headers: `ce_id` = event id, `ce_source` = ceSourceOf(service), `ce_type` =
 *   ceTypeOf(type, schemaVersion), `ce_subject` = stream id, `ce_time` = recordedAt,
 *   `ce_specversion` = 1.0, and the envelope's metadata as extension attributes (below).
 *
 * Decoding gives back the whole RecordedEvent, field for field, so a subscriber can recompute the
 * per-stream hash chain (computeEventHash) from what it received.
 */

/**
 * Extension attributes (lower-case a-z0-9, CloudEvents 1.0 §3.1.1) and where each comes from.
 * The first eight are the ones documented in CE_EXTENSIONS of libs/contracts/src/catalogue.ts; the
 * rest carry the remaining envelope fields so that the event round-trips (and its hash can be
 * recomputed by a subscriber).
 */
export const EXTENSION = {
  effectiveAt: 'effectiveat',
  actorSubject: 'actorsubject',
  legalBasis: 'legalbasis',
  /** Comma-separated rule ids. */
  ruleIds: 'ruleids',
  hash: 'hash',
  correlationId: 'correlationid',
  /** Absent when the causation id is null. */
  causationId: 'causationid',
  /** W3C trace context (the CloudEvents distributed-tracing extension). Optional. */
  traceparent: 'traceparent',
  // Not (yet) in the catalogue's CE_EXTENSIONS:
  previousHash: 'previoushash',
  streamRevision: 'streamrevision',
  globalPosition: 'globalposition',
  /** JSON array of the actor's roles (a role may contain a comma). */
  actorRoles: 'actorroles',
  actorDistrictScope: 'actordistrict',
  /** Optional: present when the command carried an Idempotency-Key (it is part of the hash). */
  idempotencyKey: 'idempotencykey',
} as const;

export const CONTENT_TYPE_JSON = 'application/json';

/** Kafka record as kafkajs produces it (string headers). */
export interface EncodedRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  /** Milliseconds since the epoch, as a string (kafkajs): recordedAt. */
  readonly timestamp: string;
}

/** A Kafka record as a consumer gets it from kafkajs (Buffer or string header values). */
export interface IncomingRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export class CloudEventDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CloudEventDecodeError';
  }
}

/** The CloudEvent of a recorded event, published by `service`. */
export function toCloudEvent(event: RecordedEvent, service: string): CloudEvent<unknown> {
  const m = event.metadata;
  const extensions: Record<string, string> = {
    [EXTENSION.effectiveAt]: m.effectiveAt,
    [EXTENSION.actorSubject]: m.actor.subject,
    [EXTENSION.actorRoles]: JSON.stringify(m.actor.roles),
    [EXTENSION.actorDistrictScope]: m.actor.districtScope,
    [EXTENSION.legalBasis]: m.legalBasis,
    [EXTENSION.ruleIds]: m.ruleIds.join(','),
    [EXTENSION.correlationId]: m.correlationId,
    [EXTENSION.hash]: event.hash,
    [EXTENSION.previousHash]: event.previousHash,
    [EXTENSION.streamRevision]: String(event.streamRevision),
    [EXTENSION.globalPosition]: String(event.globalPosition),
  };
  if (m.causationId !== null) extensions[EXTENSION.causationId] = m.causationId;
  if (m.traceparent !== undefined) extensions[EXTENSION.traceparent] = m.traceparent;
  if (m.idempotencyKey !== undefined) extensions[EXTENSION.idempotencyKey] = m.idempotencyKey;
  for (const id of m.ruleIds) {
    if (id.includes(',')) throw new RangeError(`rule id ${JSON.stringify(id)} contains a comma`);
  }
  return new CloudEvent<unknown>({
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: event.eventId,
    source: ceSourceOf(service),
    type: ceTypeOf(event.type, event.schemaVersion),
    subject: event.streamId,
    time: event.recordedAt,
    datacontenttype: CONTENT_TYPE_JSON,
    data: event.data,
    ...extensions,
  });
}

/** The Kafka record (binary mode) of a recorded event published by `service`. */
export function toKafkaRecord(event: RecordedEvent, service: string): EncodedRecord {
  const message = Kafka.binary(toCloudEvent(event, service));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    // The SDK lists unset optional attributes (dataschema, ...) as undefined.
    if (value !== undefined && value !== null) headers[name] = String(value);
  }
  return {
    key: event.streamId,
    value: JSON.stringify(event.data),
    headers,
    timestamp: String(Date.parse(event.recordedAt)),
  };
}

const headerText = (value: Buffer | string | (Buffer | string)[] | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
};

/** kafkajs headers as strings (the SDK expects strings). */
export function headersAsText(headers: IncomingRecord['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) out[name.toLowerCase()] = text;
  }
  return out;
}

/** Splits `<EventType>.v<schemaVersion>` (ceTypeOf) back into its parts. */
export function parseCeType(ceType: string): { type: string; schemaVersion: number } {
  const match = /^(.+)\.v(\d+)$/.exec(ceType);
  if (!match) throw new CloudEventDecodeError(`ce_type ${JSON.stringify(ceType)} is not <type>.v<version>`);
  return { type: match[1], schemaVersion: Number(match[2]) };
}

export interface DecodedEvent {
  readonly event: RecordedEvent;
  /** ce_source: which service published it. */
  readonly source: string;
  readonly cloudEvent: CloudEvent<unknown>;
}

/** Decodes a binary-mode CloudEvents Kafka record back into the recorded event it carries. */
export function fromKafkaRecord(record: IncomingRecord): DecodedEvent {
  const headers = headersAsText(record.headers);
  if (record.value === null) throw new CloudEventDecodeError('record has no value (tombstone)');
  const value = Buffer.isBuffer(record.value) ? record.value.toString('utf8') : record.value;
  const key = record.key === undefined || record.key === null ? '' : record.key.toString();
  let ce: CloudEvent<unknown>;
  try {
    if (!headers['ce_id']) throw new Error('no ce_id header: not a binary-mode CloudEvent');
    if (!(headers['content-type'] ?? '').startsWith(CONTENT_TYPE_JSON)) {
      throw new Error(`content-type ${JSON.stringify(headers['content-type'])} is not ${CONTENT_TYPE_JSON}`);
    }
    const message = { key, value, body: value, headers };
    ce = Kafka.toEvent(message as unknown as Parameters<typeof Kafka.toEvent>[0]) as CloudEvent<unknown>;
    ce.validate();
  } catch (error) {
    if (error instanceof CloudEventDecodeError) throw error;
    throw new CloudEventDecodeError(`not a valid CloudEvent: ${(error as Error).message}`, { cause: error });
  }
  const ext = ce as unknown as Record<string, unknown>;
  const required = (name: string): string => {
    const v = ext[name];
    if (typeof v !== 'string') throw new CloudEventDecodeError(`extension ${name} is missing`);
    return v;
  };
  const optional = (name: string): string | undefined => {
    const v = ext[name];
    return typeof v === 'string' ? v : undefined;
  };
  const integer = (name: string): number => {
    const text = required(name);
    if (!/^\d+$/.test(text)) throw new CloudEventDecodeError(`extension ${name} is not an integer: ${text}`);
    return Number(text);
  };
  let roles: unknown;
  try {
    roles = JSON.parse(required(EXTENSION.actorRoles));
  } catch (error) {
    if (error instanceof CloudEventDecodeError) throw error;
    throw new CloudEventDecodeError(`extension ${EXTENSION.actorRoles} is not JSON`, { cause: error });
  }
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) {
    throw new CloudEventDecodeError(`extension ${EXTENSION.actorRoles} is not an array of strings`);
  }
  const ruleIds = required(EXTENSION.ruleIds);
  const causationId = optional(EXTENSION.causationId);
  const traceparent = optional(EXTENSION.traceparent);
  const idempotencyKey = optional(EXTENSION.idempotencyKey);
  const metadata: EventMetadata = {
    effectiveAt: required(EXTENSION.effectiveAt),
    actor: {
      subject: required(EXTENSION.actorSubject),
      roles: roles as string[],
      districtScope: required(EXTENSION.actorDistrictScope),
    },
    legalBasis: required(EXTENSION.legalBasis),
    ruleIds: ruleIds === '' ? [] : ruleIds.split(','),
    correlationId: required(EXTENSION.correlationId),
    causationId: causationId ?? null,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
  const { type, schemaVersion } = parseCeType(ce.type);
  if (!ce.subject) throw new CloudEventDecodeError('ce_subject (the stream id) is missing');
  const event: RecordedEvent = {
    eventId: ce.id,
    type,
    schemaVersion,
    data: ce.data,
    metadata,
    streamId: ce.subject,
    streamRevision: integer(EXTENSION.streamRevision),
    globalPosition: integer(EXTENSION.globalPosition),
    // The raw header, not the SDK's re-formatted Date: recordedAt is covered by the hash.
    recordedAt: headers['ce_time'] ?? ce.time ?? '',
    previousHash: required(EXTENSION.previousHash),
    hash: required(EXTENSION.hash),
  };
  return { event, source: ce.source, cloudEvent: ce };
}
