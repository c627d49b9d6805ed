import { Injectable, Optional } from '@nestjs/common';
import { NotFound, readBackEnvelopes, unchangedAsOf } from '#libs/event-sourcing';
import { ProjectionHost, RegistryClock, ViewsByDate } from '#libs/hosting';
import {
  afterKey,
  FIRST_LIST_PAGE,
  FIRST_PAGE,
  pageFromOneMore,
  pageOf,
  pageOfList,
  pageOfSorted,
  positionOf,
  sortedByKey,
  type ListPage,
  type Page,
  type PageRequest,
} from '#libs/http';
import type { ReadStore } from '#libs/read-store';
import {
  cityFunding,
  communitiesShortOfSpace,
  communityCompliance,
  districtCompliance,
  districtFunding,
  flaggedTariffs,
  flaggedTariffsIn,
  functionsOf,
  initialFundingState,
  namingRefusalsInForce,
  round2,
  spaceOf,
  timelineEntryOf,
  timelineFactsNaming,
  viewOn,
  type FacilityState,
  type FacilityView,
  type FunctionsAnswer,
  type ShortfallAnswer,
  type TimelineEntry,
} from '../domain';
import { FacilityStreams } from './facility-streams';
import {
  cityFundingId,
  districtFundingId,
  FACILITY_COLLECTIONS as C,
  type CityFundingDocument,
  type CommunityDocument,
  type DistrictFundingDocument,
  type NamingRefusalDocument,
  type ProjectDocument,
} from './projections';

/** Drops the read model's own fields from a document. */
function without<T extends object, K extends string>(doc: T, keys: readonly K[]): Omit<T, K> {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of keys) delete out[key];
  return out as Omit<T, K>;
}
const GUARD = ['_id', 'district', 'streamId', 'revision'] as const;

/** The facilities of one community document as a view, for the domain's date-dependent queries. */
const viewOf = (doc: CommunityDocument): FacilityView => ({
  projects: {},
  communities: {},
  facilities: Object.fromEntries(doc.facilities.map((f) => [f.facilityId, f])),
  markets: {},
});

/**
 * A community's figures on a date from its document: as stored while no lease has ended since,
 * else recomputed from its facilities by the domain's own functions (FAC-1, FAC-4, FAC-6).
 */
function figuresOn(doc: CommunityDocument, on: string) {
  if (doc.figuresValidUntil === null || on <= doc.figuresValidUntil)
    return { spaceM2: doc.spaceM2, functions: doc.functions };
  const view = viewOf(doc);
  return {
    spaceM2: spaceOf(view, doc.communityId, on),
    functions: doc.mergedInto === null ? functionsOf(view, doc.communityId, on) : null,
  };
}

/** A history answer: its entries under `history`, and `next` only when more follow. */
const historyAnswer = ({ entries, next }: Page<TimelineEntry>) =>
  next === undefined ? { history: entries } : { history: entries, next };

/** A page of an entity's history from the fold, on a date, in the order of the read model's. */
function foldedHistory(state: FacilityState, entity: string, on: string, page: PageRequest) {
  const { entries, next } = pageOf(
    timelineFactsNaming(state, entity, on),
    (f) => positionOf(f.effectiveAt, f.seq),
    page,
  );
  // Only the page's decisions are read (a light fact's envelope is read back from the store).
  readBackEnvelopes(entries);
  return historyAnswer({ entries: entries.map(timelineEntryOf), next });
}

const byCommunity = (a: { communityId: string }, b: { communityId: string }) =>
  a.communityId.localeCompare(b.communityId);

const communityKey = (row: { communityId: string }): string => row.communityId;

/** A page of the shortfalls: its communities under `communities`, and `next` only when more follow. */
const shortfallAnswer = (on: string, { items, next }: ListPage<ShortfallAnswer>) =>
  next === null ? { on, communities: items } : { on, communities: items, next };

