import { Injectable, Optional } from '@nestjs/common';
import { NotFound, unchangedAsOf } from '#libs/event-sourcing';
import {
  FIRST_PAGE,
  pageFromOneMore,
  pageOf,
  pageOfList,
  pageOfSortedKeys,
  sortedByKey,
  afterKey,
  positionOf,
  type ListPage,
  type PageRequest,
} from '#libs/http';
import {
  activeBodiesOf,
  areaFacts,
  communityFacts,
  coverageFindings,
  everRegistered,
  obligationsOn,
  placedTimelineOf,
  responsibilityOn,
  timelineFacts,
  viewAsOf,
  type CoverageFinding,
  type Fact,
  type DistrictState,
  type DistrictView,
} from '../domain';
import { DistrictStates } from './district-states';
import { ProjectionHost, ViewsByDate } from '#libs/hosting';
import { ESTABLISHMENT_COLLECTIONS as C, type AreaDocument, type CommunityDocument } from './projections';

/** Fields of the read-model documents that are bookkeeping, not part of the answer. */
const BOOKKEEPING = [
  '_id',
  'district',
  'streamId',
  'revision',
  'removed',
  'responsibleBody',
  'coverage',
  'committeeId',
];
function answer<T extends object>(doc: T): Omit<T, '_id' | 'district' | 'streamId' | 'revision' | 'removed'> {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of BOOKKEEPING) delete out[key];
  return out as Omit<T, '_id' | 'district' | 'streamId' | 'revision' | 'removed'>;
}

/** A page of an entity's timeline: its entries, and `next` only when more follow. */
function timelinePage(facts: readonly Fact[], entity: string, page: PageRequest) {
  const placed = placedTimelineOf(facts, entity);
  const { entries, next } = pageOf(placed, (p) => positionOf(...p.at), page);
  return { found: placed.length > 0, entries: entries.map((p) => p.entry), next };
}

const mapPage = <T, U>(page: ListPage<T>, fn: (row: T) => U): ListPage<U> => ({
  items: page.items.map(fn),
  next: page.next,
});

/** The ids of a folded view's areas or communities in page order, sorted once per view. */
const sortedIds = new WeakMap<DistrictView, Partial<Record<'areas' | 'communities', string[]>>>();
function sortedIdsOf(view: DistrictView, kind: 'areas' | 'communities'): string[] {
  let ids = sortedIds.get(view);
  if (!ids) sortedIds.set(view, (ids = {}));
  return (ids[kind] ??= sortedByKey(Object.keys(view[kind]), (id) => id));
}

/**
 * The auditor's questions, answered from the district's decisions. Every query takes an optional
 * date: the map as of that effective date, judged by what is on record now (corrections included).
 */
@Injectable()
export class EstablishmentQueries {
  constructor(
    private readonly districts: DistrictStates,
    // Optional so the fold-only answers stay available (the projection tests compare against them).
    @Optional() private readonly projections?: ProjectionHost,
  ) {}

  /** The current state comes from the read models; a past date is folded from the decisions. */
  private async current() {
    await this.projections!.fresh();
    return this.projections!.readStore;
  }

  private readonly pastViews = new ViewsByDate<DistrictView>();

  /** The district now, or as of a past date (folded once per revision and date). */
  private viewOf(district: string, state: DistrictState, revision: number, asOf?: string): DistrictView {
    if (asOf === undefined) return state.view;
    return this.pastViews.view(
      district,
      revision,
      asOf,
      () => viewAsOf(state.facts, asOf),
      (foldedAt) => unchangedAsOf(state, foldedAt, revision, asOf),
    );
  }

