import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import type { ReactionConsumer } from '#libs/hosting';
import { InMemoryInbox } from '#libs/messaging';
import type { FacilityCommand } from '../apps/facility-construction/src/domain';
import { DEFAULT_FACILITY_POLICY } from '../apps/facility-construction/src/domain';
import type { Decide } from '#libs/hosting';
import { establishmentReactions } from '../apps/facility-construction/src/application/establishment-reactions';
import { FacilityStreams } from '../apps/facility-construction/src/application/facility-streams';
import { establishmentStory } from '../apps/community-establishment/src/application/projections/testing/story';
import { commandsFor } from '../apps/facility-construction/src/application/establishment-reactions';

/**
 * Which facility commands each establishment event becomes (FAC-1), on the events the
 * establishment service's own decide emits in its story of 城关区.
 */
function reactionsToStory() {
  const out: Array<{
    label: string;
    type: string;
    eventId: string;
    commands: ReturnType<typeof commandsFor>;
  }> = [];
  for (const step of establishmentStory().steps)
    for (const e of step.events)
      out.push({
        label: step.label,
        type: e.event.type,
        eventId: e.eventId,
        commands: commandsFor({
          eventId: e.eventId,
          type: e.event.type,
          data: e.event.data,
          metadata: { actor: { subject: 'clerk-chengguan-02' } },
          recordedAt: '2026-07-01T02:00:00.000Z',
        } as RecordedEvent),
      });
  return out;
}

describe('establishment reactions (FAC-1)', () => {
  const reactions = reactionsToStory();
  const of = (type: string) => reactions.filter((r) => r.type === type);

  it('FAC-1 a new committee gets its requirement computed with its areas and households', () => {
    const established = of('CommitteeEstablished').find((r) => r.label === 'EstablishCommittee')!;
    expect(established.commands).toEqual([
      {
        type: 'RecomputeRequirement',
        data: {
          communityId: 'yantan-xinyuan',
          households: expect.any(Number),
          reason: 'community-established',
          sourceEventId: established.eventId,
          mergedCommunityIds: [],
          areaIds: ['a-ytxy'],
        },
      },
    ]);
  });

  it('FAC-1 a merger recomputes the result, which takes over the merged communities’ facilities', () => {
    const [merged] = of('CommitteesMerged');
    expect(merged.commands).toEqual([
      {
        type: 'RecomputeRequirement',
        data: expect.objectContaining({
          communityId: 'dongfang-gaolan',
          reason: 'merger',
          mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
          sourceEventId: merged.eventId,
        }),
      },
    ]);
  });

  it('FAC-1 FAC-4 a split that ends its community passes the space to the first part only', () => {
    const [split] = of('CommitteeSplit');
    expect(split.commands.map((c) => c.data)).toEqual([
      expect.objectContaining({
        communityId: 'dongfang',
        reason: 'split',
        mergedCommunityIds: ['dongfang-gaolan'],
        areaIds: ['a-dfh', 'a-dfh-west'],
      }),
      expect.objectContaining({
        communityId: 'gaolan',
        reason: 'split',
        mergedCommunityIds: [],
        areaIds: ['a-glr'],
      }),
    ]);
  });

  it('FAC-1 FAC-4 a split in which a part keeps the community’s id leaves the space with that part', () => {
    const commands = commandsFor({
      eventId: 'e-split',
      type: 'CommitteeSplit',
      data: {
        sourceCommunityId: 'dongfanghong',
        sourceCommitteeId: 'dfh-rc',
        parts: [
          { communityId: 'hongxing', areaIds: ['a-dfh-west'], householdRange: { households: 300 } },
          { communityId: 'dongfanghong', areaIds: ['a-dfh'], householdRange: { households: 650 } },
        ],
      },
    } as unknown as RecordedEvent);
    expect(commands.map((c) => c.data)).toEqual([
      expect.objectContaining({ communityId: 'hongxing', mergedCommunityIds: [] }),
      expect.objectContaining({ communityId: 'dongfanghong', mergedCommunityIds: [] }),
    ]);
  });

  it('FAC-1 a change of an area’s households asks for a recount of its community', () => {
    const [updated] = of('AreaHouseholdsUpdated');
    expect(updated.commands).toEqual([
      {
        type: 'RecountCommunityHouseholds',
        data: {
          areaId: 'a-dfh',
          households: 650,
          previous: expect.any(Number),
          sourceEventId: updated.eventId,
        },
      },
    ]);
  });

  it('EST-8 FAC-1 a correction of an establishment decision asks to follow it here, with who recorded it and when', () => {
    const [correction] = of('DecisionCorrected');
    const [command] = correction.commands;
    expect(correction.commands).toHaveLength(1);
    expect(command).toEqual({
      type: 'FollowEstablishmentCorrection',
      data: expect.objectContaining({
        correctionEventId: correction.eventId,
        correctsEventId: expect.any(String),
        correctedBy: 'clerk-chengguan-02',
        correctionRecordedAt: '2026-07-01T02:00:00.000Z',
      }),
    });
  });

  it('other establishment events change nothing here', () => {
    const reacting = new Set([
      'CommitteeEstablished',
      'CommitteesMerged',
      'CommitteeSplit',
      'AreaHouseholdsUpdated',
      'DecisionCorrected',
    ]);
    const others = reactions.filter((r) => !reacting.has(r.type));
    expect(others.length).toBeGreaterThan(10);
    for (const r of others) expect(r.commands).toEqual([]);
  });
});

describe('establishment reactions: PERSONAL-DATA in copied fields', () => {
  let store: SqliteEventStore;
  let reactions: ReactionConsumer<FacilityCommand>;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    const streams = new FacilityStreams(store, DEFAULT_FACILITY_POLICY);
    const bus = {
      execute: (c: Decide) =>
        streams.deciding(c.command.type).decide(c.district, { ...c.envelope, command: c.command }),
    } as unknown as CommandBus;
    reactions = await establishmentReactions.useFactory('facility-construction', new InMemoryInbox(), bus);
  });
  afterEach(async () => {
    await store.close();
  });

  const established = (
    n: number,
    communityId: string,
    areaId: string,
    legalBasis = '城关区政发〔2015〕1号',
  ) =>
    ({
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: 'CommitteeEstablished',
      schemaVersion: 1,
      data: {
        communityId,
        committeeId: `${communityId}-rc`,
        name: communityId,
        areaIds: [areaId],
        householdRange: { households: 1200 },
      },
      metadata: {
        effectiveAt: '2015-01-01',
        actor: { subject: 'official-li-cg', roles: ['officer'], districtScope: '城关区' },
        legalBasis,
        ruleIds: ['EST-8'],
        correlationId: `c-${n}`,
        causationId: null,
      },
      streamId: 'district-chengguan',
      streamRevision: n,
      globalPosition: n + 1,
      recordedAt: '2026-01-01T00:00:00.000Z',
      previousHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    }) as RecordedEvent;
  const stored = async () => (await store.readStream('facilities-chengguan')).map((e) => e.type);

  it('FAC-1 requirement is not computed from a copied community id, area id or legal basis holding an id number', async () => {
    // 620102199001011233 has a right ISO 7064 MOD 11-2 check digit.
    await reactions.react(established(0, '620102199001011233', 'east-a'));
    await reactions.react(established(1, 'east', 'a-620102199001011233'));
    await reactions.react(established(2, 'west', 'west-a', '申请人 620102199001011233'));
    expect(await stored()).toEqual([]);
    await reactions.react(established(3, 'north', 'north-a'));
    expect((await stored()).length).toBe(1);
  });
});
