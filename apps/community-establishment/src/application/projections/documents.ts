import type { AreaView, CommunityView, PostView, ResponsibleBody } from '../../domain';

/**
 * The read models of the community establishment service (collections `areas`, `communities`,
 * `decisions`). Every document names its district and stream and the stream revision of the last
 * event that changed it; documents are total (null, never a missing field), as the read store's
 * merge-on-upsert expects.
 */

export const ESTABLISHMENT_COLLECTIONS = {
  areas: 'areas',
  communities: 'communities',
  decisions: 'decisions',
} as const;

interface Guarded {
  _id: string;
  /** District code, e.g. `chengguan`. */
  district: string;
  /** `district-<code>`: the stream whose revision guards the document. */
  streamId: string;
  /** Stream revision of the last event that changed this document. */
  revision: number;
}

/** The current state of an area: the map as of the latest effective date, as GET /areas answers. */
export interface AreaDocument extends AreaView, Guarded {
  /** EST-7: bodies whose committee or group still exists; exactly one when the area is covered. */
  activeBodies: ResponsibleBody[];
  /** The one responsible body, or null when there is a gap or an overlap. */
  responsibleBody: ResponsibleBody | null;
  coverage: 'covered' | 'gap' | 'overlap';
  /** The decision that registered it was annulled by a correction: kept as a tombstone. */
  removed: boolean;
}

/** The current state of a community with its three bodies (ORG-1), posts and lineage. */
export interface CommunityDocument extends CommunityView, Guarded {
  committeeId: string;
  /** ORG-1: which of the three bodies the community still lacks. */
  missingBodies: Array<'party-organization' | 'service-station'>;
  /** ORG-2: the posts held in its bodies. */
  posts: PostView[];
  removed: boolean;
}

/** One document per event: the auditor's index of decisions. */
export interface DecisionDocument extends Guarded {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamRevision: number;
  globalPosition: number;
  /** In force now (after corrections); the recorded one is originalEffectiveAt. */
  effectiveAt: string;
  originalEffectiveAt: string;
  recordedAt: string;
  actor: { subject: string; roles: string[]; districtScope: string };
  legalBasis: string;
  originalLegalBasis: string;
  ruleIds: string[];
  /** entitiesOf(event): "area:x", "community:y", "group:z", "person:p". */
  entityIds: string[];
  correlationId: string;
  causationId: string | null;
  annulled: boolean;
  correctedBy: string[];
  /** For a DecisionCorrected event: the event it corrects. */
  correctsEventId: string | null;
  /** The event's data, as the timelines show it. */
  data: unknown;
}
