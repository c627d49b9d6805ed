import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { topicOf } from '#libs/contracts';
import { fromKafkaRecord } from '#libs/messaging';
import type { RecordedEvent } from '#libs/event-sourcing';
import { EstablishmentProjection } from '../apps/community-establishment/src/application/projections';
import { establishmentService } from '../apps/community-establishment/src/main';
import { establishYannan } from './support/fixtures';
import { describeOnRealServers, useServicesOnRealServers } from './support/real-services';

/**
 * A command through HTTP becomes, within a bounded time, a CloudEvent on the service's Kafka
 * topic and a projected document in MongoDB (FerretDB here), both on the real servers of the
 * integration run.
 */
describeOnRealServers(__filename, 'establishment service on real Kafka and FerretDB', () => {
  const received = new Map<string, ReturnType<typeof fromKafkaRecord>>();
  const services = useServicesOnRealServers({
    prefix: 'it',
    boundMs: 15_000,
    pollMs: 100,
    services: () => [establishmentService()],
    consume: {
      topics: [topicOf('community-establishment')],
      eachMessage: (_topic, message) => {
        const decoded = fromKafkaRecord(message);
        received.set(decoded.event.eventId, decoded);
      },
    },
  });
  const { within } = services;
  // Whatever happens to the test, the held projection goes on (the service's close waits for it).
  let release = (): void => undefined;
  afterEach(() => {
    release();
    jest.restoreAllMocks();
  });

  it('publishes the decision as a CloudEvent and projects it into MongoDB', async () => {
    // The projection lags on the decision's last event, as it did under load: CommitteeEstablished
    // (no area yet, areaIds: []) is projected, AreaRegistered (its area) is held until the read
    // models are queried. The query must wait for the projection's checkpoint.
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = EstablishmentProjection.prototype.handle;
    jest.spyOn(EstablishmentProjection.prototype, 'handle').mockImplementation(async function (
      this: EstablishmentProjection,
      event: RecordedEvent,
      readStore,
    ) {
      if (event.type === 'AreaRegistered') await held;
      return handle.call(this, event, readStore);
    });

    const res = await establishYannan(services.client('community-establishment'), services.tokens);
    const established = res.body.events.find((e: { type: string }) => e.type === 'CommitteeEstablished');

    const message = await within('the Kafka message', async () => received.get(established.eventId));
    expect(message.event).toMatchObject({
      eventId: established.eventId,
      type: 'CommitteeEstablished',
      streamId: 'district-chengguan',
      hash: established.hash,
      data: { communityId: 'cg-yannan', committeeId: 'cg-yannan-rc' },
      metadata: { legalBasis: '城关区政发〔2010〕88号', effectiveAt: '2010-09-01' },
    });
    expect(message.event.metadata.ruleIds).toContain('EST-8');
    expect(message.event.metadata.actor.subject).toBe('official-li-cg');
    for (const e of res.body.events) await within(`message ${e.type}`, async () => received.get(e.eventId));

    // The same record read by Debian's kcat, a plain command-line client (installed by .ci/run).
    const kcat = spawnSync(
      'kcat',
      [
        '-C',
        '-b',
        process.env.KAFKA_BROKERS!,
        '-t',
        topicOf('community-establishment'),
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%k\t%h\n',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(kcat.status).toBe(0);
    const line = kcat.stdout.split('\n').find((l) => l.includes(`ce_id=${established.eventId}`));
    expect(line).toBeDefined();
    expect(line!.split('\t')[0]).toBe('district-chengguan');
    expect(line).toContain('ce_type=CommitteeEstablished.v1');
    expect(line).toContain('ce_source=/lanzhou/registry/community-establishment');

    // The community document exists from CommitteeEstablished on, with its area only from the
    // later AreaRegistered: read it once the projection has passed the decision's last event.
    release();
    const last = Math.max(
      ...res.body.events.map((e: { eventId: string }) => received.get(e.eventId)!.event.globalPosition),
    );
    await services.projectedThrough('community-establishment', last);
    await services.withReadModels('community-establishment', async (db) => {
      const doc = await db.collection('communities').findOne({ _id: 'chengguan/cg-yannan' as never });
      expect(doc).toMatchObject({
        name: '雁南社区居民委员会',
        status: 'active',
        areaIds: ['cg-yannan-old'],
      });
      const area = await db.collection('areas').findOne({ _id: 'chengguan/cg-yannan-old' as never });
      expect(area).toMatchObject({ responsibleBody: { kind: 'own-committee', communityId: 'cg-yannan' } });
    });
  }, 60_000);
});
