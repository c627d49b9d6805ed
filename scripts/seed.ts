import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CommandBus } from '@nestjs/cqrs';
import type { z } from 'zod';
import { DISTRICTS } from '#libs/contracts';
import type { DecisionResult } from '#libs/event-sourcing';
import { SERVICE_METRICS, startServices, type RunningService, type ServiceMetrics } from '#libs/http';
import { CONSUMER_INBOX, Decide } from '#libs/hosting';
import { openEmbeddedBus, type Inbox } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { COMMAND_SCHEMAS as ESTABLISHMENT_SCHEMAS } from '../apps/community-establishment/src/domain';
import { COMMAND_SCHEMAS as STAFFING_SCHEMAS } from '../apps/staffing-elections/src/domain';
import { FACILITY_COMMAND_SCHEMAS } from '../apps/facility-construction/src/domain';

/*
 * `npm run seed -- --scale small|lanzhou-10|lanzhou-40|lanzhou [--data-dir D]`: a plausible history of the registry,
 * 2005-2026, decided through the services' own command path (the CommandBus `Decide` of every
 * service, the reactions of staffing and facility following the establishment's events), never by
 * writing rows. Deterministic: the history is a pure function of the scale (a seeded PRNG, ids and
 * idempotency keys derived from the position in the sequence), so a rerun on the same data
 * directory skips the commands already decided (seed-progress.json beside the stores) and ends with
 * the same history.
 *
 * Reactions and the seed's own staffing and facility commands write the same streams; before each
 * staffing or facility command the seed waits until both reactions have handled the establishment's
 * latest event, so the order within every stream is the same on every run.
 */

export interface Scale {
  readonly districts: readonly { readonly code: string; readonly name: string; readonly blocks: number }[];
  /** Town areas a block's first committee is founded with (plus one new estate per block). */
  readonly townAreas: number;
  /** Community workers hired per block. */
  readonly workers: number;
  /** Routine area updates per block and year. */
  readonly routinePerYear: number;
}

const district = (code: string) => DISTRICTS.find((d) => d.code === code)!;

/** The full city: nine districts and counties, 550 blocks of 20 areas and 20 workers each. */
const LANZHOU: Scale = {
  districts: [
    { ...district('chengguan'), blocks: 250 },
    { ...district('qilihe'), blocks: 80 },
    { ...district('xigu'), blocks: 50 },
    { ...district('anning'), blocks: 50 },
    { ...district('honggu'), blocks: 20 },
    { ...district('yongdeng'), blocks: 25 },
    { ...district('gaolan'), blocks: 15 },
    { ...district('yuzhong'), blocks: 30 },
    { ...district('lanzhou-new-area'), blocks: 30 },
  ],
  townAreas: 19,
  workers: 20,
  routinePerYear: 60,
};

/**
 * The same districts, years and blocks' lives with a share of every district's blocks (rounded
 * up, at least one): the smaller sizes the growth benchmark compares the full one with.
 */
export function fractionOf(scale: Scale, share: number): Scale {
  return {
    ...scale,
    districts: scale.districts.map((d) => ({ ...d, blocks: Math.max(1, Math.ceil(d.blocks * share)) })),
  };
}

export type ScaleName = 'small' | 'lanzhou-10' | 'lanzhou-40' | 'lanzhou';

export const SCALES: Record<ScaleName, Scale> = {
  small: {
    districts: [
      { ...district('chengguan'), blocks: 5 },
      { ...district('qilihe'), blocks: 2 },
      { ...district('anning'), blocks: 2 },
    ],
    townAreas: 3,
    workers: 3,
    routinePerYear: 2,
  },
  // 城关区 at 25 blocks: 50 communities, 500 areas.
  'lanzhou-10': fractionOf(LANZHOU, 0.1),
  // 城关区 at 100 blocks: 200 communities, 2,000 areas.
  'lanzhou-40': fractionOf(LANZHOU, 0.4),
  // About 1,100 communities (a block founds two, its splits and merges add and end some), 500 of
  // them in 城关区 (5,000 areas there); 20 areas and 20 workers a block: 11,000 of each.
  lanzhou: LANZHOU,
};

