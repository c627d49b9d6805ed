import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '#libs/event-sourcing';
import { DISTRICT_CODES } from '#libs/contracts';
import { RegistryClock } from '#libs/hosting';
import {
  AcceptsIdempotencyKey,
  CurrentActor,
  DistrictScoped,
  IdempotentRequests,
  decisionRequestOf,
  ZodBody,
  ZodQuery,
  ZodParam,
} from '#libs/http';
import {
  AssignPost,
  CORRECTION_MESSAGE,
  ConvertVillageToResidence,
  CorrectDecisionFields,
  correctsSomething,
  DelegateTask,
  DissolveCommittee,
  EndPost,
  EndProxyManagement,
  EstablishCommittee,
  FormResidentsGroup,
  Id,
  MergeCommittees,
  RecordAdjacency,
  RegisterArea,
  RenameCommittee,
  ReportOccupancy,
  SetUpPartyOrganization,
  SetUpServiceStation,
  SplitCommittee,
  StartProxyManagement,
  UpdateAreaHouseholds,
  type CommandType,
  type EstablishmentCommand,
} from '../domain';
import { DecideEstablishment } from '../application/decide-establishment.handler';
import type { DecisionResult } from '../application/district-states';
import { EstablishmentQueries } from '../application/establishment-queries';
import { decisionBody, AsOfQuery, DecisionFields, ObligationsQuery, OnQuery } from './decision-body';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);

const CorrectionBody = z
  .strictObject({ ...CorrectDecisionFields.shape, ...DecisionFields })
  .refine(correctsSomething, { message: CORRECTION_MESSAGE });

const EventsQuery = z.strictObject({
  fromRevision: z.coerce.number().int().min(0).default(0),
  maxCount: z.coerce.number().int().min(1).max(1000).default(500),
});

type Body = { effectiveAt: string; legalBasis: string } & Record<string, unknown>;

/**
 * The community establishment API. Commands are POSTs under a district (the stream that keeps
 * coverage consistent, EST-7); reads are GETs that take an optional past date.
 */
