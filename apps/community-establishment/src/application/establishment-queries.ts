import { Injectable, Optional } from '@nestjs/common';
import { NotFound } from '#libs/event-sourcing';
import { pageFromOneMore, pageOfList, type Page, type PageRequest } from '#libs/http';
import {
  activeBodiesOf,
  coverageFindings,
  obligationsOn,
  responsibilityOn,
  timelineOf,
  viewAsOf,
  type DistrictState,
  type DistrictView,
} from '../domain';
import { DistrictStates } from './district-states';
import { ProjectionHost } from '#libs/hosting';
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

/** The condition of a keyset page: the rows whose sort key comes after the last one seen. */
const afterKey = (field: string, page: PageRequest) =>
  page.after === undefined ? {} : { [field]: { $gt: page.after } };

const mapPage = <T, U>(page: Page<T>, fn: (row: T) => U): Page<U> => ({
  items: page.items.map(fn),
  next: page.next,
});

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

  private viewOf(state: DistrictState, asOf?: string): DistrictView {
    return asOf === undefined ? state.view : viewAsOf(state.facts, asOf);
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
    return this.districts.read(district, (state) => {
      const view = this.viewOf(state, asOf);
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
    return pageOfList(await this.areas(district, asOf), (a) => a.areaId, page);
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
      const view = this.viewOf(state, asOf);
      const area = view.areas[areaId];
      if (!area) throw new NotFound('area', areaId);
      return { ...area, activeBodies: activeBodiesOf(view, areaId), asOf: asOf ?? null };
    });
  }

  responsibility(district: string, areaId: string, on: string) {
    return this.districts.read(district, (state) => {
      if (!state.facts.some((f) => f.event.type === 'AreaRegistered' && f.event.data.areaId === areaId))
        throw new NotFound('area', areaId);
      return responsibilityOn(state.facts, areaId, on);
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
    return this.districts.read(district, (state) => Object.values(this.viewOf(state, asOf).communities));
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
    return pageOfList(await this.communities(district, asOf), (c) => c.communityId, page);
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
      const view = this.viewOf(state, asOf);
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

  timeline(district: string, kind: 'area' | 'community' | 'group' | 'person', id: string) {
    return this.districts.read(district, (state) => {
      const entries = timelineOf(state.facts, `${kind}:${id}`);
      if (entries.length === 0) throw new NotFound(kind, id);
      return { entity: `${kind}:${id}`, entries };
    });
  }

  committeeTimeline(district: string, committeeId: string) {
    return this.districts.read(district, (state) => {
      const communityId = state.view.committees[committeeId];
      if (!communityId) throw new NotFound('committee', committeeId);
      return {
        entity: `committee:${committeeId}`,
        communityId,
        entries: timelineOf(state.facts, `community:${communityId}`),
      };
    });
  }

  coverage(district: string) {
    return this.districts.read(district, (state) => ({ findings: coverageFindings(state.facts) }));
  }

  obligations(district: string, on: string, status?: string) {
    return this.districts.read(district, (state) =>
      obligationsOn(viewAsOf(state.facts, on), on).filter((o) => status === undefined || o.status === status),
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
    return this.districts.read(district, (state) => ({
      personId,
      posts: this.viewOf(state, asOf).posts.filter((p) => p.personId === personId),
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
    return this.districts.read(district, (state) =>
      Object.values(this.viewOf(state, asOf).communities)
        .filter((c) => c.status === 'active' && !c.householdRange.withinRange)
        .map((c) => ({ communityId: c.communityId, name: c.name, ...c.householdRange })),
    );
  }
}
