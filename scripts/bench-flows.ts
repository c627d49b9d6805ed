import { randomUUID } from 'node:crypto';
import { handleCommand, StateCache, type Decider, type EventStore } from '#libs/event-sourcing';
import { DISTRICTS } from '#libs/contracts';
import {
  addDays,
  districtStreamId,
  type DistrictState,
  type EstablishmentCommand,
  type EstablishmentEvent,
} from '../apps/community-establishment/src/domain';

/**
 * Realistic command flows of the establishment service, driven through the store port with
 * handleCommand (no HTTP), to give the replay benchmark a log of meaningful size. Every district
 * gets "blocks": a committee founded with three areas, its Party organization and service station,
 * posts and a delegated task, a new estate under a residents' group, then proxy management, an
 * occupancy report crossing 50% (EST-2 obligation), its own committee, then routine reports and
 * household updates, posts coming and going, a rename and now and then a correction (EST-8).
 *
 * Effective dates only move forward within a district, as in day-to-day work, so evolve takes its
 * incremental path (a backfill refolds the whole district, which is not the common case).
 */

export type EstablishmentDecider = Decider<EstablishmentCommand, EstablishmentEvent, DistrictState>;

// ---- the single-event command workload ------------------------------------------------------

/** A district and the areas single-event commands are spread over. */
export interface Target {
  readonly code: string;
  readonly name: string;
  readonly areaIds: readonly string[];
}

export interface SingleEventCommand {
  readonly district: string;
  readonly path: string;
  /** The HTTP body. */
  readonly body: { effectiveAt: string; legalBasis: string } & Record<string, unknown>;
  /** The same command for handleCommand. */
  readonly command: EstablishmentCommand;
}

/**
 * The i-th command: round-robin over the districts, then over their areas; alternately an occupancy
 * report (OccupancyReported) and a household update (AreaHouseholdsUpdated), one event each. The
 * occupancy (100..199) never exceeds the households (200 and more) of any area it is sent to.
 */
export function singleEventCommand(
  i: number,
  effectiveAt: string,
  targets: readonly Target[],
): SingleEventCommand {
  const d = targets[i % targets.length];
  const round = Math.floor(i / targets.length);
  const areaId = d.areaIds[round % d.areaIds.length];
  const base = `/api/districts/${d.code}/areas/${areaId}`;
  if (round % 2 === 0) {
    const occupiedHouseholds = 100 + (i % 100);
    return {
      district: d.code,
      path: `${base}/occupancy-reports`,
      body: {
        effectiveAt,
        legalBasis: `${d.name}街道办入住率报告${effectiveAt.slice(0, 7)}`,
        occupiedHouseholds,
      },
      command: { type: 'ReportOccupancy', data: { areaId, occupiedHouseholds } },
    };
  }
  const households = 400 + (i % 200);
  return {
    district: d.code,
    path: `${base}/households`,
    body: {
      effectiveAt,
      legalBasis: `${d.name}民政局〔${effectiveAt.slice(0, 4)}〕${100 + (i % 900)}号`,
      households,
    },
    command: { type: 'UpdateAreaHouseholds', data: { areaId, households } },
  };
}

// ---- realistic flows -------------------------------------------------------------------------

export interface FlowResult {
  readonly commands: number;
  readonly events: number;
}

/** Routine single-event commands per block: the bulk of a district's day-to-day history. */
const ROUTINE_PER_BLOCK = 40;
/** Every n-th block of a district corrects the legal basis of an earlier decision. */
const CORRECTION_EVERY = 4;
/** Effective dates advance by one day every n commands of a district. */
const COMMANDS_PER_DAY = 3;

interface DistrictCursor {
  readonly code: string;
  readonly name: string;
  block: number;
  commands: number;
  date: string;
}

export class FlowGenerator {
  private readonly cache = new StateCache<DistrictState>({ maxEntries: 64 });
  private readonly cursors: DistrictCursor[];
  commands = 0;
  events = 0;

  constructor(
    private readonly store: EventStore,
    private readonly decider: EstablishmentDecider,
    startDate: string,
    /** Today in the registry's time zone (RegistryClock): no flow date goes past it. */
    private readonly today: string,
    /** The districts whose streams grow (default: all nine). */
    districts: readonly { readonly code: string; readonly name: string }[] = DISTRICTS,
  ) {
    this.cursors = districts.map((d) => ({
      code: d.code,
      name: d.name,
      block: 0,
      commands: 0,
      date: startDate,
    }));
  }

  /** Every district with the town areas its blocks founded so far (for single-event commands). */
  targets(): Target[] {
    return this.cursors
      .filter((d) => d.block > 0)
      .map((d) => ({
        code: d.code,
        name: d.name,
        areaIds: Array.from({ length: d.block }, (_, b) =>
          [0, 1, 2].map((k) => `${d.code}-c${b}-a${k}`),
        ).flat(),
      }));
  }

  /**
   * Runs rounds of one block per district, at least one round, until at least `events` more are
   * appended; every district ends up with the same number of blocks.
   */
  async appendAtLeast(events: number): Promise<FlowResult> {
    const start = { commands: this.commands, events: this.events };
    do {
      for (const district of this.cursors) await this.block(district);
    } while (this.events - start.events < events);
    return { commands: this.commands - start.commands, events: this.events - start.events };
  }

