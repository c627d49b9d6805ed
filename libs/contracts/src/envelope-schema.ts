import { z } from 'zod';

/**
 * The envelope of every recorded event (libs/event-sourcing/src/envelope.ts, RecordedEvent), as a
 * zod schema. `envelope-schema.spec.ts` checks at compile time that its inferred type equals
 * RecordedEvent, so the two cannot drift.
 */

const sha256Hex = () => z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256, lower-case hex');

export const ActorSchema = z
  .object({
    subject: z.string().min(1),
    roles: z.array(z.string()),
    districtScope: z.string().meta({ description: "A district code or name, or '*' for city-wide staff" }),
  })
  .meta({ description: 'Who issued the command that caused the event' });

export const EventMetadataSchema = z.object({
  effectiveAt: z
    .string()
    .meta({ description: 'ISO 8601 date or instant: when the decision took effect in law' }),
  actor: ActorSchema,
  legalBasis: z
    .string()
    .meta({ description: 'Document reference of the legal basis, e.g. 兰民发〔2013〕12号' }),
  ruleIds: z.array(z.string()).meta({ description: 'Rule ids (domain/RULES.md) applied by the decision' }),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  idempotencyKey: z.string().optional(),
  traceparent: z.string().optional().meta({ description: 'W3C trace context of the causing request' }),
});

/** A recorded event; `data` is checked by the event type's own schema, see establishment-events.ts. */
export const RecordedEventSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().min(1),
  data: z.unknown(),
  metadata: EventMetadataSchema,
  streamId: z.string().min(1),
  streamRevision: z.number().int().min(0),
  globalPosition: z.number().int().min(0),
  recordedAt: z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 instant of the append' }),
  previousHash: sha256Hex().meta({
    description: 'Hash of the previous event of the stream; 64 zeros at revision 0',
  }),
  hash: sha256Hex().meta({ description: 'SHA-256 over the canonical form of this event' }),
});

/** The envelope with the `data` of one event type. */
export const recordedEventSchema = <T extends string, D extends z.ZodType>(
  type: T,
  data: D,
  schemaVersion = 1,
) =>
  RecordedEventSchema.extend({
    type: z.literal(type),
    schemaVersion: z.literal(schemaVersion),
    data,
  });
