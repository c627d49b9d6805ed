import 'reflect-metadata';
import { topicOf } from '#libs/contracts';
import { fromKafkaRecord } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { establishedByOlderRelease, OLD_AREA } from './support/older-release';
import { describeOnRealServers, useServicesOnRealServers } from './support/real-services';

// The service's own configuration point, with a step that reads AreaRegistered v1 at v2.
jest.mock('../apps/community-establishment/src/application/upcasters', () => ({
  establishmentUpcasters: () =>
    (
      jest.requireActual('./support/older-release') as typeof import('./support/older-release')
    ).chainReadingAreasAtV2(),
}));

/**
 * GUIDE §4.7 on real Kafka: an AreaRegistered an older release stored at version 1 is published
 * by the relay as `AreaRegistered.v2` with the version-2 data, the version the service's chain
 * configures, so subscribers only ever see current shapes.
 */
describeOnRealServers(__filename, 'a stored version-1 event on Kafka at version 2', () => {
  let storedEventId = '';
  const received = new Map<string, { ceType: string; decoded: ReturnType<typeof fromKafkaRecord> }>();
  const services = useServicesOnRealServers({
    prefix: 'upcast',
    boundMs: 15_000,
    pollMs: 100,
    beforeStart: async (dataDir) => {
      storedEventId = await establishedByOlderRelease(dataDir);
    },
    services: () => [establishmentService()],
    consume: {
      topics: [topicOf('community-establishment')],
      eachMessage: (_topic, message) => {
        const decoded = fromKafkaRecord(message);
        received.set(decoded.event.eventId, { ceType: String(message.headers?.ce_type), decoded });
      },
    },
  });

  it('publishes AreaRegistered.v2 with the area id where version 1 had none', async () => {
    const record = await services.within('the AreaRegistered record', async () =>
      received.get(storedEventId),
    );
    expect(record.ceType).toBe('AreaRegistered.v2');
    expect(record.decoded.event).toMatchObject({
      eventId: storedEventId,
      type: 'AreaRegistered',
      schemaVersion: 2,
      data: { areaId: OLD_AREA.areaId, households: OLD_AREA.households },
    });
    expect(record.decoded.event.data).not.toHaveProperty('id');
  });
});
