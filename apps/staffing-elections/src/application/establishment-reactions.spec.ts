import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import type { Decide, ReactionConsumer } from '#libs/hosting';
import { InMemoryInbox } from '#libs/messaging';
import { DEFAULT_STAFFING_POLICY, electionCalendar, viewAsOf, type StaffingCommand } from '../domain';
import { commandsFor, establishmentReactions } from './establishment-reactions';
import { StaffingStates } from './staffing-states';

/**
 * ELECT-4 reactions, without the consumer's inbox: the commands derive from the establishment
 * event alone, so handling the same message again decides nothing new (the domain refuses it).
 */
let position = 0;
function establishmentEvent(type: string, data: Record<string, unknown>, effectiveAt: string): RecordedEvent {
  position += 1;
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      effectiveAt,
      actor: { subject: 'official-li-cg', roles: ['officer'], districtScope: '城关区' },
      legalBasis: '城关区政发〔2015〕1号',
      ruleIds: ['EST-8'],
      correlationId: `c-${position}`,
      causationId: null,
    },
    streamId: 'district-chengguan',
    streamRevision: position - 1,
    globalPosition: position,
    recordedAt: '2026-01-01T00:00:00.000Z',
    previousHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  };
}

const established = (communityId: string) =>
  establishmentEvent(
    'CommitteeEstablished',
    { communityId, committeeId: `${communityId}-rc`, name: communityId, areaIds: [`${communityId}-a`] },
    '2015-01-01',
  );

describe('EstablishmentReactions (ELECT-4)', () => {
  let store: SqliteEventStore;
  let states: StaffingStates;
  let reactions: ReactionConsumer<StaffingCommand>;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    states = new StaffingStates(store, DEFAULT_STAFFING_POLICY);
    const bus = {
      execute: (c: Decide) =>
        states.decide(c.district, { ...c.envelope, command: c.command as StaffingCommand }),
    } as unknown as CommandBus;
    reactions = await establishmentReactions.useFactory('staffing-elections', new InMemoryInbox(), bus);
  });
  afterEach(async () => {
    await store.close();
  });

  const calendar = (on: string) =>
    states.read('chengguan', (s) =>
      electionCalendar(viewAsOf(s.facts, on), on).map((e) => [e.committeeId, e.kind]),
    );
  const stored = async () => (await store.readStream('district-chengguan')).map((e) => e.type);

  it('ELECT-4 maps each establishment event to its commands, deterministically', () => {
    const e = established('east');
    expect(commandsFor(e)).toEqual([
      {
        type: 'CallElection',
        data: {
          electionId: `el-${e.eventId}-0`,
          committeeId: 'east-rc',
          communityId: 'east',
          reason: 'new-committee',
          endsTermsOfCommitteeIds: [],
        },
      },
    ]);
    expect(commandsFor(e)).toEqual(commandsFor(e));
    const dissolved = establishmentEvent(
      'CommitteeDissolved',
      { communityId: 'east', committeeId: 'east-rc', reason: '撤销', areaIds: ['east-a'] },
      '2016-01-01',
    );
    expect(commandsFor(dissolved)).toEqual([
      { type: 'EndTerms', data: { committeeId: 'east-rc', reason: 'dissolution' } },
    ]);
    expect(
      commandsFor(establishmentEvent('CommitteeRenamed', { communityId: 'east' }, '2016-01-01')),
    ).toEqual([]);
  });

  it('ELECT-4 a new committee’s election, a merger superseding it, a dissolution cancelling what is left; every message again changes nothing', async () => {
    const messages = [established('east'), established('west')];
    for (const m of messages) await reactions.react(m);
    expect(await calendar('2015-01-02')).toEqual([
      ['east-rc', 'called-election'],
      ['west-rc', 'called-election'],
    ]);

    const merged = establishmentEvent(
      'CommitteesMerged',
      {
        sourceCommunityIds: ['east', 'west'],
        sourceCommitteeIds: ['east-rc', 'west-rc'],
        result: { communityId: 'merged', committeeId: 'merged-rc', name: '合并', areaIds: [] },
        absorbed: false,
      },
      '2015-07-01',
    );
    messages.push(merged);
    await reactions.react(merged);
    expect(await calendar('2015-07-02')).toEqual([['merged-rc', 'called-election']]);

    const dissolved = establishmentEvent(
      'CommitteeDissolved',
      { communityId: 'merged', committeeId: 'merged-rc', reason: '撤销', areaIds: [] },
      '2016-01-01',
    );
    messages.push(dissolved);
    await reactions.react(dissolved);
    expect(await calendar('2016-01-02')).toEqual([]);
    const types = await stored();
    expect(types).toEqual([
      'ElectionCalled',
      'ElectionCalled',
      'ElectionCancelled',
      'ElectionCancelled',
      'ElectionCalled',
      'ElectionCancelled',
    ]);

    for (const m of [...messages, ...messages]) await reactions.react(m);
    expect(await stored()).toEqual(types);
  });

  it('EST-8 ELECT-4 a DecisionCorrected moving an establishment moves the election called for it, as of every date; the message again changes nothing', async () => {
    const e = established('east');
    await reactions.react(e);
    const correction = establishmentEvent(
      'DecisionCorrected',
      {
        correctsEventId: e.eventId,
        correctsType: 'CommitteeEstablished',
        reason: '成立文件日期录入错误',
        correctedEffectiveAt: '2015-03-01',
        correctedLegalBasis: null,
        annulled: false,
        coverageFindings: [],
      },
      '2016-02-01',
    );
    expect(commandsFor(correction)).toEqual([
      {
        type: 'FollowEstablishmentCorrection',
        data: expect.objectContaining({
          correctionEventId: correction.eventId,
          correctsEventId: e.eventId,
          correctedEffectiveAt: '2015-03-01',
          correctedBy: 'official-li-cg',
        }),
      },
    ]);
    await reactions.react(correction);
    const dues = (on: string) =>
      states.read('chengguan', (s) =>
        electionCalendar(viewAsOf(s.facts, on), on).map((x) => [x.committeeId, x.dueOn, x.status]),
      );
    expect(await dues('2014-12-31')).toEqual([]);
    expect(await dues('2015-02-01')).toEqual([]);
    expect(await dues('2015-04-15')).toEqual([['east-rc', '2015-05-30', 'due']]);
    expect(await dues('2015-06-01')).toEqual([['east-rc', '2015-05-30', 'overdue']]);
    const types = await stored();
    expect(types).toEqual(['ElectionCalled', 'EstablishmentCorrectionFollowed']);
    await reactions.react(correction);
    await reactions.react(e);
    expect(await stored()).toEqual(types);
  });

  it('ELECT-4 an event of another district’s stream or of no known district is ignored', async () => {
    await reactions.react({ ...established('east'), streamId: 'district-atlantis' });
    expect(await stored()).toEqual([]);
  });

  it('PERSONAL-DATA: a copied id holding a national identity number, or a copied legal basis holding one, elects nothing', async () => {
    // 620102199001011233: a right ISO 7064 MOD 11-2 check digit. Such an event predates the
    // establishment service's own refusal; its reaction must not carry the number here.
    await reactions.react(established('620102199001011233'));
    await reactions.react({
      ...established('east'),
      metadata: { ...established('east').metadata, legalBasis: '申请人身份证 620102199001011233' },
    });
    await reactions.react({
      ...established('west'),
      metadata: { ...established('west').metadata, legalBasis: '申请人出生日期 1990-01-01' },
    });
    expect(await stored()).toEqual([]);
    await reactions.react(established('north'));
    expect(await stored()).toEqual(['ElectionCalled']);
  });
});
