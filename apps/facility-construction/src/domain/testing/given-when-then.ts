import {
  DeciderHistory,
  commandFrom,
  type CommandInput,
  type Outcome as GenericOutcome,
} from '#libs/decider/testing';
import type { CommandContext } from '#libs/decider';
import {
  FACILITY_COMMAND_SCHEMAS,
  FUNDING_COMMAND_SCHEMAS,
  type FacilityCommand,
  type FacilityCommandType,
  type FundingCommand,
  type FundingCommandType,
} from '../commands';
import { decide, decideFunding } from '../decide';
import type { FacilityEvent, FundingEvent } from '../events';
import { DEFAULT_FACILITY_POLICY, type FacilityPolicy } from '../policy';
import {
  evolve,
  evolveFunding,
  initialFundingState,
  initialState,
  type FacilityState,
  type FundingState,
} from '../state';

/**
 * Given/when/then for the facility and funding deciders (the shared one of #libs/decider/testing,
 * configured with each decider) and the construction project the specs start from.
 */

export { eventIdFor } from '#libs/decider/testing';
export type FacilityInput<T extends FacilityCommandType> = CommandInput<typeof FACILITY_COMMAND_SCHEMAS, T>;
export type FundingInput<T extends FundingCommandType> = CommandInput<typeof FUNDING_COMMAND_SCHEMAS, T>;
export type Outcome<Ev extends FacilityEvent | FundingEvent> = GenericOutcome<Ev, void>;

export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['officer'],
  districtScope: 'chengguan',
} as const;

export const commandContext = (effectiveAt: string): CommandContext => ({ effectiveAt, actor: OFFICIAL });

const facilityCommand = commandFrom<typeof FACILITY_COMMAND_SCHEMAS, FacilityCommand>(
  FACILITY_COMMAND_SCHEMAS,
);
const fundingCommand = commandFrom<typeof FUNDING_COMMAND_SCHEMAS, FundingCommand>(FUNDING_COMMAND_SCHEMAS);

export class Facilities extends DeciderHistory<FacilityCommand, FacilityEvent, FacilityState> {
  constructor(readonly policy: FacilityPolicy = DEFAULT_FACILITY_POLICY) {
    super(
      { initialState, evolve, decide: (cmd, state, ctx) => decide(cmd, state, ctx, policy) },
      { official: OFFICIAL, untouched: (state) => [state.view, state.facts.length] },
    );
  }
  readonly command = facilityCommand;
  record(on: string, events: readonly FacilityEvent[]): void {
    this.append(on, events);
  }
  do<T extends FacilityCommandType>(type: T, data: FacilityInput<T>, on: string): FacilityEvent[] {
    return this.run(facilityCommand(type, data), on).map((r) => r.event);
  }
  when<T extends FacilityCommandType>(type: T, data: FacilityInput<T>, on: string): Outcome<FacilityEvent> {
    return this.attempt(facilityCommand(type, data), on, (events) => this.record(on, events));
  }
}

export class Funding extends DeciderHistory<FundingCommand, FundingEvent, FundingState> {
  constructor() {
    super(
      { initialState: initialFundingState, evolve: evolveFunding, decide: decideFunding },
      { official: OFFICIAL, untouched: (state) => state.facts.length },
    );
  }
  readonly command = fundingCommand;
  record(on: string, events: readonly FundingEvent[]): void {
    this.append(on, events);
  }
  do<T extends FundingCommandType>(type: T, data: FundingInput<T>, on: string): FundingEvent[] {
    return this.run(fundingCommand(type, data), on).map((r) => r.event);
  }
  when<T extends FundingCommandType>(type: T, data: FundingInput<T>, on: string): Outcome<FundingEvent> {
    return this.attempt(fundingCommand(type, data), on, (events) => this.record(on, events));
  }
}

// ---- the story: 雁滩新苑 (yantan-xinyuan), a new estate of 城关区 ---------------------------------

export const PROJECT = {
  projectId: 'p-ytxy',
  name: '雁滩新苑住宅小区',
  developer: '兰州雁滩置业有限公司',
  communityId: 'yantan-xinyuan',
  plannedHouseholds: 2000,
  // FAC-1: max(0.2 × 2000, 350) = 400 m²
  plannedSpaceM2: 420,
};

export const opinion = (stage: 'design' | 'review' | 'construction' | 'acceptance', consultee: string) => ({
  projectId: PROJECT.projectId,
  stage,
  consultee: consultee as 'civil-affairs',
  opinion: 'favourable' as const,
  summary: `${consultee} ${stage} 意见`,
});

/** A registered project (2012-03-01) with both review opinions (2012-05-01). */
export function registered(f = new Facilities(), plan: Partial<typeof PROJECT> = {}): Facilities {
  f.do('RegisterConstructionProject', { ...PROJECT, ...plan }, '2012-03-01');
  f.do('RecordConsultation', opinion('review', 'civil-affairs'), '2012-05-01');
  f.do('RecordConsultation', opinion('review', 'sub-district-office'), '2012-05-01');
  return f;
}

/** Approved (2012-06-01), under construction (2012-09-01), acceptance opinions on record (2014-05-01). */
export function underConstruction(f = registered()): Facilities {
  f.do('ReviewPlanning', { projectId: PROJECT.projectId, reviewer: '兰州市规划局' }, '2012-06-01');
  f.do('StartConstruction', { projectId: PROJECT.projectId }, '2012-09-01');
  f.do('RecordConsultation', opinion('acceptance', 'civil-affairs'), '2014-05-01');
  f.do('RecordConsultation', opinion('acceptance', 'sub-district-office'), '2014-05-01');
  return f;
}
