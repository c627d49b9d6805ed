import { z } from 'zod';
import { ESTABLISHMENT_EVENTS, type EventContract } from './establishment-events';
import { STAFFING_EVENTS } from './staffing-events';
import { FACILITY_EVENTS } from './facility-events';
import { findDistrict, type District } from './districts';

/**
 * The public event catalogue: for every service, every event type it publishes, with its version,
 * description and JSON Schema; and the AsyncAPI 3.0.0 document of the Kafka topics, generated from
 * the same zod schemas.
 *
 * Topic naming: one topic per service, `lanzhou.registry.<service>.events.v1`. The `v1` is the
 * version of the topic's envelope and naming contract, not of any event: event shapes are versioned
 * one by one in `ce_type` (`<EventType>.v<schemaVersion>`). The record key is the stream id, so the
 * events of one stream stay in order on one partition.
 *
 * Every record is a CloudEvents 1.0 event in Kafka binary mode: the value is the event's `data` as
 * JSON (content-type application/json), the attributes are `ce_*` headers.
 */

/** One service that publishes events, and the contracts of those events. */
export interface ServiceContracts {
  readonly service: string;
  readonly title: string;
  /**
   * The streams of one district are `<prefix><district code>` (the record key of their Kafka
   * records); a service's other streams (the city's funding ledger) have other names.
   */
  readonly districtStreamPrefix: string;
  readonly events: Readonly<Record<string, EventContract>>;
}

export const SERVICES: readonly ServiceContracts[] = [
  {
    service: 'community-establishment',
    title: "Establishment of community residents' committees (ORG-1..3, EST-1..9)",
    districtStreamPrefix: 'district-',
    events: ESTABLISHMENT_EVENTS,
  },
  {
    service: 'staffing-elections',
    title: "Elections of residents' committees and the community workforce (ELECT-1..5, STAFF-1..6, ORG-2)",
    districtStreamPrefix: 'district-',
    events: STAFFING_EVENTS,
  },
  {
    service: 'facility-construction',
    title: 'Community facilities, their construction and funding (FAC-1..8, FUND-1..2)',
    districtStreamPrefix: 'facilities-',
    events: FACILITY_EVENTS,
  },
];

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Kafka topic of a service. */
export const topicOf = (service: string): string => `lanzhou.registry.${service}.events.v1`;

/**
 * The district whose stream of `service` an event of that service was published from; undefined
 * for another stream or a district not in the registry.
 */
export function districtOfStream(service: string, streamId: string): District | undefined {
  const prefix = SERVICES.find((s) => s.service === service)?.districtStreamPrefix;
  if (prefix === undefined) throw new RangeError(`no service ${service} in the event catalogue`);
  return streamId.startsWith(prefix) ? findDistrict(streamId.slice(prefix.length)) : undefined;
}

/** CloudEvents `source` of a service's events. */
export const ceSourceOf = (service: string): string => `/lanzhou/registry/${service}`;

/** CloudEvents `type` of an event: its stored type string and schema version. */
export const ceTypeOf = (type: string, schemaVersion: number): string => `${type}.v${schemaVersion}`;

/** The CloudEvents extension attributes (lower-case, as the spec requires) carried from the envelope. */
export const CE_EXTENSIONS = {
  effectiveat: 'metadata.effectiveAt: when the decision took effect in law (ISO 8601 date or instant)',
  actorsubject: 'metadata.actor.subject: who issued the command',
  actorroles: 'metadata.actor.roles, a JSON array: the roles the actor acted in',
  actordistrict: "metadata.actor.districtScope: the district name of the actor's scope, or *",
  legalbasis: 'metadata.legalBasis: document reference of the legal basis',
  ruleids: 'metadata.ruleIds, comma-separated: rule ids applied by the decision',
  hash: "the event's SHA-256 (hex) in its stream's hash chain",
  previoushash: 'the hash of the previous event of the same stream (64 zeros for the first)',
  streamrevision: "the event's 0-based revision in its stream",
  globalposition: "the event's position in the service's global log",
  correlationid: 'metadata.correlationId',
  causationid: 'metadata.causationId; absent when null',
  traceparent: 'metadata.traceparent: W3C trace context (CloudEvents distributed tracing extension)',
  idempotencykey: 'metadata.idempotencyKey of the request, when it had one',
} as const;

const OPTIONAL_EXTENSIONS = new Set<string>(['causationid', 'traceparent', 'idempotencykey']);

export type JsonSchema = Record<string, unknown>;

/** JSON Schema (draft-07, the base of the AsyncAPI schema format) of a zod schema. */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { target: 'draft-07' }) as JsonSchema;

export interface CatalogueEntry {
  readonly name: string;
  /**
   * Unique across the catalogue: the type, or `<service>.<type>` when several services publish a
   * type of that name (both publish ORG-2's PostAssigned, on their own topics): the AsyncAPI
   * message id and the JSON Schema file name.
   */
  readonly id: string;
  readonly version: number;
  readonly ceType: string;
  readonly description: string;
  readonly ruleIds: readonly string[];
  readonly schema: JsonSchema;
}

