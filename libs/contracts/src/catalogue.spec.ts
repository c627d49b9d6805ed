import { Parser } from '@asyncapi/parser';
import { z } from 'zod';
import { asyncApiDocument, ceTypeOf, eventCatalogue, SERVICES, topicOf } from './catalogue';
import { recordedEventSchema } from './envelope-schema';
import {
  ESTABLISHMENT_CONTRACT_TYPES,
  ESTABLISHMENT_EVENTS,
  type EstablishmentContractType,
  type EstablishmentEventData,
} from './establishment-events';

const SEVERITY_ERROR = 0;

/** Realistic events of 城关区, as the establishment service records them. */
const samples: { [K in EstablishmentContractType]?: EstablishmentEventData[K] } = {
  AreaRegistered: {
    areaId: 'yanyuan-estate',
    name: '雁园小区',
    kind: 'new-residential-estate',
    subDistrict: '雁南街道',
    households: 2400,
    adjacentAreaIds: ['yannan-old-town'],
    villageCommittee: null,
    migrantScale: null,
    responsibility: { kind: 'proxy', communityId: 'yannan-1', committeeId: 'yannan-1-rc' },
    residentsGroupName: null,
  },
  EstablishmentObligationOpened: {
    areaId: 'yanyuan-estate',
    reason: 'occupancy-threshold',
    openedOn: '2014-03-01',
    dueOn: '2014-08-28',
    dueDays: 180,
    occupancyThreshold: 0.5,
  },
  CommitteeEstablished: {
    communityId: 'yanyuan',
    committeeId: 'yanyuan-rc',
    name: '雁园社区居民委员会',
    areaIds: ['yanyuan-estate'],
    coexistingVillageCommittees: [],
    householdRange: {
      households: 2400,
      regime: 'lanzhou-2013',
      minHouseholds: 1000,
      maxHouseholds: 3000,
      withinRange: true,
    },
  },
  PostAssigned: {
    personId: 'p-0001',
    communityId: 'yanyuan',
    body: 'residents-committee',
    post: '主任',
    concurrentPosts: 2,
  },
  DecisionCorrected: {
    correctsEventId: '0b7f6c1e-3a0c-4a57-9f5e-0d2c2f1f8a10',
    correctsType: 'AreaTransferred',
    reason: '档案核对：划转日期有误',
    correctedEffectiveAt: '2015-01-01',
    correctedLegalBasis: null,
    annulled: false,
    coverageFindings: [
      {
        areaId: 'yannan-old-town',
        problem: 'gap',
        from: '2014-12-01',
        to: '2015-01-01',
        bodies: [],
      },
    ],
  },
};

describe('event catalogue', () => {
  // The contract types are the domain's, in its order: test/contracts/establishment-events.spec.ts.
  it('lists every event type of the establishment service with version, description and JSON Schema', () => {
    const service = eventCatalogue()['community-establishment'];
    expect(service.topic).toBe('lanzhou.registry.community-establishment.events.v1');
    expect(Object.keys(service.events)).toEqual([...ESTABLISHMENT_CONTRACT_TYPES]);
    for (const e of Object.values(service.events)) {
      expect(e).toMatchObject({ version: 1, ceType: `${e.name}.v1` });
      expect(e.description.length).toBeGreaterThan(20);
      expect(e.schema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('generates an AsyncAPI 3.0.0 document that @asyncapi/parser accepts without errors', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    const errors = diagnostics.filter((d) => d.severity === SEVERITY_ERROR);
    expect(errors.map((d) => `${d.path.join('/')}: ${d.message}`)).toEqual([]);
    expect(document).toBeDefined();

    const channel = document!.channels().all()[0];
    expect(channel.address()).toBe(topicOf('community-establishment'));
    const messageIds = channel
      .messages()
      .all()
      .map((m) => m.id());
    expect(messageIds.sort()).toEqual([...ESTABLISHMENT_CONTRACT_TYPES].sort());
    for (const m of channel.messages().all()) {
      expect(m.payload()?.type()).toBe('object');
      expect(m.headers()?.properties()?.['ce_type']?.const()).toBe(ceTypeOf(m.id(), 1));
    }
    // One send operation per service topic.
    expect(
      document!
        .operations()
        .all()
        .map((o) => o.action()),
    ).toEqual(SERVICES.map(() => 'send'));
  }, 60_000);

  it('accepts realistic sample events, through the zod schemas and through the published JSON Schemas', () => {
    const service = eventCatalogue()['community-establishment'];
    for (const [type, data] of Object.entries(samples)) {
      expect(ESTABLISHMENT_EVENTS[type as EstablishmentContractType].data.parse(data)).toEqual(data);
      // The published JSON Schema, read back into zod: what a subscriber's validator sees.
      expect(z.fromJSONSchema(service.events[type].schema as never).safeParse(data).error).toBeUndefined();
    }
  });

  it('refuses malformed events', () => {
    const service = eventCatalogue()['community-establishment'];
    const published = z.fromJSONSchema(service.events['PostAssigned'].schema as never);
    const bad = [
      { ...samples.PostAssigned, body: 'street-office' },
      { ...samples.PostAssigned, unexpected: 1 },
      { ...samples.PostAssigned, concurrentPosts: undefined },
    ];
    for (const b of bad) expect(published.safeParse(b).success).toBe(false);
    expect(ESTABLISHMENT_EVENTS.PostAssigned.data.safeParse(bad[0]).success).toBe(false);
  });

  it('validates a whole recorded event, envelope and data', () => {
    const schema = recordedEventSchema('PostAssigned', ESTABLISHMENT_EVENTS.PostAssigned.data);
    const event = {
      eventId: '7c7d4f0e-2b8a-4d0e-9a61-3f4f3c8a2b11',
      type: 'PostAssigned',
      schemaVersion: 1,
      data: samples.PostAssigned,
      metadata: {
        effectiveAt: '2014-09-01',
        actor: { subject: 'clerk-chengguan-01', roles: ['district-clerk'], districtScope: 'chengguan' },
        legalBasis: '兰民发〔2013〕12号',
        ruleIds: ['ORG-2'],
        correlationId: 'c-1',
        causationId: null,
      },
      streamId: 'district-chengguan',
      streamRevision: 7,
      globalPosition: 42,
      recordedAt: '2014-09-01T08:00:00.000Z',
      previousHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    expect(schema.parse(event)).toEqual(event);
    expect(schema.safeParse({ ...event, type: 'PostEnded' }).success).toBe(false);
  });
});
