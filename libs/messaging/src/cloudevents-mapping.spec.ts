import { computeEventHash, type RecordedEvent } from '#libs/event-sourcing';
import { ceSourceOf, CE_EXTENSIONS } from '#libs/contracts';
import {
  CloudEventDecodeError,
  EXTENSION,
  fromKafkaRecord,
  toKafkaRecord,
  type IncomingRecord,
} from './cloudevents-mapping';
import { metadata, newEvent, SERVICE, tempStore } from './testing/fixtures';

/** What kafkajs hands a consumer: Buffer key, value and header values. */
const asReceived = (r: ReturnType<typeof toKafkaRecord>): IncomingRecord => ({
  key: Buffer.from(r.key),
  value: Buffer.from(r.value),
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)])),
});

describe('CloudEvents mapping (Kafka binary mode)', () => {
  let events: RecordedEvent[];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await t.store.appendToStream(
      'district-chengguan',
      [
        newEvent(0),
        newEvent(1, {
          schemaVersion: 2,
          metadata: metadata({
            causationId: 'cmd-42',
            traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            idempotencyKey: 'key-1',
            ruleIds: [],
            actor: { subject: 'admin', roles: ['admin', 'auditor'], districtScope: '*' },
          }),
        }),
        newEvent(2, { data: null }),
      ],
      { expectedRevision: 'no_stream' },
    );
    events = await t.store.readAll();
  });
  afterAll(() => cleanup());

  it('maps the envelope to key, value and ce_* headers', () => {
    const [e] = events;
    const r = toKafkaRecord(e, SERVICE);
    expect(r.key).toBe(e.streamId);
    expect(JSON.parse(r.value)).toEqual(e.data);
    expect(r.timestamp).toBe(String(Date.parse(e.recordedAt)));
    expect(r.headers).toMatchObject({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: e.eventId,
      ce_source: ceSourceOf(SERVICE),
      ce_type: 'CommitteeRenamed.v1',
      ce_subject: e.streamId,
      ce_time: e.recordedAt,
      ce_effectiveat: '2013-06-01',
      ce_actorsubject: 'officer-cg-01',
      ce_actorroles: '["officer"]',
      ce_actordistrict: '城关区',
      ce_legalbasis: '城关区政发〔2013〕47号',
      ce_ruleids: 'EST-2,EST-7',
      ce_hash: e.hash,
      ce_previoushash: e.previousHash,
      ce_streamrevision: '0',
      ce_globalposition: String(e.globalPosition),
      ce_correlationid: e.metadata.correlationId,
    });
    expect(r.headers).not.toHaveProperty('ce_causationid');
    expect(r.headers).not.toHaveProperty('ce_traceparent');
    expect(Object.values(r.headers).every((v) => typeof v === 'string')).toBe(true);
  });

  it('uses every extension name the catalogue documents, all lower-case alphanumeric', () => {
    const names = Object.values(EXTENSION);
    for (const documented of Object.keys(CE_EXTENSIONS)) expect(names).toContain(documented);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]{1,20}$/);
  });

  it('decodes back the same RecordedEvent, field for field (Buffer headers as kafkajs gives them)', () => {
    for (const e of events) {
      const decoded = fromKafkaRecord(asReceived(toKafkaRecord(e, SERVICE)));
      expect(decoded.event).toStrictEqual(e);
      expect(decoded.source).toBe(ceSourceOf(SERVICE));
    }
  });

  it('keeps what the hash covers, so a subscriber can recompute it', async () => {
    for (const e of events) {
      const { event } = fromKafkaRecord(asReceived(toKafkaRecord(e, SERVICE)));
      expect(await computeEventHash(event)).toBe(e.hash);
    }
  });

  it('refuses a record that is not a binary-mode CloudEvent of ours', () => {
    const r = toKafkaRecord(events[0], SERVICE);
    const without = (name: string) => {
      const headers = { ...r.headers };
      delete headers[name];
      return { ...r, headers };
    };
    expect(() => fromKafkaRecord(without('ce_id'))).toThrow(CloudEventDecodeError);
    expect(() => fromKafkaRecord(without('ce_hash'))).toThrow(/hash is missing/);
    expect(() => fromKafkaRecord({ ...r, headers: { ...r.headers, ce_type: 'NoVersion' } })).toThrow(
      /not <type>.v<version>/,
    );
    expect(() => fromKafkaRecord({ ...r, value: '{not json' })).toThrow(CloudEventDecodeError);
    expect(() => fromKafkaRecord({ ...r, value: null })).toThrow(/tombstone/);
  });
});