/** FAC-1, FAC-4: a community document's shortfall on a date; null when it is not short of space. */
function shortfallOf(doc: CommunityDocument, on: string): ShortfallAnswer | null {
  if (doc.requirement === null || doc.households === null || doc.mergedInto !== null) return null;
  const { spaceM2 } = figuresOn(doc, on);
  const shortfallM2 = round2(doc.requirement.requiredM2 - spaceM2);
  if (shortfallM2 <= 0) return null;
  return {
    communityId: doc.communityId,
    households: doc.households,
    requiredM2: doc.requirement.requiredM2,
    standard: doc.requirement.standard,
    spaceM2,
    shortfallM2,
  };
}

/**
 * The auditor's questions. Without a date they are about now and are answered from the read
 * models (after the projection has caught up with this process's own writes); with a date they
 * are answered from the fold of the decisions effective on or before it, as the registry stood.
 */
@Injectable()
export class FacilityQueries {
  constructor(
    private readonly streams: FacilityStreams,
    // Without a date, a question is about today in the registry's time zone.
    private readonly clock: RegistryClock,
    // Optional so the fold-only answers stay available (the projection tests compare against them).
    @Optional() private readonly projections?: ProjectionHost,
  ) {}

  private readonly pastViews = new ViewsByDate<FacilityView>();
  /** FAC-1, FAC-4: the communities short of space on a date, in id order (a page is a slice). */
  private readonly shortfallLists = new ViewsByDate<ShortfallAnswer[]>();

  /** The district on a date: now, or folded once per revision and date (ViewsByDate). */
  private viewOn(district: string, state: FacilityState, revision: number, date: string): FacilityView {
    if (date >= state.latestEffectiveAt) return state.view;
    return this.pastViews.view(
      district,
      revision,
      date,
      () => viewOn(state, date),
      // The view now is the state's own, which every decision changes: never kept across them.
      (foldedAt, view) => view !== state.view && unchangedAsOf(state, foldedAt, revision, date),
    );
  }

  /** The read store, once it holds what this process appended; undefined: answer from the fold. */
  private async current(on: string | undefined) {
    if (on !== undefined || !this.projections) return undefined;
    await this.projections.fresh();
    return this.projections.readStore;
  }

  /**
   * A page of an entity's history, from the facts the service's state indexes by entity: the same
   * entries `facilityDecisions` holds, but found without a scan (a read store cannot index the
   * membership of an entity in a decision's list; the SQLite one parsed every decision of the
   * district, 0.2 s in a district of 60 communities and 0.7 s in one of 240).
   */
  private indexedHistory(district: string, entity: string, page: PageRequest) {
    const today = this.clock.today();
    return this.streams.readFacilities(district, (state) => foldedHistory(state, entity, today, page));
  }

  private communityDocs(read: ReadStore, district: string) {
    return read.collection<CommunityDocument>(C.communities).find({ district }, { sort: { communityId: 1 } });
  }

  /** A project and a page of its history (FAC-1..3). */
  async project(district: string, projectId: string, on?: string, page: PageRequest = FIRST_PAGE) {
    const read = await this.current(on);
    if (read) {
      const doc = await read
        .collection<ProjectDocument>(C.projects)
        .findOne({ _id: `${district}/${projectId}` });
      if (!doc) throw new NotFound('project', projectId);
      const history = await this.indexedHistory(district, `project:${projectId}`, page);
      return { on: this.clock.today(), project: without(doc, GUARD), ...history };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => {
      const project = this.viewOn(district, state, revision, date).projects[projectId];
      if (!project) throw new NotFound('project', projectId);
      return {
        on: date,
        project,
        ...foldedHistory(state, `project:${projectId}`, date, page),
      };
    });
  }

  async projects(district: string, on?: string) {
    const read = await this.current(on);
    if (read) {
      const docs = await read
        .collection<ProjectDocument>(C.projects)
        .find({ district }, { sort: { projectId: 1 } });
      return docs.map((d) => without(d, GUARD));
    }
    return this.streams.readFacilities(district, (state, revision) =>
      Object.values(this.viewOn(district, state, revision, on ?? this.clock.today()).projects).sort((a, b) =>
        a.projectId.localeCompare(b.projectId),
      ),
    );
  }