@ApiTags('community establishment')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class EstablishmentController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: EstablishmentQueries,
    private readonly idempotency: IdempotentRequests,
    private readonly clock: RegistryClock,
  ) {}

  private async decide(
    district: string,
    type: CommandType,
    body: Body,
    fromPath: Record<string, string>,
    actor: Actor,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<DecisionResult> {
    // Retry-safe with an Idempotency-Key; called here rather than as an interceptor, which Nest
    // would wrap around every command, with a key or without.
    return this.idempotency.run(req, reply, async () => {
      const { fields, envelope } = decisionRequestOf(body, actor, req, this.clock.today());
      const command = { type, data: { ...fields, ...fromPath } } as EstablishmentCommand;
      const result = await this.commandBus.execute(new DecideEstablishment(district, command, envelope));
      void reply.header('etag', `"${result.revision}"`);
      return result;
    });
  }

  @Post('areas')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({
    summary:
      'Register a residential area with its first responsible body (EST-1, EST-3, EST-4, EST-6, EST-7)',
  })
  registerArea(
    @District() district: string,
    @ZodBody(decisionBody(RegisterArea)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RegisterArea', body, {}, actor, req, reply);
  }

  @Post('village-conversions')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Record a village-to-residence conversion (EST-5)' })
  convertVillage(
    @District() district: string,
    @ZodBody(decisionBody(ConvertVillageToResidence)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'ConvertVillageToResidence', body, {}, actor, req, reply);
  }

  @Post('areas/:areaId/households')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: "Record a change of an area's households (EST-9)" })
  updateHouseholds(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodBody(decisionBody(UpdateAreaHouseholds, ['areaId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'UpdateAreaHouseholds', body, { areaId }, actor, req, reply);
  }

  @Post('areas/:areaId/adjacency')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Record adjacent areas (相邻; proxy and attachment need adjacency, EST-3)' })
  recordAdjacency(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodBody(decisionBody(RecordAdjacency, ['areaId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordAdjacency', body, { areaId }, actor, req, reply);
  }

  @Post('areas/:areaId/occupancy-reports')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({
    summary: 'Report occupancy; 50% in a new estate opens an establishment obligation (EST-2)',
  })
  reportOccupancy(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodBody(decisionBody(ReportOccupancy, ['areaId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'ReportOccupancy', body, { areaId }, actor, req, reply);
  }

  @Post('residents-groups')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: "Form a residents' group attached to an adjacent committee (EST-3, EST-6)" })
  formGroup(
    @District() district: string,
    @ZodBody(decisionBody(FormResidentsGroup)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'FormResidentsGroup', body, {}, actor, req, reply);
  }

  @Post('areas/:areaId/proxy-management')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: "Start proxy management by an adjacent community's committee (EST-3)" })
  startProxy(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodBody(decisionBody(StartProxyManagement, ['areaId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'StartProxyManagement', body, { areaId }, actor, req, reply);
  }

  @Post('areas/:areaId/proxy-management/end')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'End proxy management, naming the successor body (EST-3, EST-7)' })
  endProxy(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodBody(decisionBody(EndProxyManagement, ['areaId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'EndProxyManagement', body, { areaId }, actor, req, reply);
  }

  @Post('committees')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({
    summary: "Establish a community and its residents' committee (EST-2, EST-7, EST-8, EST-9)",
  })
  establish(
    @District() district: string,
    @ZodBody(decisionBody(EstablishCommittee)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'EstablishCommittee', body, {}, actor, req, reply);
  }

  @Post('committee-mergers')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Merge committees into a new or an absorbing community (EST-7, EST-8)' })
  merge(
    @District() district: string,
    @ZodBody(decisionBody(MergeCommittees)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'MergeCommittees', body, {}, actor, req, reply);
  }

  @Post('communities/:sourceCommunityId/split')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({
    summary: "Split a community's committee; every area goes to exactly one part (EST-7, EST-8)",
  })
  split(
    @District() district: string,
    @IdParam('sourceCommunityId') sourceCommunityId: string,
    @ZodBody(decisionBody(SplitCommittee, ['sourceCommunityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'SplitCommittee', body, { sourceCommunityId }, actor, req, reply);
  }

  @Post('communities/:communityId/rename')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Rename a committee (EST-8)' })
  rename(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(RenameCommittee, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RenameCommittee', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/dissolution')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Dissolve a committee, naming a successor for each of its areas (EST-7, EST-8)' })
  dissolve(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(DissolveCommittee, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'DissolveCommittee', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/party-organization')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Record the set-up of the community Party organization (ORG-1)' })
  partyOrganization(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(SetUpPartyOrganization, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'SetUpPartyOrganization', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/service-station')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Record the set-up of the community service station (ORG-1)' })
  serviceStation(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(SetUpServiceStation, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'SetUpServiceStation', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/posts')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Assign a post; one person may hold posts in all three bodies (ORG-2)' })
  assignPost(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(AssignPost, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'AssignPost', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/posts/end')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'End a post (ORG-2)' })
  endPost(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(EndPost, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'EndPost', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/task-delegations')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({ summary: 'Delegate a government task to the service station, with funding (ORG-3)' })
  delegateTask(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(DelegateTask, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'DelegateTask', body, { communityId }, actor, req, reply);
  }

  @Post('corrections')
  @HttpCode(201)
  @AcceptsIdempotencyKey()
  @ApiOperation({
    summary: 'Correct an earlier decision by a new event pointing to it; nothing is rewritten (EST-8)',
  })
  correct(
    @District() district: string,
    @ZodBody(CorrectionBody) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'CorrectDecision', body, {}, actor, req, reply);
  }

  // ---- reads -------------------------------------------------------------------------------

  @Get('areas')
  @ApiOperation({ summary: 'Areas of the district, now or as of a past date' })
  areas(@District() district: string, @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>) {
    return this.queries.areas(district, q.asOf);
  }

  @Get('areas/:areaId')
  @ApiOperation({ summary: 'One area, now or as of a past date' })
  area(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>,
  ) {
    return this.queries.area(district, areaId, q.asOf);
  }

  @Get('areas/:areaId/responsibility')
  @ApiOperation({ summary: 'Who was responsible for the area on a date, and by which decision (EST-7)' })
  responsibility(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
  ) {
    return this.queries.responsibility(district, areaId, q.on);
  }

  @Get('areas/:areaId/timeline')
  @ApiOperation({
    summary: 'History of an area by effective date, with recorded date, actor, basis, rule ids',
  })
  areaTimeline(@District() district: string, @IdParam('areaId') areaId: string) {
    return this.queries.timeline(district, 'area', areaId);
  }

  @Get('communities')
  @ApiOperation({ summary: 'Communities of the district, now or as of a past date' })
  communities(@District() district: string, @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>) {
    return this.queries.communities(district, q.asOf);
  }

  @Get('communities/:communityId')
  @ApiOperation({ summary: 'One community with its three bodies (ORG-1) and posts, now or as of a date' })
  community(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>,
  ) {
    return this.queries.community(district, communityId, q.asOf);
  }

  @Get('communities/:communityId/timeline')
  @ApiOperation({ summary: 'History of a community by effective date' })
  communityTimeline(@District() district: string, @IdParam('communityId') communityId: string) {
    return this.queries.timeline(district, 'community', communityId);
  }

  @Get('committees/:committeeId/timeline')
  @ApiOperation({ summary: "History of a residents' committee by effective date" })
  committeeTimeline(@District() district: string, @IdParam('committeeId') committeeId: string) {
    return this.queries.committeeTimeline(district, committeeId);
  }

  @Get('persons/:personId/posts')
  @ApiOperation({ summary: 'All concurrent posts of a person (ORG-2)' })
  posts(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>,
  ) {
    return this.queries.posts(district, personId, q.asOf);
  }

  @Get('coverage/findings')
  @ApiOperation({ summary: 'Every gap and overlap of responsibility, past or present (EST-7)' })
  coverage(@District() district: string) {
    return this.queries.coverage(district);
  }

  @Get('obligations')
  @ApiOperation({ summary: 'Establishment obligations as of a date; overdue after their due date (EST-2)' })
  obligations(@District() district: string, @ZodQuery(ObligationsQuery) q: z.infer<typeof ObligationsQuery>) {
    return this.queries.obligations(district, q.on, q.status);
  }

  @Get('household-range-flags')
  @ApiOperation({ summary: 'Committees outside the household range of the law in force (EST-9)' })
  householdRange(@District() district: string, @ZodQuery(AsOfQuery) q: z.infer<typeof AsOfQuery>) {
    return this.queries.householdRangeFlags(district, q.asOf);
  }

  @Get('events')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The district stream's recorded events with their full envelope and hashes" })
  events(@District() district: string, @ZodQuery(EventsQuery) q: z.infer<typeof EventsQuery>) {
    return this.queries.events(district, q.fromRevision, q.maxCount);
  }
}
