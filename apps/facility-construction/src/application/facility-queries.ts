import { Injectable } from '@nestjs/common';
import { NotFound } from '#libs/event-sourcing';
import {
  cityFunding,
  communitiesShortOfSpace,
  communityCompliance,
  districtCompliance,
  districtFunding,
  flaggedTariffs,
  namingRefusalsInForce,
  projectOn,
  timelineOf,
  viewOn,
} from '../domain';
import { FacilityStreams } from './facility-streams';

/** The auditor's questions, each at a date (today when none is given). */
@Injectable()
export class FacilityQueries {
  constructor(private readonly streams: FacilityStreams) {}

  project(district: string, projectId: string, on: string) {
    return this.streams.readFacilities(district, (state) => {
      const answer = projectOn(state, projectId, on);
      if (!answer) throw new NotFound('project', projectId);
      return { on, ...answer };
    });
  }

  projects(district: string, on: string) {
    return this.streams.readFacilities(district, (state) => Object.values(viewOn(state, on).projects));
  }

  community(district: string, communityId: string, on: string) {
    return this.streams.readFacilities(district, (state) => {
      const view = viewOn(state, on);
      const c = view.communities[communityId];
      if (!c) throw new NotFound('community', communityId);
      return {
        on,
        ...c,
        facilities: Object.values(view.facilities).filter((f) => f.communityId === communityId),
        markets: Object.values(view.markets).filter((m) => m.communityId === communityId),
        functions: communityCompliance(state, communityId, on),
        history: timelineOf(state.facts, `community:${communityId}`, on),
      };
    });
  }

  shortfalls(district: string, on: string) {
    return this.streams.readFacilities(district, (state) => ({
      on,
      communities: communitiesShortOfSpace(state, on),
    }));
  }

  communityFunctions(district: string, communityId: string, on: string) {
    return this.streams.readFacilities(district, (state) => {
      const answer = communityCompliance(state, communityId, on);
      if (!answer) throw new NotFound('community', communityId);
      return { on, ...answer };
    });
  }

  districtFunctions(district: string, on: string) {
    return this.streams.readFacilities(district, (state) => districtCompliance(state, on));
  }

  namingRefusals(district: string, on: string) {
    return this.streams.readFacilities(district, (state) => ({
      on,
      refusals: namingRefusalsInForce(state, on),
    }));
  }

  tariffFlags(district: string, on: string) {
    return this.streams.readFacilities(district, (state) => ({ on, flagged: flaggedTariffs(state, on) }));
  }

  districtFunding(district: string, year: number, on: string) {
    return this.streams.readFunding((state) => ({ on, ...districtFunding(state, district, year, on) }));
  }

  cityFunding(year: number, on: string) {
    return this.streams.readFunding((state) => ({ on, ...cityFunding(state, year, on) }));
  }
}
