import { Logger } from '@nestjs/common';
import { districtOfStream } from '#libs/contracts';
import { NotFound, RuleViolation, type DecisionEnvelope, type RecordedEvent } from '#libs/event-sourcing';
import { InMemoryInbox } from '#libs/messaging';
import { ReactionConsumer } from './reactions';

type Command = { type: string; data: { n: number } };

const published = (streamId: string, eventId = 'e-1'): RecordedEvent => ({
  eventId,
  type: 'CommitteeEstablished',
  schemaVersion: 1,
  data: {},
  metadata: {
    effectiveAt: '2015-01-01',
    actor: { subject: 'official-li-cg', roles: ['officer'], districtScope: '城关区' },
    legalBasis: '城关区政发〔2015〕1号',
    ruleIds: ['EST-8'],
    correlationId: 'c-1',
    causationId: null,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  streamId,
  streamRevision: 0,
  globalPosition: 1,
  recordedAt: '2026-01-01T00:00:00.000Z',
  previousHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
});

describe('a reaction, run by the generic consumer', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function consumer(reaction: (e: RecordedEvent) => Command[], fail?: (c: Command) => Error | undefined) {
    const decided: Array<{ district: string; command: Command; envelope: DecisionEnvelope }> = [];
    const reactions = new ReactionConsumer<Command>({
      service: 'staffing-elections',
      name: 'establishment-reactions',
      from: 'community-establishment',
      reaction,
      inbox: new InMemoryInbox(),
      decide: async (district, command, envelope) => {
        const error = fail?.(command);
        if (error) throw error;
        decided.push({ district: district.code, command, envelope });
      },
    });
    return { reactions, decided };
  }

  it('finds the district from the publishing service’s stream naming in the event catalogue', () => {
    expect(districtOfStream('community-establishment', 'district-chengguan')?.name).toBe('城关区');
    expect(districtOfStream('facility-construction', 'facilities-qilihe')?.name).toBe('七里河区');
    // Another stream of the service, another service's naming, or no district of the registry: none.
    expect(districtOfStream('facility-construction', 'funding-lanzhou')).toBeUndefined();
    expect(districtOfStream('community-establishment', 'facilities-chengguan')).toBeUndefined();
    expect(districtOfStream('community-establishment', 'district-atlantis')).toBeUndefined();
    expect(() => districtOfStream('no-such-service', 'district-chengguan')).toThrow(/no-such-service/);
  });

  it('decides each command in the event’s district, as the reacting service’s system actor caused by the event', async () => {
    const { reactions, decided } = consumer(() => [
      { type: 'CallElection', data: { n: 0 } },
      { type: 'CallElection', data: { n: 1 } },
    ]);
    await reactions.react(published('district-chengguan', 'e-42'));
    expect(decided.map((d) => [d.district, d.command.data.n])).toEqual([
      ['chengguan', 0],
      ['chengguan', 1],
    ]);
    expect(decided[0].envelope).toEqual({
      context: {
        effectiveAt: '2015-01-01',
        actor: { subject: 'system:staffing-elections', roles: ['system'], districtScope: '城关区' },
      },
      legalBasis: '城关区政发〔2015〕1号',
      correlationId: 'c-1',
      causationId: 'e-42',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it('ignores an event of a stream that is no district’s, without asking the reaction', async () => {
    let asked = 0;
    const { reactions, decided } = consumer(() => {
      asked++;
      return [{ type: 'CallElection', data: { n: 0 } }];
    });
    await reactions.react(published('district-atlantis'));
    await reactions.react(published('registry-checkpoint-x'));
    expect([asked, decided.length]).toEqual([0, 0]);
  });

  it('takes a rule’s refusal as the answer and goes on; any other failure is thrown for redelivery', async () => {
    const refusing = consumer(
      () => [0, 1, 2].map((n) => ({ type: 'CallElection', data: { n } })),
      (c) =>
        c.data.n === 0
          ? new RuleViolation('ELECT-4', 'an election is already called')
          : c.data.n === 1
            ? new NotFound('committee', 'east-rc')
            : undefined,
    );
    await refusing.reactions.react(published('district-chengguan'));
    expect(refusing.decided.map((d) => d.command.data.n)).toEqual([2]);

    const failing = consumer(
      () => [{ type: 'CallElection', data: { n: 0 } }],
      () => new Error('SQLITE_BUSY'),
    );
    await expect(failing.reactions.react(published('district-chengguan'))).rejects.toThrow('SQLITE_BUSY');
  });
});