export interface ServiceCatalogue {
  readonly service: string;
  readonly title: string;
  readonly topic: string;
  readonly events: Readonly<Record<string, CatalogueEntry>>;
}

/** Per service, per event type: name, version, description and JSON Schema of the data. */
export function eventCatalogue(): Record<string, ServiceCatalogue> {
  const types = SERVICES.flatMap((s) => Object.values(s.events).map((e) => e.type));
  const publishedByMany = new Set(types.filter((t, i) => types.indexOf(t) !== i));
  return Object.fromEntries(
    SERVICES.map((s) => [
      s.service,
      {
        service: s.service,
        title: s.title,
        topic: topicOf(s.service),
        events: Object.fromEntries(
          Object.values(s.events).map((e) => [
            e.type,
            {
              name: e.type,
              id: publishedByMany.has(e.type) ? `${s.service}.${e.type}` : e.type,
              version: e.schemaVersion,
              ceType: ceTypeOf(e.type, e.schemaVersion),
              description: e.description,
              ruleIds: e.ruleIds,
              schema: jsonSchemaOf(e.data),
            },
          ]),
        ),
      },
    ]),
  );
}

/** The `ce_*` headers schema of one event type's Kafka records. */
export function cloudEventHeadersSchema(service: string, ceType: string): JsonSchema {
  const str = (description: string, extra: JsonSchema = {}) => ({ type: 'string', description, ...extra });
  const extensions = Object.fromEntries(
    Object.entries(CE_EXTENSIONS).map(([name, description]) => [`ce_${name}`, str(description)]),
  );
  return {
    type: 'object',
    description: 'CloudEvents 1.0 attributes in Kafka binary mode',
    properties: {
      ce_specversion: str('CloudEvents spec version', { const: CLOUDEVENTS_SPEC_VERSION }),
      ce_id: str('The eventId of the envelope; consumers deduplicate by it (delivery is at least once)'),
      ce_source: str('The publishing service', { const: ceSourceOf(service) }),
      ce_type: str('<EventType>.v<schemaVersion>', { const: ceType }),
      ce_subject: str('The stream id, also the record key'),
      ce_time: str('recordedAt: when the store appended the event', { format: 'date-time' }),
      'content-type': str('Content type of the value (the event data)', { const: 'application/json' }),
      ...extensions,
    },
    required: [
      'ce_specversion',
      'ce_id',
      'ce_source',
      'ce_type',
      'ce_subject',
      'ce_time',
      ...Object.keys(CE_EXTENSIONS)
        .filter((n) => !OPTIONAL_EXTENSIONS.has(n))
        .map((n) => `ce_${n}`),
    ],
  };
}

const channelIdOf = (service: string) =>
  `${service.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())}Events`;

/** The AsyncAPI 3.0.0 document of every service topic, from the same schemas as eventCatalogue(). */
export function asyncApiDocument(): Record<string, unknown> {
  const catalogue = eventCatalogue();
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const service of Object.values(catalogue)) {
    const channelId = channelIdOf(service.service);
    const channelMessages: Record<string, unknown> = {};
    for (const e of Object.values(service.events)) {
      if (messages[e.id]) throw new Error(`event ${e.id} is in the catalogue twice`);
      const { $schema: _ignored, ...payload } = e.schema;
      messages[e.id] = {
        name: e.name,
        title: `${e.name} v${e.version}`,
        summary: e.description,
        contentType: 'application/json',
        headers: cloudEventHeadersSchema(service.service, e.ceType),
        payload,
        correlationId: { location: '$message.header#/ce_correlationid' },
        bindings: {
          kafka: { key: { type: 'string', description: 'The stream id' }, bindingVersion: '0.5.0' },
        },
        'x-schema-version': e.version,
        'x-rule-ids': e.ruleIds,
      };
      channelMessages[e.name] = { $ref: `#/components/messages/${e.id}` };
    }
    channels[channelId] = {
      address: service.topic,
      title: service.title,
      description:
        `Every event of the ${service.service} service, in stream order per record key. ` +
        'Key: the stream id. Value: the event data as JSON. Headers: CloudEvents 1.0 binary mode ' +
        '(ce_id, ce_source, ce_type = <EventType>.v<version>, ce_subject = stream id, ce_time = recordedAt, ' +
        'ce_specversion, and the extensions ' +
        Object.keys(CE_EXTENSIONS).join(', ') +
        '). Delivery is at least once: deduplicate by ce_id.',
      messages: channelMessages,
      bindings: { kafka: { topic: service.topic, bindingVersion: '0.5.0' } },
    };
    operations[`publish${channelId[0].toUpperCase()}${channelId.slice(1)}`] = {
      action: 'send',
      title: `The ${service.service} service publishes its events`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(channelMessages).map((m) => ({ $ref: `#/channels/${channelId}/messages/${m}` })),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: "Lanzhou community residents' committee registry: public events",
      version: '1.0.0',
      description:
        'Events that civil-affairs subscribers may consume. One Kafka topic per service, named ' +
        '`lanzhou.registry.<service>.events.v1`; record key = stream id; CloudEvents 1.0 in Kafka ' +
        'binary mode. An event type string is never renamed; a new shape gets a new version in ce_type.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
