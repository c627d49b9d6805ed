import {
  DeciderHistory,
  commandFrom,
  type CommandInput as InputOf,
  type DecisionOptions,
  type ExpectedEvent as Expected,
  type Outcome as GenericOutcome,
  type RecordedEvent as Recorded,
} from '#libs/decider/testing';
import type { CommandContext } from '#libs/decider';
import { COMMAND_SCHEMAS, type CommandType, type EstablishmentCommand } from '../commands';
import { decide } from '../decide';
import type { EstablishmentEvent } from '../events';
import { DEFAULT_POLICY, type EstablishmentPolicy } from '../policy';
import { evolve, initialState, type DistrictState, type DistrictView, type Fact } from '../state';

/**
 * The establishment decider's given/when/then (the shared one of #libs/decider/testing, configured
 * with this decider and its policy) and the stories of 城关区 the specs start from. `History.do`
 * runs real commands through decide, so a test reads like the registry's story; `History.record`
 * appends raw events (an archive import, or an event decide would never produce).
 */

export { eventIdFor, type DecisionOptions } from '#libs/decider/testing';
export type CommandInput<T extends CommandType> = InputOf<typeof COMMAND_SCHEMAS, T>;
export type RecordedEvent = Recorded<EstablishmentEvent>;
export type ExpectedEvent = Expected<EstablishmentEvent>;
export type Outcome = GenericOutcome<EstablishmentEvent>;

/** The district of the stories: 城关区, Lanzhou. */
export const DISTRICT = '620102';
export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['district-clerk'],
  districtScope: DISTRICT,
} as const;

/** A command as the HTTP edge would hand it over: parsed by its zod schema, defaults applied. */
export const command = commandFrom<typeof COMMAND_SCHEMAS, EstablishmentCommand>(COMMAND_SCHEMAS);

export const commandContext = (
  effectiveAt: string,
  actor: CommandContext['actor'] = OFFICIAL,
): CommandContext => ({
  effectiveAt,
  actor,
});

export class History extends DeciderHistory<EstablishmentCommand, EstablishmentEvent, DistrictState> {
  constructor(readonly policy: EstablishmentPolicy = DEFAULT_POLICY) {
    super(
      { initialState, evolve, decide: (cmd, state, ctx) => decide(cmd, state, ctx, policy) },
      { official: OFFICIAL, untouched: (state) => [state.view, state.facts.length] },
    );
  }

  get facts(): readonly Fact[] {
    return this.state.facts;
  }

  get view(): DistrictView {
    return this.state.view;
  }

  record(on: string, events: readonly EstablishmentEvent[], options: DecisionOptions = {}): RecordedEvent[] {
    return this.append(on, events, options);
  }

  do<T extends CommandType>(
    type: T,
    data: CommandInput<T>,
    on: string,
    options: DecisionOptions = {},
  ): RecordedEvent[] {
    return this.run(command(type, data), on, options);
  }

  when<T extends CommandType>(type: T, data: CommandInput<T>, on: string): Outcome {
    return this.attempt(command(type, data), on, (events, options) => this.append(on, events, options));
  }
}

/** An empty district. */
export const history = (policy: EstablishmentPolicy = DEFAULT_POLICY): History => new History(policy);

/** A district whose past is these decisions, each a list of raw events with its effective date. */
export function given(
  decisions: readonly { on: string; events: readonly EstablishmentEvent[]; legalBasis?: string }[],
  policy: EstablishmentPolicy = DEFAULT_POLICY,
): History {
  const h = new History(policy);
  for (const d of decisions) h.record(d.on, d.events, { legalBasis: d.legalBasis });
  return h;
}

/** Ids of the recorded events of one decision, by type. */
export function idOf(recorded: readonly RecordedEvent[], type: EstablishmentEvent['type']): string {
  const found = recorded.find((r) => r.event.type === type);
  if (!found) throw new Error(`no ${type} among ${recorded.map((r) => r.event.type).join(', ')}`);
  return found.eventId;
}

/**
 * The story's opening, in 城关区: two communities whose committees the archive dates to 2005.
 * 东方红 (dongfanghong) covers the old town area a-dfh (600 households) in 雁滩街道; 皋兰路
 * (gaolanlu) covers a-glr (500 households) in 皋兰路街道, not adjacent to 雁滩.
 */
export function chengguan(policy: EstablishmentPolicy = DEFAULT_POLICY): History {
  const h = history(policy);
  h.do(
    'EstablishCommittee',
    {
      communityId: 'dongfanghong',
      committeeId: 'dfh-rc',
      name: '东方红社区居民委员会',
      newAreas: [
        {
          areaId: 'a-dfh',
          name: '东方红老城片区',
          kind: 'existing-town-area',
          subDistrict: '雁滩街道',
          households: 600,
        },
      ],
    },
    '2005-03-01',
  );
  h.do(
    'EstablishCommittee',
    {
      communityId: 'gaolanlu',
      committeeId: 'glr-rc',
      name: '皋兰路社区居民委员会',
      newAreas: [
        {
          areaId: 'a-glr',
          name: '皋兰路片区',
          kind: 'existing-town-area',
          subDistrict: '皋兰路街道',
          households: 500,
        },
      ],
    },
    '2005-03-01',
  );
  return h;
}

/** Registers the new estate 雁滩新苑 (a-ytxy, 800 households) next to a-dfh, under a residents' group. */
export function withNewEstate(h: History, on = '2012-03-01', households = 800): History {
  h.do(
    'RegisterArea',
    {
      areaId: 'a-ytxy',
      name: '雁滩新苑',
      kind: 'new-residential-estate',
      subDistrict: '雁滩街道',
      households,
      adjacentAreaIds: ['a-dfh'],
      responsibility: {
        kind: 'residents-group',
        groupId: 'g-ytxy',
        groupName: '雁滩新苑居民小组',
        attachedToCommunityId: 'dongfanghong',
      },
    },
    on,
  );
  return h;
}

/** The merger of 东方红 and 皋兰路 used by the EST-7 and EST-8 stories. */
export const merger = {
  sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
  communityId: 'dongfang-gaolan',
  committeeId: 'dg-rc',
  name: '东方红皋兰路社区居民委员会',
};

/** 东方红 with a second area of its own, a-dfh-west (300 households), next to a-dfh. */
export function withWestArea(h: History): History {
  h.do(
    'RegisterArea',
    {
      areaId: 'a-dfh-west',
      name: '东方红西片',
      kind: 'existing-town-area',
      subDistrict: '雁滩街道',
      households: 300,
      adjacentAreaIds: ['a-dfh'],
      responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
    },
    '2008-01-01',
  );
  return h;
}
