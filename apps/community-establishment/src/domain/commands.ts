import { z } from 'zod';

/**
 * Commands of the community establishment service. One zod schema per command gives the request
 * validation, the TypeScript type and the OpenAPI schema, so the three can never disagree.
 */

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes, 2 to 64 characters');

/** EST-1: the kinds of area the 2013 text names. */
export const AREA_KINDS = [
  'new-residential-estate',
  'urban-rural-fringe',
  'industrial-mining-site',
  'urban-village-redevelopment-estate',
  'migrant-population-concentration',
  'village-to-residence-conversion',
  'existing-town-area',
] as const;
export const AreaKind = z.enum(AREA_KINDS);
export type AreaKind = z.infer<typeof AreaKind>;

/** The three bodies of a community (ORG-1), where posts are held (ORG-2). */
export const COMMUNITY_BODIES = ['party-organization', 'residents-committee', 'service-station'] as const;
export const CommunityBody = z.enum(COMMUNITY_BODIES);
export type CommunityBody = z.infer<typeof CommunityBody>;

/** Who is responsible for an area (EST-3, EST-7). */
export const ResponsibilityRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('own-committee'), communityId: Id }),
  z.strictObject({ kind: z.literal('proxy'), communityId: Id }),
  z.strictObject({
    kind: z.literal('residents-group'),
    groupId: Id,
    groupName: z.string().min(1).max(200),
    attachedToCommunityId: Id,
  }),
]);
export type ResponsibilityRequest = z.infer<typeof ResponsibilityRequest>;

const Name = z.string().trim().min(1).max(200);
const Households = z.number().int().min(0).max(1_000_000);

/** An area as registered, before saying who is responsible for it. */
export const NewArea = z.strictObject({
  areaId: Id,
  name: Name,
  kind: AreaKind,
  subDistrict: Name,
  households: Households,
  adjacentAreaIds: z.array(Id).max(100).default([]),
  /** EST-4: the village committee an urban-rural fringe area coexists with. */
  villageCommittee: z.strictObject({ name: Name }).optional(),
});
export type NewArea = z.infer<typeof NewArea>;

export const RegisterArea = z.strictObject({ ...NewArea.shape, responsibility: ResponsibilityRequest });

export const UpdateAreaHouseholds = z.strictObject({ areaId: Id, households: Households });
export const RecordAdjacency = z.strictObject({ areaId: Id, adjacentAreaIds: z.array(Id).min(1).max(100) });
export const ReportOccupancy = z.strictObject({ areaId: Id, occupiedHouseholds: Households });

export const ConvertVillageToResidence = z.strictObject({
  areaId: Id,
  name: Name,
  subDistrict: Name,
  households: Households,
  adjacentAreaIds: z.array(Id).max(100).default([]),
  formerVillageCommittee: z.strictObject({ name: Name }),
  responsibility: ResponsibilityRequest,
});

export const FormResidentsGroup = z.strictObject({
  groupId: Id,
  name: Name,
  areaId: Id,
  attachedToCommunityId: Id,
});
export const StartProxyManagement = z.strictObject({ areaId: Id, byCommunityId: Id });
export const EndProxyManagement = z.strictObject({ areaId: Id, successor: ResponsibilityRequest });

export const EstablishCommittee = z.strictObject({
  communityId: Id,
  committeeId: Id,
  name: Name,
  /** Registered areas the new committee takes over. */
  areaIds: z.array(Id).max(200).default([]),
  /** Areas registered together with the committee (a district's first committee, archive backfill). */
  newAreas: z.array(NewArea).max(50).default([]),
});

export const MergeCommittees = z.strictObject({
  sourceCommunityIds: z.array(Id).min(2).max(20),
  /** A source id means that community absorbs the others; a new id founds a new community. */
  communityId: Id,
  committeeId: Id,
  name: Name,
});

export const SplitCommittee = z.strictObject({
  sourceCommunityId: Id,
  parts: z
    .array(
      z.strictObject({ communityId: Id, committeeId: Id, name: Name, areaIds: z.array(Id).min(1).max(200) }),
    )
    .min(2)
    .max(20),
});

export const RenameCommittee = z.strictObject({ communityId: Id, name: Name });

export const DissolveCommittee = z.strictObject({
  communityId: Id,
  /** EST-7: every area of the dissolved community goes to another responsible body. */
  areaSuccessors: z.array(z.strictObject({ areaId: Id, successor: ResponsibilityRequest })).max(200),
  reason: z.string().min(1).max(500),
});

export const SetUpPartyOrganization = z.strictObject({ communityId: Id, name: Name });
export const SetUpServiceStation = z.strictObject({ communityId: Id, name: Name });

export const AssignPost = z.strictObject({
  personId: Id,
  communityId: Id,
  body: CommunityBody,
  post: Name,
});
export const EndPost = z.strictObject({ personId: Id, communityId: Id, body: CommunityBody, post: Name });

export const DelegateTask = z.strictObject({
  taskId: Id,
  communityId: Id,
  department: Name,
  description: z.string().min(1).max(1000),
  /** ORG-3: administrative work goes to the service station, never the committee. */
  toBody: CommunityBody.default('service-station'),
  fundingYuanPerYear: z.number().min(0).max(1e10),
  fundingSource: z.string().max(200).default(''),
  workingConditions: z.string().max(1000).default(''),
});

/** Without its refinement, so the HTTP edge can extend it; see CorrectDecision. */
export const CorrectDecisionFields = z.strictObject({
  correctsEventId: z.uuid(),
  reason: z.string().min(1).max(1000),
  correctedEffectiveAt: z.iso.date().optional(),
  correctedLegalBasis: z.string().min(1).max(200).optional(),
  annul: z.boolean().optional(),
});
export const correctsSomething = (c: z.infer<typeof CorrectDecisionFields>): boolean =>
  c.correctedEffectiveAt !== undefined || c.correctedLegalBasis !== undefined || c.annul === true;
export const CORRECTION_MESSAGE =
  'a correction changes the effective date, the legal basis, or annuls the decision';
export const CorrectDecision = CorrectDecisionFields.refine(correctsSomething, {
  message: CORRECTION_MESSAGE,
});

export const COMMAND_SCHEMAS = {
  RegisterArea,
  UpdateAreaHouseholds,
  RecordAdjacency,
  ReportOccupancy,
  ConvertVillageToResidence,
  FormResidentsGroup,
  StartProxyManagement,
  EndProxyManagement,
  EstablishCommittee,
  MergeCommittees,
  SplitCommittee,
  RenameCommittee,
  DissolveCommittee,
  SetUpPartyOrganization,
  SetUpServiceStation,
  AssignPost,
  EndPost,
  DelegateTask,
  CorrectDecision,
} as const;

type Schemas = typeof COMMAND_SCHEMAS;
export type CommandType = keyof Schemas;
export type CommandOf<T extends CommandType> = { readonly type: T; readonly data: z.infer<Schemas[T]> };
export type EstablishmentCommand = { [T in CommandType]: CommandOf<T> }[CommandType];
