import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { KafkaMessage } from 'kafkajs';
import { FACILITY_EVENTS, topicOf, type FacilityContractType } from '#libs/contracts';
import { fromKafkaRecord } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { describeOnRealServers, useServicesOnRealServers } from './support/real-services';

/**
 * Over the real broker and FerretDB, a split in the establishment service recomputes the
 * parts' requirements here (the first part takes the space, the other is reported short, FAC-1 and
 * FAC-4); a change of households recomputes its community; a replayed or duplicated Kafka message
 * changes nothing; and a facility decision (an acceptance failure refusing naming, FAC-3) is
 * published as a CloudEvent on lanzhou.registry.facility-construction.events.v1. The current-state
 * answers come from the read models in FerretDB.
 */
describeOnRealServers(__filename, 'facility construction on real Kafka and FerretDB', () => {
  const API = '/api/districts/chengguan';
  // The topics keep earlier runs' records, which the consumer group may see again: ids of this run.
  const run = randomUUID().slice(0, 6);
  const id = (name: string) => `y${run}-${name}`;
  const published = new Map<string, { key: string; decoded: ReturnType<typeof fromKafkaRecord> }>();
  const services = useServicesOnRealServers({
    prefix: 'facility',
    boundMs: 20_000,
    services: () => [establishmentService(), facilityConstructionService()],
    consume: {
      topics: [topicOf('facility-construction')],
      eachMessage: (_topic, message) => {
        const decoded = fromKafkaRecord(message);
        published.set(decoded.event.eventId, { key: String(message.key), decoded });
      },
    },
  });
  const { within } = services;

  /** Facility events in this service's store whose data names an establishment event. */
  const causedBy = (eventId: string): number => {
    const db = new DatabaseSync(join(services.dataDir, 'facility-construction.sqlite'), { readOnly: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM events WHERE data LIKE ?').get(`%${eventId}%`) as {
        n: number;
      };
      return Number(row.n);
    } finally {
      db.close();
    }
  };

  /** Sends an establishment record to its topic again, twice: a replay and a duplicate. */
  const replay = async (ceType: string, communityOrArea: string): Promise<void> => {
    const topic = topicOf('community-establishment');
    const matches = (m: KafkaMessage) =>
      String(m.headers?.ce_type) === ceType && String(m.value).includes(communityOrArea);
    const record = await services.findRecord(topic, matches, `the ${ceType} record`);
    await services.sendAgain(topic, [record, record]);
  };

  it('FAC-1 FAC-4 a split reports the part without space short, a change of households recomputes, replays change nothing; FAC-3 is published as a CloudEvent', async () => {
    const est = services.client('community-establishment');
    const fac = services.client('facility-construction');
    const { tokens } = services;
    const area = (areaId: string, households: number) => ({
      areaId,
      name: areaId,
      kind: 'existing-town-area',
      subDistrict: '张掖路街道',
      households,
    });
    const established = await est.post(`${API}/committees`, tokens.chengguan, {
      effectiveAt: '2005-01-01',
      legalBasis: '城关区政发〔2005〕7号',
      communityId: id('src'),
      committeeId: id('src-rc'),
      name: '源社区居民委员会',
      newAreas: [area(id('a'), 1500), area(id('b'), 1500)],
    });
    expect(established.status).toBe(201);
    // 3,000 households: max(0.2 × 3000, 350) = 600 m².
    await within('the requirement of the community', async () => {
      const res = await fac.get(`${API}/communities/${id('src')}`, tokens.auditor);
      return res.status === 200 && res.body.requirement?.requiredM2 === 600 ? res.body : undefined;
    });
    const office = await fac.post(`${API}/communities/${id('src')}/facilities`, tokens.chengguan, {
      effectiveAt: '2006-01-01',
      legalBasis: '城关区民政局〔2006〕9号',
      facilityId: id('src-office'),
      areaM2: 600,
      useRightHolder: 'residents-committee',
      manager: 'sub-district-office',
    });
    expect(office.status).toBe(201);

    const split = await est.post(`${API}/communities/${id('src')}/split`, tokens.chengguan, {
      effectiveAt: '2015-01-01',
      legalBasis: '城关区政发〔2015〕12号',
      parts: [
        {
          communityId: id('north'),
          committeeId: id('north-rc'),
          name: '北社区居民委员会',
          areaIds: [id('a')],
        },
        {
          communityId: id('south'),
          committeeId: id('south-rc'),
          name: '南社区居民委员会',
          areaIds: [id('b')],
        },
      ],
    });
    expect(split.status).toBe(201);
    const splitEventId = split.body.events.find((e: { type: string }) => e.type === 'CommitteeSplit').eventId;

    // The first part took the 600 m²; the second has none: max(0.2 × 1500, 350) = 350 m² short.
    const shortAfterSplit = await within('the split parts', async () => {
      const res = await fac.get(`${API}/space-shortfalls`, tokens.auditor);
      const ours = (res.body.communities ?? []).filter((c: { communityId: string }) =>
        c.communityId.startsWith(id('')),
      );
      return ours.some((c: { communityId: string }) => c.communityId === id('south')) ? ours : undefined;
    });
    expect(shortAfterSplit).toEqual([
      {
        communityId: id('south'),
        households: 1500,
        requiredM2: 350,
        standard: 'basic',
        spaceM2: 0,
        shortfallM2: 350,
      },
    ]);
    const north = await within('the first part', async () => {
      const res = await fac.get(`${API}/communities/${id('north')}`, tokens.auditor);
      return res.status === 200 ? res.body : undefined;
    });
    expect(north.facilities.map((f: { facilityId: string }) => f.facilityId)).toEqual([id('src-office')]);
    expect((await fac.get(`${API}/communities/${id('src')}`, tokens.auditor)).body.mergedInto).toBe(
      id('north'),
    );

    // A change of households: 3,500 in its area make the first part a large community, 0.3 × 3500 = 1,050 m².
    const households = await est.post(`${API}/areas/${id('a')}/households`, tokens.chengguan, {
      effectiveAt: '2016-01-01',
      legalBasis: '城关区统计〔2016〕1号',
      households: 3500,
    });
    expect(households.status).toBe(201);
    const householdsEventId = households.body.events[0].eventId;
    const shortNow = await within('the recount of the first part', async () => {
      const res = await fac.get(`${API}/space-shortfalls`, tokens.auditor);
      const n = res.body.communities?.find((c: { communityId: string }) => c.communityId === id('north'));
      return n ? n : undefined;
    });
    expect(shortNow).toMatchObject({
      households: 3500,
      requiredM2: 1050,
      standard: 'large-community',
      shortfallM2: 450,
    });

    // The read models live in FerretDB.
    await services.withReadModels('facility-construction', async (db) => {
      const south = await db
        .collection('facilityCommunities')
        .findOne({ _id: `chengguan/${id('south')}` as never });
      expect(south).toMatchObject({
        spaceM2: 0,
        shortfallM2: 350,
        meetsRequirement: false,
        areaIds: [id('b')],
      });
    });

    // A replayed and duplicated split and households change: nothing more is decided.
    expect(causedBy(splitEventId)).toBe(2);
    expect(causedBy(householdsEventId)).toBe(1);
    const before = {
      north: (await fac.get(`${API}/communities/${id('north')}`, tokens.auditor)).body,
      south: (await fac.get(`${API}/communities/${id('south')}`, tokens.auditor)).body,
    };
    await replay('CommitteeSplit.v1', id('north'));
    await replay('AreaHouseholdsUpdated.v1', id('a'));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(causedBy(splitEventId)).toBe(2);
    expect(causedBy(householdsEventId)).toBe(1);
    expect((await fac.get(`${API}/communities/${id('north')}`, tokens.auditor)).body).toEqual(before.north);
    expect((await fac.get(`${API}/communities/${id('south')}`, tokens.auditor)).body).toEqual(before.south);

    // The reactions' decisions are published too, caused by the establishment event.
    const recomputed = await within('the recomputation on Kafka', async () =>
      [...published.values()].find((p) => p.decoded.event.metadata.causationId === splitEventId),
    );
    expect(recomputed.decoded.event.type).toBe('RequirementRecomputed');

    // FAC-3: a project that fails acceptance; civil affairs refuses naming, on the facility topic.
    const at = (effectiveAt: string) => ({
      effectiveAt,
      legalBasis: `城关区民发〔${effectiveAt.slice(0, 4)}〕5号`,
    });
    const post = async (path: string, body: object) => {
      const res = await fac.post(`${API}${path}`, tokens.chengguan, body);
      if (res.status !== 201) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res;
    };
    await post('/projects', {
      ...at('2016-03-01'),
      projectId: id('project'),
      name: '南苑小区',
      developer: '兰州南苑置业有限公司',
      communityId: id('south'),
      plannedHouseholds: 1500,
      plannedSpaceM2: 360,
    });
    for (const consultee of ['civil-affairs', 'sub-district-office'])
      await post(`/projects/${id('project')}/consultations`, {
        ...at('2016-04-01'),
        stage: 'review',
        consultee,
        opinion: 'favourable',
        summary: '同意',
      });
    await post(`/projects/${id('project')}/planning-reviews`, {
      ...at('2016-05-01'),
      reviewer: '兰州市规划局',
    });
    await post(`/projects/${id('project')}/construction-start`, at('2016-06-01'));
    const failed = await post(`/projects/${id('project')}/acceptance-inspections`, {
      ...at('2018-06-01'),
      builtSpaceM2: 200,
      inspector: '城关区住建局',
    });
    const refusal = failed.body.events.find((e: { type: string }) => e.type === 'NamingAndNumberingRefused');
    expect(refusal.ruleIds).toEqual(['FAC-3']);

    const message = await within('the refusal on Kafka', async () => published.get(refusal.eventId));
    expect(message.key).toBe('facilities-chengguan');
    expect(message.decoded.source).toBe('/lanzhou/registry/facility-construction');
    expect(message.decoded.cloudEvent).toMatchObject({
      specversion: '1.0',
      id: refusal.eventId,
      type: 'NamingAndNumberingRefused.v1',
      subject: 'facilities-chengguan',
    });
    expect(message.decoded.event).toMatchObject({
      type: 'NamingAndNumberingRefused',
      hash: refusal.hash,
      data: { projectId: id('project'), communityId: id('south'), developer: '兰州南苑置业有限公司' },
      metadata: { ruleIds: ['FAC-3'], effectiveAt: '2018-06-01' },
    });
    // Every published facility event is valid against the catalogue's schema of its type.
    const ours = [...published.values()].filter((p) => JSON.stringify(p.decoded.event.data).includes(id('')));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    for (const { decoded } of ours) {
      const contract = FACILITY_EVENTS[decoded.event.type as FacilityContractType];
      expect(contract.data.safeParse(decoded.event.data).error).toBeUndefined();
    }
    const refusals = await fac.get(`${API}/naming-refusals`, tokens.auditor);
    expect(refusals.body.refusals).toEqual([
      expect.objectContaining({ projectId: id('project'), refusedOn: '2018-06-01' }),
    ]);
    expect(
      (
        await fac.post(`${API}/projects/${id('project')}/building-names`, tokens.chengguan, {
          ...at('2018-07-01'),
          buildingNames: ['南苑1号楼'],
        })
      ).status,
    ).toBe(422);
  }, 180_000);
});
