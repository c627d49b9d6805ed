import { Inject, Injectable } from '@nestjs/common';
import { NotFound } from '#libs/event-sourcing';
import { DISTRICT_CODES } from '#libs/contracts';
import {
  cityQualificationRatio,
  committeeTimeline,
  communitiesWithoutGraduate,
  compositionOn,
  districtQualificationRatio,
  electionCalendar,
  payFindings,
  postsOfPerson,
  rosterOn,
  viewAsOf,
  type StaffingPolicy,
  type StaffingState,
  type StaffingView,
} from '../domain';
import { StaffingStates } from './staffing-states';
import { STAFFING_POLICY } from './tokens';

const today = (): string => new Date().toISOString().slice(0, 10);

/** The auditor's questions, each on the district's decisions folded as of the date asked about. */
@Injectable()
export class StaffingQueries {
  constructor(
    private readonly districts: StaffingStates,
    @Inject(STAFFING_POLICY) private readonly policy: StaffingPolicy,
  ) {}

  private at<T>(
    district: string,
    on: string | undefined,
    fn: (view: StaffingView, on: string, state: StaffingState) => T,
  ) {
    const date = on ?? today();
    return this.districts.read(district, (state) => fn(viewAsOf(state.facts, date), date, state));
  }

  composition(district: string, committeeId: string, on?: string) {
    return this.at(district, on, (view, date) => {
      if (!view.committees[committeeId]) throw new NotFound('committee', committeeId);
      const c = compositionOn(view, committeeId, date);
      if (!c) throw new NotFound('committee term', `${committeeId} on ${date}`);
      return c;
    });
  }

  roster(district: string, communityId: string, on?: string) {
    return this.at(district, on, (view, date) => rosterOn(view, communityId, date));
  }

  calendar(district: string, on?: string) {
    return this.at(district, on, (view, date) => ({
      on: date,
      entries: electionCalendar(view, date, this.policy),
    }));
  }

  qualificationRatio(district: string, on?: string) {
    return this.at(district, on, (view, date) => ({
      district,
      on: date,
      ...districtQualificationRatio(view, this.policy),
    }));
  }

  /** STAFF-4 city-wide: every district's stream, folded as of the date. */
  async cityQualificationRatio(on?: string) {
    const date = on ?? today();
    const views: Record<string, StaffingView> = {};
    for (const district of DISTRICT_CODES)
      views[district] = await this.districts.read(district, (state) => viewAsOf(state.facts, date));
    return cityQualificationRatio(views, date, this.policy);
  }

  withoutGraduate(district: string, on?: string) {
    return this.at(district, on, (view, date) => ({
      on: date,
      communityIds: communitiesWithoutGraduate(view, date),
    }));
  }

  payFindings(district: string, year: number) {
    return this.districts.read(district, (state) => ({ year, findings: payFindings(state.view, year) }));
  }

  posts(district: string, personId: string, on?: string) {
    return this.at(district, on, (view, date) => ({
      personId,
      on: date,
      posts: postsOfPerson(view, personId, date),
    }));
  }

  timeline(district: string, committeeId: string) {
    return this.districts.read(district, (state) => {
      const entries = committeeTimeline(state.facts, committeeId);
      if (entries.length === 0) throw new NotFound('committee', committeeId);
      return { committeeId, entries };
    });
  }

  events(district: string, fromRevision: number, maxCount: number) {
    return this.districts.events(district, fromRevision, maxCount);
  }
}