/** Whether a name is one of the seed's scales. */
export const isScaleName = (name: string): name is ScaleName => Object.hasOwn(SCALES, name);

export const FIRST_YEAR = 2005;
export const LAST_YEAR = 2026;
/** Blocks are founded over these years; the rest of the history is their day-to-day work. */
const FOUNDING_YEARS = 12;

type ServiceName = 'community-establishment' | 'staffing-elections' | 'facility-construction';

/** One command of the seed: which service decides it, where, when, and its idempotency key. */
export interface SeedCommand {
  readonly service: ServiceName;
  readonly district: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly effectiveAt: string;
  readonly legalBasis: string;
  /** Derived from the command's place in the sequence: its events' ids follow from it. */
  readonly key: string;
}

const SCHEMAS: Record<ServiceName, Record<string, z.ZodType>> = {
  'community-establishment': ESTABLISHMENT_SCHEMAS,
  'staffing-elections': STAFFING_SCHEMAS,
  'facility-construction': FACILITY_COMMAND_SCHEMAS,
};

/** mulberry32: small, fast and seeded; Math.random would make every run a different history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The id of the event of a type an establishment command (by its idempotency key) appended: the
 * seed names the elections the reactions call (`el-<event id>-<part>`) and the decisions it
 * corrects by it. The store derives event ids from the key, so they are the same on every run.
 */
export type EventIdOf = (key: string, type: string) => string;

interface Block {
  readonly d: { readonly code: string; readonly name: string };
  readonly b: number;
  readonly founded: number;
  readonly cid: string;
  readonly towns: string[];
  readonly estate: string;
  /** The committee of the base community and the year of its next scheduled election. */
  nextElection: number;
  elections: number;
  /** Workers currently employed: person id and the year hired. */
  workers: { personId: string; since: number }[];
  hired: number;
  merged: boolean;
}

/**
 * The whole history as a sequence of commands, year by year; per district the effective dates
 * only move forward. A generator, so that lanzhou scale never holds millions of commands at once.
 */