  /** A page of the district's projects in id order: from the read model's index, or of the fold. */
  async projectsPage(district: string, on: string | undefined, page: PageRequest) {
    const read = await this.current(on);
    if (read) {
      const docs = await read
        .collection<ProjectDocument>(C.projects)
        .find(
          { district, ...(page.after === undefined ? {} : { projectId: { $gt: page.after } }) },
          { sort: { projectId: 1 }, limit: page.limit + 1 },
        );
      const found = pageFromOneMore(docs, page.limit, (d) => d.projectId);
      return { items: found.items.map((d) => without(d, [...GUARD, 'history'])), next: found.next };
    }
    return pageOfList(await this.projects(district, on), (p) => p.projectId, page);
  }

  /** A community's space, facilities and markets, and a page of its history. */
  async community(district: string, communityId: string, on?: string, page: PageRequest = FIRST_PAGE) {
    const read = await this.current(on);
    if (read) {
      const doc = await read
        .collection<CommunityDocument>(C.communities)
        .findOne({ _id: `${district}/${communityId}` });
      if (!doc) throw new NotFound('community', communityId);
      const date = this.clock.today();
      const { functions } = figuresOn(doc, date);
      const { facilities, markets, ...community } = without(doc, [
        ...GUARD,
        'spaceM2',
        'shortfallM2',
        'meetsRequirement',
        'functions',
        'figuresValidUntil',
      ]);
      const history = await this.indexedHistory(district, `community:${communityId}`, page);
      return { on: date, ...community, facilities, markets, functions, ...history };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => {
      const view = this.viewOn(district, state, revision, date);
      const c = view.communities[communityId];
      if (!c) throw new NotFound('community', communityId);
      const { sourceEventIds: _followed, ...community } = c;
      return {
        on: date,
        ...community,
        facilities: Object.values(view.facilities).filter((f) => f.communityId === communityId),
        markets: Object.values(view.markets).filter((m) => m.communityId === communityId),
        functions: communityCompliance(state, communityId, date, view),
        ...foldedHistory(state, `community:${communityId}`, date, page),
      };
    });
  }

  /**
   * FAC-1, FAC-4: a page of the communities short of space on a date, with the shortfall, by
   * community id (`?after=` the last id of the page before). Now: the read model's communities
   * in id order, read a page (and one more) at a time until the page is full, since whether a
   * community is short depends on the day asked once a lease has ended. On a date: the shortfalls
   * of the district's view on that date, made and sorted once per revision and date.
   */
  async shortfalls(district: string, on?: string, page: PageRequest = FIRST_LIST_PAGE) {
    const read = await this.current(on);
    if (read) {
      const date = this.clock.today();
      const short: ShortfallAnswer[] = [];
      let after = page.after;
      for (;;) {
        const docs = await read
          .collection<CommunityDocument>(C.communities)
          .find(
            { district, ...afterKey('communityId', { ...page, after }) },
            { sort: { communityId: 1 }, limit: page.limit + 1 },
          );
        for (const doc of docs) {
          const shortfall = shortfallOf(doc, date);
          if (shortfall) short.push(shortfall);
          if (short.length > page.limit) break;
        }
        if (short.length > page.limit || docs.length <= page.limit) break;
        after = docs[docs.length - 1].communityId;
      }
      return shortfallAnswer(date, pageFromOneMore(short, page.limit, communityKey));
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => {
      const short = this.shortfallLists.view(
        district,
        revision,
        date,
        () =>
          sortedByKey(
            communitiesShortOfSpace(state, date, this.viewOn(district, state, revision, date)),
            communityKey,
          ),
        // A list made of the view on the date (new answers, not the view's own records).
        (foldedAt) => unchangedAsOf(state, foldedAt, revision, date),
      );
      return shortfallAnswer(date, pageOfSorted(short, communityKey, page));
    });
  }