  private async run(d: DistrictCursor, command: EstablishmentCommand, legalBasis: string): Promise<string[]> {
    if (d.commands > 0 && d.commands % COMMANDS_PER_DAY === 0) {
      const next = addDays(d.date, 1);
      if (next <= this.today) d.date = next;
    }
    d.commands++;
    const result = await handleCommand(
      this.store,
      this.decider,
      districtStreamId(d.code),
      {
        command,
        context: {
          effectiveAt: d.date,
          actor: { subject: `official-${d.code}`, roles: ['officer'], districtScope: d.name },
        },
        legalBasis,
        correlationId: randomUUID(),
        causationId: null,
      },
      { stateCache: this.cache },
    );
    if (result.events.length === 0) throw new Error(`${command.type} in ${d.code} appended nothing`);
    this.commands++;
    this.events += result.events.length;
    return result.events.map((e) => e.eventId);
  }

  private async block(d: DistrictCursor): Promise<void> {
    const b = d.block++;
    const cid = `${d.code}-c${b}`;
    const areas = [0, 1, 2].map((k) => `${cid}-a${k}`);
    const estate = `${cid}-estate`;
    const street = `${d.name.slice(0, 2)}第${(b % 7) + 1}街道`;
    const basis = (n: number) => `${d.name}政发〔${d.date.slice(0, 4)}〕${b * 100 + n}号`;
    const name = `${d.name.slice(0, 2)}第${b + 1}社区`;
    const run = (command: EstablishmentCommand, legalBasis = basis(0)) => this.run(d, command, legalBasis);

    await run({
      type: 'EstablishCommittee',
      data: {
        communityId: cid,
        committeeId: `${cid}-rc`,
        name: `${name}居民委员会`,
        areaIds: [],
        newAreas: areas.map((areaId, k) => ({
          areaId,
          name: `${name}${['东', '西', '北'][k]}片`,
          kind: 'existing-town-area' as const,
          subDistrict: street,
          households: 200 + ((b * 37 + k * 53) % 150),
          adjacentAreaIds: k > 0 ? [areas[k - 1]] : b > 0 ? [`${d.code}-c${b - 1}-a2`] : [],
        })),
      },
    });
    const [partyOrgEvent] = await run(
      { type: 'SetUpPartyOrganization', data: { communityId: cid, name: `中共${name}委员会` } },
      '兰委办发〔2013〕1号',
    );
    await run({ type: 'SetUpServiceStation', data: { communityId: cid, name: `${name}服务站` } });
    for (const [body, post] of [
      ['party-organization', '书记'],
      ['residents-committee', '主任'],
      ['service-station', '站长'],
    ] as const)
      await run({ type: 'AssignPost', data: { personId: `${cid}-p0`, communityId: cid, body, post } });
    await run(this.task(cid, 0));

    // A new estate: residents' group, then proxy management, then its own committee (EST-2, EST-3).
    await run({
      type: 'RegisterArea',
      data: {
        areaId: estate,
        name: `${name}新苑`,
        kind: 'new-residential-estate',
        subDistrict: street,
        households: 800,
        adjacentAreaIds: [areas[2]],
        responsibility: {
          kind: 'residents-group',
          groupId: `${cid}-g1`,
          groupName: `${name}新苑居民小组`,
          attachedToCommunityId: cid,
        },
      },
    });
    await run({ type: 'StartProxyManagement', data: { areaId: estate, byCommunityId: cid } });
    await run({ type: 'ReportOccupancy', data: { areaId: estate, occupiedHouseholds: 200 } });
    await run({ type: 'ReportOccupancy', data: { areaId: estate, occupiedHouseholds: 440 } });
    await run({
      type: 'EstablishCommittee',
      data: {
        communityId: `${cid}-e`,
        committeeId: `${cid}-e-rc`,
        name: `${name}新苑社区居民委员会`,
        areaIds: [estate],
        newAreas: [],
      },
    });

    for (let r = 0; r < ROUTINE_PER_BLOCK; r++) {
      const areaId = areas[r % 3];
      if (r % 8 === 3)
        await run({
          type: 'AssignPost',
          data: { personId: `${cid}-p${r}`, communityId: cid, body: 'residents-committee', post: '委员' },
        });
      else if (r % 8 === 7)
        await run({
          type: 'EndPost',
          data: { personId: `${cid}-p${r - 4}`, communityId: cid, body: 'residents-committee', post: '委员' },
        });
      else if (r === 10 || r === 30) await run(this.task(cid, r));
      else if (r === 20)
        await run({ type: 'RenameCommittee', data: { communityId: cid, name: `${name}（更名）居民委员会` } });
      else if (r % 2 === 0)
        await run(
          { type: 'ReportOccupancy', data: { areaId, occupiedHouseholds: 100 + ((b + r) % 100) } },
          `${street}入住率报告${d.date.slice(0, 7)}`,
        );
      else
        await run({ type: 'UpdateAreaHouseholds', data: { areaId, households: 200 + ((b * 7 + r) % 150) } });
    }

    if (b % CORRECTION_EVERY === CORRECTION_EVERY - 1)
      await run(
        {
          type: 'CorrectDecision',
          data: {
            correctsEventId: partyOrgEvent,
            reason: '原始档案显示文号录入有误',
            correctedLegalBasis: '兰委办发〔2013〕2号',
          },
        },
        `${d.name}民政局档案核查〔${d.date.slice(0, 4)}〕${b}号`,
      );
  }

  private task(communityId: string, n: number): EstablishmentCommand {
    return {
      type: 'DelegateTask',
      data: {
        taskId: `${communityId}-t${n}`,
        communityId,
        department: '区民政局',
        description: '高龄津贴申请受理及资格年审',
        toBody: 'service-station',
        fundingYuanPerYear: 36000,
        fundingSource: '区财政',
        workingConditions: '服务站窗口一个、专用电脑一台',
      },
    };
  }
}