export function* history(scale: Scale, eventIdOf: EventIdOf): Generator<SeedCommand> {
  const rand = prng(20130101);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  let seq = 0;
  const blocks: Block[] = [];

  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const d of scale.districts) {
      const ops: Omit<SeedCommand, 'effectiveAt' | 'key'>[] = [];
      const est = (
        type: string,
        data: Record<string, unknown>,
        legalBasis = `${d.name}政发〔${year}〕${int(1, 300)}号`,
      ) => ops.push({ service: 'community-establishment', district: d.code, type, data, legalBasis });
      const staff = (type: string, data: Record<string, unknown>) =>
        ops.push({
          service: 'staffing-elections',
          district: d.code,
          type,
          data,
          legalBasis: `${d.name}民政局〔${year}〕${int(1, 300)}号`,
        });
      const fac = (type: string, data: Record<string, unknown>) =>
        ops.push({
          service: 'facility-construction',
          district: d.code,
          type,
          data,
          legalBasis: `${d.name}住建局〔${year}〕${int(1, 300)}号`,
        });
      // Each op gets its date and key below; an establishment op whose events others refer to
      // (an election the reaction calls) carries `after`, run once it is decided (see `estThen`).
      const pending: { op: (typeof ops)[number]; after?: (key: string) => void }[] = [];
      const flush = () => {
        for (const op of ops.splice(0)) pending.push({ op });
      };
      const estThen = (after: (key: string) => void, type: string, data: Record<string, unknown>) => {
        flush();
        est(type, data);
        pending.push({ op: ops.pop()!, after });
      };

      // New blocks of this district founded this year.
      const perYear = Math.ceil(d.blocks / FOUNDING_YEARS);
      const have = blocks.filter((x) => x.d.code === d.code).length;
      const founding = year - FIRST_YEAR < FOUNDING_YEARS ? Math.min(perYear, d.blocks - have) : 0;
      const mine = blocks.filter((x) => x.d.code === d.code);
      const elect = (blk: { cid: string }, electionId: string, n: number) => {
        // ELECT-5: a turnout and majorities well past the thresholds, so the election is valid.
        const voters = int(1500, 2500);
        const cast = Math.floor(voters * 0.85);
        staff('RegisterElectorate', { electionId, mode: 'all-voters', registeredVoters: voters });
        const members = ['chair', 'vice-chair', 'member', 'member', 'member', 'member', 'member'].map(
          (role, i) => ({
            personId: `${blk.cid}-e${n}-p${i}`,
            role,
            woman: i === 1 || i === 4,
            ethnicMinority: i === 2,
          }),
        );
        staff('RecordElectionResults', {
          electionId,
          votesCast: cast,
          candidates: [
            ...members.map((m) => ({ personId: m.personId, votes: cast - int(10, 200) })),
            { personId: `${blk.cid}-e${n}-px`, votes: int(100, 300) },
          ],
          elected: members,
        });
      };

      for (let k = 0; k < founding; k++) {
        const b = have + k;
        const cid = `${d.code}-c${b}`;
        const blk: Block = {
          d,
          b,
          founded: year,
          cid,
          towns: Array.from({ length: scale.townAreas }, (_, a) => `${cid}-a${a}`),
          estate: `${cid}-estate`,
          nextElection: year + 2,
          elections: 1,
          workers: [],
          hired: 0,
          merged: false,
        };
        const name = `${d.name.slice(0, 2)}第${b + 1}社区`;
        const street = `${d.name.slice(0, 2)}第${(b % 9) + 1}街道`;
        const prev = mine.at(-1) ?? blocks.filter((x) => x.d.code === d.code).at(-1);
        estThen(
          (key) => {
            elect(blk, `el-${eventIdOf(key, 'CommitteeEstablished')}-0`, 0);
          },
          'EstablishCommittee',
          {
            communityId: cid,
            committeeId: `${cid}-rc`,
            name: `${name}居民委员会`,
            newAreas: blk.towns.map((areaId, a) => ({
              areaId,
              name: `${name}${a + 1}片`,
              kind: 'existing-town-area',
              subDistrict: street,
              households: int(200, 600),
              adjacentAreaIds: a > 0 ? [blk.towns[a - 1]] : prev ? [prev.towns.at(-1)] : [],
            })),
          },
        );
        est('SetUpPartyOrganization', { communityId: cid, name: `中共${name}委员会` }, '兰委办发〔2013〕1号');
        est('SetUpServiceStation', { communityId: cid, name: `${name}服务站` });
        for (const [body, post] of [
          ['party-organization', '书记'],
          ['residents-committee', '主任'],
          ['service-station', '站长'],
        ])
          est('AssignPost', { personId: `${cid}-e0-p0`, communityId: cid, body, post });
        est('DelegateTask', {
          taskId: `${cid}-t0`,
          communityId: cid,
          department: '区民政局',
          description: '高龄津贴申请受理及资格年审',
          fundingYuanPerYear: 36000,
          fundingSource: '区财政',
          workingConditions: '服务站窗口一个、专用电脑一台',
        });
        fac('RecordExistingFacility', {
          communityId: cid,
          facilityId: `${cid}-f0`,
          areaM2: int(150, 500),
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
        });
        // A new estate: planned and built (FAC-1..3), then a residents' group, proxy management,
        // occupancy past 50% and its own committee (EST-2, EST-3).
        const project = `${cid}-pj`;
        const households = int(600, 1500);
        fac('RegisterConstructionProject', {
          projectId: project,
          name: `${name}新苑住宅小区`,
          developer: `兰州${name.slice(0, 2)}置业有限公司`,
          communityId: `${cid}-e`,
          plannedHouseholds: households,
          plannedSpaceM2: Math.max(350, Math.ceil(households * 0.25)),
        });
        for (const stage of ['design', 'review'])
          for (const consultee of ['civil-affairs', 'sub-district-office'])
            fac('RecordConsultation', {
              projectId: project,
              stage,
              consultee,
              opinion: 'favourable',
              summary: '同意',
            });
        fac('ReviewPlanning', { projectId: project, reviewer: '兰州市规划局' });
        fac('StartConstruction', { projectId: project });
        for (const consultee of ['civil-affairs', 'sub-district-office'])
          fac('RecordConsultation', {
            projectId: project,
            stage: 'acceptance',
            consultee,
            opinion: 'favourable',
            summary: '验收意见',
          });
        fac('InspectAcceptance', {
          projectId: project,
          builtSpaceM2: Math.max(350, Math.ceil(households * 0.25)),
          inspector: `${d.name}民政局`,
        });
        fac('AssignBuildingNames', { projectId: project, buildingNames: ['1号楼', '2号楼', '3号楼'] });
        est('RegisterArea', {
          areaId: blk.estate,
          name: `${name}新苑`,
          kind: 'new-residential-estate',
          subDistrict: street,
          households,
          adjacentAreaIds: [blk.towns.at(-1)],
          responsibility: {
            kind: 'residents-group',
            groupId: `${cid}-g1`,
            groupName: `${name}新苑居民小组`,
            attachedToCommunityId: cid,
          },
        });
        est('StartProxyManagement', { areaId: blk.estate, byCommunityId: cid });
        est('ReportOccupancy', { areaId: blk.estate, occupiedHouseholds: Math.floor(households / 4) });
        est('ReportOccupancy', { areaId: blk.estate, occupiedHouseholds: Math.floor((households * 3) / 5) });
        estThen(
          (key) => elect({ cid: `${cid}-e` }, `el-${eventIdOf(key, 'CommitteeEstablished')}-0`, 0),
          'EstablishCommittee',
          {
            communityId: `${cid}-e`,
            committeeId: `${cid}-e-rc`,
            name: `${name}新苑社区居民委员会`,
            areaIds: [blk.estate],
          },
        );
        fac('HandOverFacility', {
          projectId: project,
          facilityId: `${cid}-e-f0`,
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
          functions: ['affairs-hall', 'office'],
        });
        blocks.push(blk);
        mine.push(blk);
      }

      // Day-to-day work of every block founded before this year.
      const older = mine.filter((x) => x.founded < year);
      if (older.length > 0)
        staff('RecordAverageWage', { year: year - 1, averageAnnualWageYuan: 30000 + (year - 2005) * 3500 });
      for (const blk of older) {
        for (let r = 0; r < scale.routinePerYear; r++) {
          const areaId = blk.towns[int(0, blk.towns.length - 1)];
          if (r % 2 === 0) est('UpdateAreaHouseholds', { areaId, households: int(200, 600) });
          else est('ReportOccupancy', { areaId, occupiedHouseholds: int(100, 199) });
        }
        // Workers: hired over the block's first years, paid every year, some leave and are replaced.
        const want = Math.min(scale.workers, Math.ceil((scale.workers * (year - blk.founded)) / 3));
        while (blk.workers.length < want) {
          const personId = `${blk.cid}-w${blk.hired++}`;
          blk.workers.push({ personId, since: year });
          staff('HireWorker', {
            personId,
            communityId: blk.cid,
            post: '社区工作者',
            collegeGraduate: blk.hired % 3 === 1,
          });
        }
        // STAFF-3: last year's pay, of those who worked last year.
        for (const { personId } of blk.workers.filter((w) => w.since < year))
          staff('RecordPay', {
            personId,
            year: year - 1,
            annualPayYuan: 30000 + (year - 2005) * 3500 + int(-2000, 6000),
            insurances: ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'],
            housingFund: rand() < 0.8,
          });
        // STAFF-2: the annual health check of last year.
        for (const { personId } of blk.workers.filter((w) => w.since < year))
          staff('RecordWelfare', { personId, year: year - 1, kind: 'health-check' });
        if (blk.workers.length > 2 && rand() < 0.3) {
          const gone = blk.workers.splice(int(0, blk.workers.length - 1), 1)[0];
          staff('WorkerLeaves', { personId: gone.personId, reason: rand() < 0.5 ? 'resigned' : 'retired' });
        }
        // Scheduled elections of the base committee, called in the last year of the term in office
        // (ELECT-2: 3 years, 5 for those elected from 2019).
        if (year >= blk.nextElection) {
          const n = blk.elections++;
          const electionId = `${blk.cid}-el${n}`;
          staff('CallElection', {
            electionId,
            committeeId: `${blk.cid}-rc`,
            communityId: blk.cid,
            reason: 'schedule',
          });
          elect(blk, electionId, n);
          blk.nextElection = year + (year >= 2019 ? 4 : 2);
        }
        // EST-8: every fourth block, two years on, corrects the legal basis of its founding.
        if (blk.b % 4 === 3 && year === blk.founded + 2) {
          const correctsEventId = eventIdOf(`seed-${blk.cid}-found`, 'CommitteeEstablished');
          est(
            'CorrectDecision',
            {
              correctsEventId,
              reason: '原始档案显示文号录入有误',
              correctedLegalBasis: `${d.name}政发〔${blk.founded}〕1号`,
            },
            `${d.name}民政局档案核查〔${year}〕${blk.b}号`,
          );
        }
        // EST-8: a split of the base community three years on; a merger of two estates' communities.
        if (blk.b % 5 === 1 && year === blk.founded + 3 && blk.towns.length >= 2) {
          const half = Math.ceil(blk.towns.length / 2);
          estThen(
            (key) => {
              // ELECT-4: the reaction calls an election for every part, the continuing one too.
              elect(blk, `el-${eventIdOf(key, 'CommitteeSplit')}-0`, blk.elections++);
              blk.nextElection = year + (year >= 2019 ? 4 : 2);
              elect({ cid: `${blk.cid}-s` }, `el-${eventIdOf(key, 'CommitteeSplit')}-1`, 0);
            },
            'SplitCommittee',
            {
              sourceCommunityId: blk.cid,
              parts: [
                {
                  communityId: blk.cid,
                  committeeId: `${blk.cid}-rc`,
                  name: `${blk.cid}居民委员会`,
                  areaIds: blk.towns.slice(0, half),
                },
                {
                  communityId: `${blk.cid}-s`,
                  committeeId: `${blk.cid}-s-rc`,
                  name: `${blk.cid}南居民委员会`,
                  areaIds: blk.towns.slice(half),
                },
              ],
            },
          );
          blk.towns.splice(half);
        }
        const partner = mine.find((x) => x.b === blk.b - 1);
        if (blk.b % 5 === 4 && partner && !partner.merged && year === blk.founded + 4) {
          partner.merged = blk.merged = true;
          estThen(
            (key) => elect({ cid: `${blk.cid}-m` }, `el-${eventIdOf(key, 'CommitteesMerged')}-0`, 0),
            'MergeCommittees',
            {
              sourceCommunityIds: [`${partner.cid}-e`, `${blk.cid}-e`],
              communityId: `${blk.cid}-m`,
              committeeId: `${blk.cid}-m-rc`,
              name: `${blk.cid}合并社区居民委员会`,
            },
          );
        }
      }
      flush();

      // Dates: evenly over the year (up to today's month in the last year), in the order decided.
      const days = year === LAST_YEAR ? 150 : 360;
      let lastDay = 0;
      for (let i = 0; i < pending.length; i++) {
        // Never backwards, though the results of an election join the list as it is dated.
        const day = (lastDay = Math.max(lastDay, Math.floor((i * days) / pending.length)));
        const effectiveAt = `${year}-${pad(1 + Math.floor(day / 30))}-${pad(1 + (day % 30 > 27 ? 27 : day % 30))}`;
        const { op, after } = pending[i];
        const key =
          op.type === 'EstablishCommittee' && !(op.data.communityId as string).endsWith('-e')
            ? `seed-${op.data.communityId as string}-found`
            : `seed-${seq}`;
        seq++;
        yield { ...op, effectiveAt, key };
        // What the reaction's election needs (its results) comes after it, dated like the rest.
        if (after) {
          const before = ops.length;
          after(key);
          const extra = ops.splice(before);
          pending.splice(i + 1, 0, ...extra.map((o) => ({ op: o })));
        }
      }
    }
  }
}