  /** FAC-6 for one community. */
  async communityFunctions(district: string, communityId: string, on?: string) {
    const read = await this.current(on);
    if (read) {
      const doc = await read
        .collection<CommunityDocument>(C.communities)
        .findOne({ _id: `${district}/${communityId}` });
      const functions = doc ? figuresOn(doc, this.clock.today()).functions : null;
      if (!functions) throw new NotFound('community', communityId);
      return { on: this.clock.today(), ...functions };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => {
      const answer = communityCompliance(
        state,
        communityId,
        date,
        this.viewOn(district, state, revision, date),
      );
      if (!answer) throw new NotFound('community', communityId);
      return { on: date, ...answer };
    });
  }

  /** FAC-6 for every community of the district (not merged away) and the compliant share. */
  async districtFunctions(district: string, on?: string) {
    const read = await this.current(on);
    if (read) {
      const date = this.clock.today();
      const communities = (await this.communityDocs(read, district))
        .map((d) => figuresOn(d, date).functions)
        .filter((f): f is FunctionsAnswer => f !== null)
        .sort(byCommunity);
      const compliant = communities.filter((c) => c.compliant).length;
      return {
        on: date,
        communities,
        total: communities.length,
        compliant,
        compliantShare: communities.length === 0 ? null : round2(compliant / communities.length),
      };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) =>
      districtCompliance(state, date, this.viewOn(district, state, revision, date)),
    );
  }

  /** FAC-3: refusals of building naming and door numbers in force. */
  async namingRefusals(district: string, on?: string) {
    const read = await this.current(on);
    if (read) {
      const docs = await read
        .collection<NamingRefusalDocument>(C.namingRefusals)
        .find({ district, inForce: true }, { sort: { projectId: 1 } });
      return {
        on: this.clock.today(),
        refusals: docs.map((d) => without(d, [...GUARD, 'inForce', 'liftedOn'])),
      };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => ({
      on: date,
      refusals: namingRefusalsInForce(state, date, this.viewOn(district, state, revision, date)),
    }));
  }

  /** FAC-8: tariffs in force charged at a non-residential rate. */
  async tariffFlags(district: string, on?: string) {
    const read = await this.current(on);
    if (read) {
      const date = this.clock.today();
      const flagged = flaggedTariffsIn(
        {
          facilities: Object.assign(
            {},
            ...(await this.communityDocs(read, district)).map((d) => viewOf(d).facilities),
          ),
        },
        date,
      );
      return { on: date, flagged };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFacilities(district, (state, revision) => ({
      on: date,
      flagged: flaggedTariffs(state, date, this.viewOn(district, state, revision, date)),
    }));
  }

  /** FUND-1, FUND-2: a district's budget for a year against 0.1 yuan per urban resident. */
  async districtFunding(district: string, year: number, on?: string) {
    const read = await this.current(on);
    if (read) {
      const doc = await read
        .collection<DistrictFundingDocument>(C.districtFunding)
        .findOne({ _id: districtFundingId(district, year) });
      const answer = doc
        ? without(doc, ['_id', 'streamId', 'revision'])
        : districtFunding(initialFundingState(), district, year, this.clock.today());
      return { on: this.clock.today(), ...answer };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFunding((state) => ({
      on: date,
      ...districtFunding(state, district, year, date),
    }));
  }

  /** FUND-1 for the city: its budget against every district's urban population. */
  async cityFunding(year: number, on?: string) {
    const read = await this.current(on);
    if (read) {
      const doc = await read
        .collection<CityFundingDocument>(C.cityFunding)
        .findOne({ _id: cityFundingId(year) });
      const answer = doc
        ? without(doc, ['_id', 'streamId', 'revision'])
        : cityFunding(initialFundingState(), year, this.clock.today());
      return { on: this.clock.today(), ...answer };
    }
    const date = on ?? this.clock.today();
    return this.streams.readFunding((state) => ({ on: date, ...cityFunding(state, year, date) }));
  }
}