  async areas(district: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<AreaDocument>(C.areas)
        .find({ district, removed: false }, { sort: { areaId: 1 } });
      return docs.map(answer);
    }
    return this.districts.read(district, (state, revision) => {
      const view = this.viewOf(district, state, revision, asOf);
      return Object.values(view.areas).map((a) => ({ ...a, activeBodies: activeBodiesOf(view, a.areaId) }));
    });
  }

  /** A page of the district's areas in id order: from the read model's index, or of the fold. */
  async areasPage(district: string, asOf: string | undefined, page: PageRequest) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<AreaDocument>(C.areas)
        .find(
          { district, removed: false, ...afterKey('areaId', page) },
          { sort: { areaId: 1 }, limit: page.limit + 1 },
        );
      return mapPage(
        pageFromOneMore(docs, page.limit, (d) => d.areaId),
        answer,
      );
    }
    if (asOf === undefined) return pageOfList(await this.areas(district, asOf), (a) => a.areaId, page);
    // A past date: the page's rows only, of the view folded once per revision and date.
    return this.districts.read(district, (state, revision) => {
      const view = this.viewOf(district, state, revision, asOf);
      return pageOfSortedKeys(
        sortedIdsOf(view, 'areas'),
        (areaId) => ({ ...view.areas[areaId], activeBodies: activeBodiesOf(view, areaId) }),
        page,
      );
    });
  }

  async area(district: string, areaId: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const doc = await (
        await this.current()
      )
        .collection<AreaDocument>(C.areas)
        .findOne({ _id: `${district}/${areaId}`, removed: false });
      if (!doc) throw new NotFound('area', areaId);
      return { ...answer(doc), asOf: null };
    }
    return this.districts.read(district, (state) => {
      // A past date folds only the decisions about the area and its bodies, not the district.
      const view = asOf === undefined ? state.view : viewAsOf(areaFacts(state, areaId), asOf);
      const area = view.areas[areaId];
      if (!area) throw new NotFound('area', areaId);
      return { ...area, activeBodies: activeBodiesOf(view, areaId), asOf: asOf ?? null };
    });
  }

  responsibility(district: string, areaId: string, on: string) {
    return this.districts.read(district, (state) => {
      if (!everRegistered(state, areaId)) throw new NotFound('area', areaId);
      return responsibilityOn(areaFacts(state, areaId), areaId, on);
    });
  }

  async communities(district: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<CommunityDocument>(C.communities)
        .find({ district, removed: false }, { sort: { communityId: 1 } });
      return docs.map((d) => {
        const { missingBodies: _m, posts: _p, ...rest } = answer(d);
        return rest;
      });
    }
    return this.districts.read(district, (state, revision) =>
      Object.values(this.viewOf(district, state, revision, asOf).communities),
    );
  }

  /** A page of the district's communities in id order: from the read model's index, or of the fold. */
  async communitiesPage(district: string, asOf: string | undefined, page: PageRequest) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<CommunityDocument>(C.communities)
        .find(
          { district, removed: false, ...afterKey('communityId', page) },
          { sort: { communityId: 1 }, limit: page.limit + 1 },
        );
      return mapPage(
        pageFromOneMore(docs, page.limit, (d) => d.communityId),
        (d) => {
          const { missingBodies: _m, posts: _p, ...rest } = answer(d);
          return rest;
        },
      );
    }
    if (asOf === undefined)
      return pageOfList(await this.communities(district, asOf), (c) => c.communityId, page);
    return this.districts.read(district, (state, revision) => {
      const view = this.viewOf(district, state, revision, asOf);
      return pageOfSortedKeys(sortedIdsOf(view, 'communities'), (id) => view.communities[id], page);
    });
  }

  async community(district: string, communityId: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const doc = await (
        await this.current()
      )
        .collection<CommunityDocument>(C.communities)
        .findOne({ _id: `${district}/${communityId}`, removed: false });
      if (!doc) throw new NotFound('community', communityId);
      return { ...answer(doc), asOf: null };
    }
    return this.districts.read(district, (state) => {
      const view = asOf === undefined ? state.view : viewAsOf(communityFacts(state, communityId), asOf);
      const c = view.communities[communityId];
      if (!c) throw new NotFound('community', communityId);
      return {
        ...c,
        // ORG-1: which of the three bodies the community still lacks.
        missingBodies: [
          ...(c.partyOrganization ? [] : ['party-organization']),
          ...(c.serviceStation ? [] : ['service-station']),
        ],
        posts: view.posts.filter((p) => p.communityId === communityId),
        asOf: asOf ?? null,
      };
    });
  }

  timeline(
    district: string,
    kind: 'area' | 'community' | 'group' | 'person',
    id: string,
    page: PageRequest = FIRST_PAGE,
  ) {
    return this.districts.read(district, (state) => {
      const { found, entries, next } = timelinePage(
        timelineFacts(state, `${kind}:${id}`),
        `${kind}:${id}`,
        page,
      );
      if (!found) throw new NotFound(kind, id);
      return { entity: `${kind}:${id}`, entries, ...(next === undefined ? {} : { next }) };
    });
  }

  committeeTimeline(district: string, committeeId: string, page: PageRequest = FIRST_PAGE) {
    return this.districts.read(district, (state) => {
      const communityId = state.view.committees[committeeId];
      if (!communityId) throw new NotFound('committee', committeeId);
      const { entries, next } = timelinePage(
        timelineFacts(state, `community:${communityId}`),
        `community:${communityId}`,
        page,
      );
      return {
        entity: `committee:${committeeId}`,
        communityId,
        entries,
        ...(next === undefined ? {} : { next }),
      };
    });
  }

  /** Per district, the findings of the revision they were swept at: asked again, not swept again. */
  private readonly findingsAt = new Map<string, { revision: number; findings: CoverageFinding[] }>();

  coverage(district: string) {
    return this.districts.read(district, (state, revision) => {
      // The sweep reads the district's whole history; it changes only with a new decision.
      const last = this.findingsAt.get(district);
      if (last && last.revision === revision) return { findings: last.findings };
      const findings = coverageFindings(state.facts);
      this.findingsAt.set(district, { revision, findings });
      return { findings };
    });
  }

  obligations(district: string, on: string, status?: string) {
    return this.districts.read(district, (state, revision) =>
      obligationsOn(this.viewOf(district, state, revision, on), on).filter(
        (o) => status === undefined || o.status === status,
      ),
    );
  }

  /** ORG-2: every post a person holds at once, across the three bodies. */
  async posts(district: string, personId: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<CommunityDocument>(C.communities)
        .find({ district, 'posts.personId': personId });
      return { personId, posts: docs.flatMap((d) => d.posts.filter((p) => p.personId === personId)) };
    }
    return this.districts.read(district, (state, revision) => ({
      personId,
      posts: this.viewOf(district, state, revision, asOf).posts.filter((p) => p.personId === personId),
    }));
  }

  events(district: string, fromRevision: number, maxCount: number) {
    return this.districts.events(district, fromRevision, maxCount);
  }

  /** EST-9: committees outside the household range of the law in force, flagged not refused. */
  async householdRangeFlags(district: string, asOf?: string) {
    if (asOf === undefined && this.projections) {
      const docs = await (
        await this.current()
      )
        .collection<CommunityDocument>(C.communities)
        .find({ district, removed: false, status: 'active', 'householdRange.withinRange': false });
      return docs.map((c) => ({ communityId: c.communityId, name: c.name, ...c.householdRange }));
    }
    return this.districts.read(district, (state, revision) =>
      Object.values(this.viewOf(district, state, revision, asOf).communities)
        .filter((c) => c.status === 'active' && !c.householdRange.withinRange)
        .map((c) => ({ communityId: c.communityId, name: c.name, ...c.householdRange })),
    );
  }
}