// ---- the run -------------------------------------------------------------------------------------

export const PROGRESS_FILE = 'seed-progress.json';
const REACTING = ['staffing-elections', 'facility-construction'] as const;
const REACTIONS_CONSUMER = (service: string) => `${service}.establishment-reactions`;

export interface SeedOptions {
  readonly scale: ScaleName;
  readonly dataDir: string;
  /** Stops (cleanly, progress saved) after deciding this many commands in this run. */
  readonly stopAfter?: number;
  readonly log?: (line: string) => void;
  /** Commands of the whole history, for the estimate of the time left. */
  readonly total?: number;
}

export interface SeedResult {
  /** Commands of the whole history decided so far (this run and the ones before). */
  readonly done: number;
  readonly finished: boolean;
  /** Commands decided in this run, events they appended, and the seconds it took. */
  readonly commands: number;
  readonly events: number;
  readonly seconds: number;
  /** Decisions refused or failed, the seed's own and the reactions', by service and command. */
  readonly refusals: Record<string, number>;
  /** Commands of the whole history by service and type (as far as done). */
  readonly byType: Record<string, number>;
}

interface Progress {
  readonly scale: string;
  readonly done: number;
}

/** Event ids by idempotency key and type, read once from the establishment store on a resume. */
function storedEventIds(dataDir: string): Map<string, Map<string, string>> {
  const ids = new Map<string, Map<string, string>>();
  const file = join(dataDir, 'community-establishment.sqlite');
  if (!existsSync(file)) return ids;
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT event_id, type, json_extract(metadata, '$.idempotencyKey') AS k FROM events
         WHERE type IN ('CommitteeEstablished', 'CommitteesMerged', 'CommitteeSplit')`,
      )
      .all() as { event_id: string; type: string; k: string | null }[];
    for (const r of rows) {
      if (!r.k) continue;
      if (!ids.has(r.k)) ids.set(r.k, new Map());
      ids.get(r.k)!.set(r.type, r.event_id);
    }
  } finally {
    db.close();
  }
  return ids;
}

/**
 * Whether a command is already decided: its idempotency key is in the events' metadata. A run
 * stopped hard between an append and the progress file may have decided one command more than the
 * file says; deciding it again would be refused (e.g. STAFF-3: the pay is already recorded).
 */
/** Events the progress file may be behind by: a second of seeding is a few hundred. */
const RESUME_TAIL = 20_000;

function decidedInStore(dataDir: string, cmd: SeedCommand): boolean {
  const file = join(dataDir, `${cmd.service}.sqlite`);
  if (!existsSync(file)) return false;
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (
      db
        // Only the tail: the progress file is written at most a second late, so a command it missed
        // is among the last events; a scan of the whole log per command made a resume take minutes.
        .prepare(
          `SELECT 1 FROM events WHERE global_position > (SELECT coalesce(max(global_position), 0) FROM events) - ${RESUME_TAIL}
             AND json_extract(metadata, '$.idempotencyKey') = ? LIMIT 1`,
        )
        .get(cmd.key) !== undefined
    );
  } finally {
    db.close();
  }
}

/** Refused and failed decisions counted by each service's metrics (its own and its reactions'). */
async function notAccepted(services: readonly RunningService[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of services) {
    const metrics = s.app.get<ServiceMetrics>(SERVICE_METRICS);
    for (const metric of await metrics.registry.getMetricsAsJSON())
      if (metric.name.endsWith('decisions_total'))
        for (const v of metric.values as { value: number; labels: Record<string, string> }[])
          if (v.labels.outcome !== 'accepted' && v.value > 0)
            out[`${s.name} ${String(v.labels.command)} ${v.labels.outcome} ${v.labels.rule ?? ''}`.trim()] =
              v.value;
  }
  return out;
}

export async function runSeed(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const scale = SCALES[options.scale];
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const progressFile = join(dataDir, PROGRESS_FILE);
  const previous: Progress | undefined = existsSync(progressFile)
    ? (JSON.parse(readFileSync(progressFile, 'utf8')) as Progress)
    : undefined;
  if (previous && previous.scale !== options.scale)
    throw new Error(`${dataDir} holds a seed of scale ${previous.scale}, not ${options.scale}`);
  const alreadyDone = previous?.done ?? 0;

  process.env.REGISTRY_DATA_DIR = dataDir;
  const known = alreadyDone > 0 ? storedEventIds(dataDir) : new Map<string, Map<string, string>>();
  const eventIdOf: EventIdOf = (key, type) => {
    const id = known.get(key)?.get(type);
    if (!id) throw new Error(`no ${type} event decided under ${key}`);
    return id;
  };

  const starting = Date.now();
  const services = await startServices(
    [establishmentService(), staffingElectionsService(), facilityConstructionService()].map((d) => ({
      ...d,
      port: 0,
      logLevels: false as const,
    })),
  );
  openEmbeddedBus();
  log(
    `services started in ${((Date.now() - starting) / 1000).toFixed(1)} s` +
      (alreadyDone > 0 ? `; resuming after command ${alreadyDone}` : ''),
  );
  const byName = new Map(services.map((s) => [s.name, s]));
  const bus = (service: string) => byName.get(service)!.app.get(CommandBus);
  const inboxes = REACTING.map((service) => ({
    consumer: REACTIONS_CONSUMER(service),
    inbox: byName.get(service)!.app.get<Inbox>(CONSUMER_INBOX),
  }));

  let lastEstablishmentEvent: string | undefined;
  /** Until both reactions have handled the establishment's latest event (the bus keeps order). */
  const reactionsSettled = async () => {
    if (!lastEstablishmentEvent) return;
    for (const { consumer, inbox } of inboxes)
      while (!(await inbox.seen(consumer, lastEstablishmentEvent)))
        await new Promise((r) => setTimeout(r, 1));
    lastEstablishmentEvent = undefined;
  };

  const started = Date.now();
  const byType: Record<string, number> = {};
  let done = 0;
  let commands = 0;
  let events = 0;
  let ownRefusals = 0;
  let finished = true;
  /** Until the first command not yet in the stores: the tail the progress file may have missed. */
  let resumed = alreadyDone > 0;
  let lastReport = Date.now();
  let lastProgressWrite = 0;
  let refusals: Record<string, number> | undefined;
  try {
    for (const cmd of history(scale, eventIdOf)) {
      const kind = `${cmd.service} ${cmd.type}`;
      if (done < alreadyDone || (resumed && decidedInStore(dataDir, cmd))) {
        done++;
        byType[kind] = (byType[kind] ?? 0) + 1;
        continue;
      }
      resumed = false;
      if (options.stopAfter !== undefined && commands >= options.stopAfter) {
        finished = false;
        break;
      }
      if (cmd.service !== 'community-establishment') await reactionsSettled();
      const data = SCHEMAS[cmd.service][cmd.type].parse(cmd.data);
      let result: DecisionResult;
      try {
        result = await bus(cmd.service).execute(
          new Decide(
            cmd.district,
            { type: cmd.type, data },
            {
              context: {
                effectiveAt: cmd.effectiveAt,
                actor: {
                  subject: `seed-official-${cmd.district}`,
                  roles: ['officer'],
                  districtScope: district(cmd.district).name,
                },
              },
              legalBasis: cmd.legalBasis,
              correlationId: cmd.key,
              causationId: null,
              idempotencyKey: cmd.key,
            },
          ),
        );
      } catch (error) {
        // A refusal means the generator is not plausible: it is counted, reported and fails the run.
        ownRefusals++;
        if (ownRefusals <= 5)
          log(
            `refused: ${kind} on ${cmd.effectiveAt} (${cmd.key}): ${error instanceof Error ? error.message : String(error)}`,
          );
        throw error;
      }
      if (cmd.service === 'community-establishment') {
        const ids = new Map<string, string>();
        for (const e of result.events) ids.set(e.type, e.eventId);
        known.set(cmd.key, ids);
        lastEstablishmentEvent = result.events.at(-1)?.eventId ?? lastEstablishmentEvent;
      }
      done++;
      commands++;
      events += result.events.length;
      byType[kind] = (byType[kind] ?? 0) + 1;
      // At most once a second: a synchronous write per command was a tenth of the seed's time, and
      // a resume finds the commands the file missed in the stores anyway.
      if (Date.now() - lastProgressWrite > 1000) {
        lastProgressWrite = Date.now();
        writeFileSync(progressFile, JSON.stringify({ scale: options.scale, done } satisfies Progress));
      }
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        const s = (Date.now() - started) / 1000;
        log(
          `${done} commands (${commands} this run, ${Math.round(commands / s)}/s, ${Math.round(events / s)} events/s); at ${cmd.effectiveAt} in ${cmd.district}` +
            (options.total
              ? `; about ${Math.round((options.total - done) / (commands / s) / 60)} min left`
              : ''),
        );
      }
    }
    await reactionsSettled();
  } finally {
    writeFileSync(progressFile, JSON.stringify({ scale: options.scale, done } satisfies Progress));
    refusals = await notAccepted(services);
    for (const s of [...services].reverse()) await s.close();
  }
  const seconds = (Date.now() - started) / 1000;
  return { done, finished, commands, events, seconds, refusals: refusals ?? {}, byType };
}

/** Commands of the whole history at a scale (generating it, with placeholder event ids). */
export function historySize(scale: Scale): number {
  let n = 0;
  for (const _ of history(scale, (key, type) => `${type}-${key}`)) n++;
  return n;
}

function parseScale(value: string): ScaleName {
  if (!isScaleName(value)) throw new InvalidArgumentError(Object.keys(SCALES).join(', '));
  return value;
}

async function main(): Promise<void> {
  const program = new Command('seed')
    .description('Decides a plausible 2005-2026 history through the services; resumes where it stopped')
    .option(
      '--scale <scale>',
      'small (tests), lanzhou (the full city), or lanzhou-10 and lanzhou-40 (10% and 40% of its blocks)',
      parseScale,
      'small',
    )
    .option('--data-dir <dir>', 'where the stores are (default: REGISTRY_DATA_DIR or data/)')
    .option('--stop-after <n>', 'stop after deciding n commands (resume by running again)', (v) => Number(v))
    .parse();
  const opts = program.opts<{ scale: ScaleName; dataDir?: string; stopAfter?: number }>();
  const dataDir = opts.dataDir ?? process.env.REGISTRY_DATA_DIR ?? 'data';
  const total = historySize(SCALES[opts.scale]);
  console.log(`Seeding scale ${opts.scale} into ${resolve(dataDir)}: ${total} commands in all`);
  const result = await runSeed({
    scale: opts.scale,
    dataDir,
    stopAfter: opts.stopAfter,
    total,
    log: (line) => console.log(`  ${line} [of ${total}]`),
  });
  const refused = Object.values(result.refusals).reduce((a, b) => a + b, 0);
  console.log(
    `${result.finished ? 'Done' : 'Stopped'}: ${result.done} of ${total} commands; this run ${result.commands} commands, ${result.events} events in ${result.seconds.toFixed(1)} s (${Math.round(result.commands / result.seconds)} commands/s)`,
  );
  console.log(`Refused or failed decisions (the seed's and the reactions'): ${refused}`);
  for (const [k, v] of Object.entries(result.refusals)) console.log(`  ${k}: ${v}`);
  if (refused > 0) process.exitCode = 1;
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
