import { join } from 'node:path';
import {
  handleCommand,
  SqliteEventStore,
  UpcasterChain,
  type EventStore,
  type NewEvent,
  type UpcastStep,
} from '#libs/event-sourcing';
import { establishmentDecider } from '../../apps/community-establishment/src/domain';

/*
 * An older release of the establishment service, for the upcasting tests: it wrote AreaRegistered
 * at version 1, which named the area's id `id`. No such release existed; the shape is made up so
 * that a stored event that is not upcast is visibly wrong (an area without an areaId).
 */

/** AreaRegistered version 1 → 2: `id` became `areaId`. */
export const AREA_ID_RENAMED: UpcastStep = {
  type: 'AreaRegistered',
  fromVersion: 1,
  upcast: (data) => {
    const { id, ...rest } = data as { id: string };
    return { areaId: id, ...rest };
  },
};

/** The establishment service's chain in these tests: AreaRegistered read (and written) at version 2. */
export const chainReadingAreasAtV2 = (): UpcasterChain => new UpcasterChain([AREA_ID_RENAMED]);

/** The area the older release registered, with 雁南社区 (EST-8). */
export const OLD_AREA = { areaId: 'cg-yannan-old', households: 500 } as const;

const toVersion1 = (event: NewEvent): NewEvent => {
  if (event.type !== 'AreaRegistered') return event;
  const { areaId, ...rest } = event.data as { areaId: string };
  return { ...event, schemaVersion: 1, data: { id: areaId, ...rest } };
};

/**
 * Writes into the service's data file what the older release wrote when 城关区 established
 * 雁南社区 with one existing town area: the same decision, its AreaRegistered at version 1.
 * Returns the stored AreaRegistered's event id.
 */
export async function establishedByOlderRelease(dataDir: string): Promise<string> {
  const raw = await SqliteEventStore.open({ file: join(dataDir, 'community-establishment.sqlite') });
  try {
    const olderRelease: EventStore = {
      appendToStream: (streamId, events, options) =>
        raw.appendToStream(streamId, events.map(toVersion1), options),
      readStream: (streamId, options) => raw.readStream(streamId, options),
      readAll: (options) => raw.readAll(options),
      subscribeToAll: (options) => raw.subscribeToAll(options),
      close: () => raw.close(),
    };
    const { events } = await handleCommand(olderRelease, establishmentDecider(), 'district-chengguan', {
      command: {
        type: 'EstablishCommittee',
        data: {
          communityId: 'cg-yannan',
          committeeId: 'cg-yannan-rc',
          name: '雁南社区居民委员会',
          areaIds: [],
          newAreas: [
            {
              areaId: OLD_AREA.areaId,
              name: '雁南老街区',
              kind: 'existing-town-area',
              subDistrict: '雁南街道',
              households: OLD_AREA.households,
              adjacentAreaIds: [],
            },
          ],
        },
      },
      context: {
        effectiveAt: '2010-09-01',
        actor: { subject: 'official-li-cg', roles: ['officer'], districtScope: '城关区' },
      },
      legalBasis: '城关区政发〔2010〕88号',
      correlationId: 'older-release',
    });
    const registered = events.find((e) => e.type === 'AreaRegistered');
    if (!registered || registered.schemaVersion !== 1)
      throw new Error('the older release wrote no AreaRegistered v1');
    return registered.eventId;
  } finally {
    await raw.close();
  }
}
