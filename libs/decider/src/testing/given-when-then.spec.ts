import { z } from 'zod';
import { RuleViolation, type Decider, type DomainEvent } from '../index';
import { DeciderHistory, commandFrom, eventIdFor } from './given-when-then';

/** A tally of votes: the smallest decider that exercises given, when and then. */
type Counted = DomainEvent<'Counted', { votes: number }>;
type Count = { type: 'Count'; data: { votes: number } };
interface Tally {
  total: number;
  seen: string[];
}
const SCHEMAS = { Count: z.object({ votes: z.number().int().default(1) }) };
const command = commandFrom<typeof SCHEMAS, Count>(SCHEMAS);
const official = { subject: 'clerk', roles: ['officer'], districtScope: 'chengguan' };

const tally = (decide: Decider<Count, Counted, Tally>['decide']) =>
  new DeciderHistory<Count, Counted, Tally>(
    {
      initialState: () => ({ total: 0, seen: [] }),
      evolve: (s, e, ctx) => ({
        total: s.total + e.data.votes,
        seen: [...s.seen, `${ctx.eventId}@${ctx.effectiveAt}`],
      }),
      decide,
    },
    { official, untouched: (s) => s },
  );
const honest = (c: Count, s: Tally): Counted[] => {
  if (s.total + c.data.votes > 3) throw new RuleViolation('ELECT-T', 'more votes than voters');
  return [{ type: 'Counted', data: c.data, ruleIds: ['ELECT-T'] }];
};

describe('the shared given/when/then', () => {
  it('folds the given events with evolve under one envelope per decision, ids counted from 1', () => {
    const h = tally(honest);
    h.run(command('Count', {}), '2013-05-01');
    const recorded = h.append('2013-06-01', [{ type: 'Counted', data: { votes: 1 }, ruleIds: [] }]);
    expect(h.state).toEqual({
      total: 2,
      seen: [`${eventIdFor(1)}@2013-05-01`, `${eventIdFor(2)}@2013-06-01`],
    });
    expect(recorded[0]).toMatchObject({
      eventId: eventIdFor(2),
      correlationId: 'corr-2',
      legalBasis: '城关区民发〔2013〕2号',
    });
  });

  it('then: accepted events with their rule id, or the refusal with its rule id; each fails on the other', () => {
    const h = tally(honest);
    h.attempt(command('Count', { votes: 2 }), '2013-05-01', () => null).thenEvents('ELECT-T', [
      { type: 'Counted', data: { votes: 2 } },
    ]);
    const refused = h.attempt(command('Count', { votes: 4 }), '2013-05-01', () => null);
    refused.thenRefused('ELECT-T');
    expect(() => refused.thenRefused('ELECT-U')).toThrow();
    expect(() => refused.thenAccepted()).toThrow(RuleViolation);
    const accepted = h.attempt(command('Count', {}), '2013-05-01', () => null);
    expect(() => accepted.thenRefused('ELECT-T')).toThrow();
    expect(() => accepted.thenEvents('ELECT-U', [{ type: 'Counted', data: { votes: 1 } }])).toThrow();
    expect(() => accepted.thenEvents('ELECT-T', [{ type: 'Counted', data: { votes: 2 } }])).toThrow();
  });

  it('andRecord goes on with the story; a decide that changes its state is caught', () => {
    const h = tally(honest);
    h.attempt(command('Count', { votes: 3 }), '2013-05-01', (events) =>
      h.append('2013-05-01', events),
    ).andRecord();
    expect(h.state.total).toBe(3);
    const impure = tally((c, s) => {
      s.total += 1;
      return honest(c, s);
    });
    expect(() => impure.attempt(command('Count', {}), '2013-05-01', () => null)).toThrow(/changed the state/);
  });
});
