import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '#libs/event-sourcing';
import { DISTRICT_CODES } from '#libs/contracts';
import { RegistryClock } from '#libs/hosting';
import {
  CurrentActor,
  DistrictScoped,
  forbiddenProblem,
  Idempotent,
  decisionRequestOf,
  Roles,
  ZodBody,
  ZodQuery,
  ZodParam,
  ZodValidationPipe,
} from '#libs/http';
import {
  AssignBuildingNames,
  ChangeFacilityUse,
  HandOverFacility,
  Id,
  InspectAcceptance,
  RecomputeRequirement,
  RecordCityBudget,
  RecordConsultation,
  RecordDistrictBudget,
  RecordExistingFacility,
  RecordFacilityFunctions,
  RecordUrbanPopulation,
  RecordUtilityTariff,
  RegisterConstructionProject,
  RemedySpaceShortage,
  RemedyVegetableMarket,
  ReviewPlanning,
  ReviseDesign,
  StartConstruction,
  Year,
  type FacilityCommand,
  type FacilityCommandType,
  type FundingCommand,
  type FundingCommandType,
} from '../domain';
import { DecideFacility } from '../application/decide-facility.handler';
import type { DecisionResult, Target } from '../application/facility-streams';
import { FacilityQueries } from '../application/facility-queries';
import { decisionBody, OnQuery } from './decision-body';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);
const YearParam = (): ParameterDecorator =>
  Param('year', new ZodValidationPipe(z.coerce.number().pipe(Year)));

type Body = { effectiveAt: string; legalBasis: string } & Record<string, unknown>;

/** Turns a command body into a decision through the command bus: shared by both controllers. */
export async function decideThrough(
  commandBus: CommandBus,
  clock: RegistryClock,
  target: (data: Record<string, unknown>) => Target,
  body: Body,
  fromPath: Record<string, unknown>,
  actor: Actor,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<DecisionResult> {
  const { fields, envelope } = decisionRequestOf(body, actor, req, clock.today());
  const result = await commandBus.execute(new DecideFacility(target({ ...fields, ...fromPath }), envelope));
  void reply.header('etag', `"${result.revision}"`);
  return result;
}

/**
 * The facility construction API of a district: construction projects (FAC-1..3), community
 * facilities (FAC-4..8) and the district's funding records (FUND-1, FUND-2). Commands are POSTs;
 * reads are GETs at a date (`?on=`); without one they are about now and come from the read models.
 */
@ApiTags('facility construction')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class FacilityController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: FacilityQueries,
    private readonly clock: RegistryClock,
  ) {}

  private facility(
    district: string,
    type: FacilityCommandType,
    body: Body,
    fromPath: Record<string, string>,
    actor: Actor,
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    const target = (data: Record<string, unknown>): Target => ({
      stream: 'facilities',
      district,
      command: { type, data } as FacilityCommand,
    });
    return decideThrough(this.commandBus, this.clock, target, body, fromPath, actor, req, reply);
  }

  private funding(
    district: string,
    type: FundingCommandType,
    body: Body,
    actor: Actor,
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    const target = (data: Record<string, unknown>): Target => ({
      stream: 'funding',
      command: { type, data } as FundingCommand,
    });
    return decideThrough(this.commandBus, this.clock, target, body, { district }, actor, req, reply);
  }

  @Post('projects')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Register a residential construction project and its planned community space (FAC-1)',
  })
  register(
    @District() district: string,
    @ZodBody(decisionBody(RegisterConstructionProject)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RegisterConstructionProject', body, {}, actor, req, reply);
  }

  @Post('projects/:projectId/design-revisions')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Revise a design before approval (FAC-1, FAC-2)' })
  revise(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(ReviseDesign, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'ReviseDesign', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/consultations')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Record the opinion of civil affairs or the sub-district office at a stage (FAC-2)',
  })
  consult(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(RecordConsultation, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RecordConsultation', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/planning-reviews')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary:
      'Planning review: a design short of FAC-1 is refused on record; approval needs both opinions (FAC-2)',
  })
  review(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(ReviewPlanning, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'ReviewPlanning', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/construction-start')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Start construction of an approved design (FAC-2)' })
  start(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(StartConstruction, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'StartConstruction', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/acceptance-inspections')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Acceptance against the plan; a failure refuses naming and door numbers (FAC-3)' })
  accept(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(InspectAcceptance, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'InspectAcceptance', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/building-names')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Assign building names and door numbers; refused while a FAC-3 refusal is in force',
  })
  names(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(AssignBuildingNames, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'AssignBuildingNames', body, { projectId }, actor, req, reply);
  }

  @Post('projects/:projectId/hand-over')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary:
      'Hand an accepted facility over: use right to the committee, managed by the sub-district office (FAC-3, FAC-5)',
  })
  handOver(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodBody(decisionBody(HandOverFacility, ['projectId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'HandOverFacility', body, { projectId }, actor, req, reply);
  }

  @Post('communities/:communityId/requirement-recomputations')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: "Recompute a community's FAC-1 requirement after an establishment event" })
  recompute(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(RecomputeRequirement, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RecomputeRequirement', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/facilities')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record an existing community facility (FAC-4, FAC-5, FAC-6)' })
  existing(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(RecordExistingFacility, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RecordExistingFacility', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/space-remedies')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Resolve a lack of space: new build, renovation or expansion, purchase, swap or lease (FAC-4)',
  })
  remedy(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(RemedySpaceShortage, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RemedySpaceShortage', body, { communityId }, actor, req, reply);
  }

  @Post('communities/:communityId/vegetable-markets')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Provide a community vegetable market: new build, renovation, buy-back, swap or lease (FAC-4)',
  })
  market(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodBody(decisionBody(RemedyVegetableMarket, ['communityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RemedyVegetableMarket', body, { communityId }, actor, req, reply);
  }

  @Post('facilities/:facilityId/functions')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record the functions a facility provides (FAC-6)' })
  functions(
    @District() district: string,
    @IdParam('facilityId') facilityId: string,
    @ZodBody(decisionBody(RecordFacilityFunctions, ['facilityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RecordFacilityFunctions', body, { facilityId }, actor, req, reply);
  }

  @Post('facilities/:facilityId/use-changes')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Change the use of a facility; profit-making commercial use is refused (FAC-7)' })
  useChange(
    @District() district: string,
    @IdParam('facilityId') facilityId: string,
    @ZodBody(decisionBody(ChangeFacilityUse, ['facilityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'ChangeFacilityUse', body, { facilityId }, actor, req, reply);
  }

  @Post('facilities/:facilityId/tariffs')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record a utility tariff; a non-residential rate is flagged (FAC-8)' })
  tariff(
    @District() district: string,
    @IdParam('facilityId') facilityId: string,
    @ZodBody(decisionBody(RecordUtilityTariff, ['facilityId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.facility(district, 'RecordUtilityTariff', body, { facilityId }, actor, req, reply);
  }

  @Post('funding/urban-population')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: "Record the district's urban population for a year (FUND-1 input data)" })
  population(
    @District() district: string,
    @ZodBody(decisionBody(RecordUrbanPopulation, ['district'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.funding(district, 'RecordUrbanPopulation', body, actor, req, reply);
  }

  @Post('funding/budgets')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: "Record the district's community-work budget by line (FUND-1, FUND-2)" })
  budget(
    @District() district: string,
    @ZodBody(decisionBody(RecordDistrictBudget, ['district'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.funding(district, 'RecordDistrictBudget', body, actor, req, reply);
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Get('projects')
  @ApiOperation({ summary: 'Construction projects on a date' })
  projects(@District() district: string, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.projects(district, q.on);
  }

  @Get('projects/:projectId')
  @ApiOperation({ summary: "A project's state and history on a date (FAC-1..3)" })
  project(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodQuery(OnQuery) q: OnQuery,
  ) {
    return this.queries.project(district, projectId, q.on);
  }

  @Get('communities/:communityId')
  @ApiOperation({ summary: "A community's requirement, facilities, markets and history on a date" })
  community(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(OnQuery) q: OnQuery,
  ) {
    return this.queries.community(district, communityId, q.on);
  }

  @Get('communities/:communityId/functions')
  @ApiOperation({ summary: 'FAC-6 compliance of a community on a date' })
  communityFunctions(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(OnQuery) q: OnQuery,
  ) {
    return this.queries.communityFunctions(district, communityId, q.on);
  }

  @Get('space-shortfalls')
  @ApiOperation({ summary: 'Communities short of space on a date, with the shortfall (FAC-1, FAC-4)' })
  shortfalls(@District() district: string, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.shortfalls(district, q.on);
  }

  @Get('function-compliance')
  @ApiOperation({ summary: 'FAC-6 compliance of every community of the district on a date' })
  districtFunctions(@District() district: string, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.districtFunctions(district, q.on);
  }

  @Get('naming-refusals')
  @ApiOperation({ summary: 'Refusals of building naming and door numbers in force on a date (FAC-3)' })
  namingRefusals(@District() district: string, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.namingRefusals(district, q.on);
  }

  @Get('tariff-flags')
  @ApiOperation({ summary: 'Utility tariffs at a non-residential rate in force on a date (FAC-8)' })
  tariffFlags(@District() district: string, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.tariffFlags(district, q.on);
  }

  @Get('funding/:year')
  @ApiOperation({
    summary: "The district's funding compliance for a year, as on record on a date (FUND-1, FUND-2)",
  })
  districtFunding(@District() district: string, @YearParam() year: number, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.districtFunding(district, year, q.on);
  }
}

/** The city's own budget (FUND-1): city-wide tokens only. */
@ApiTags('facility construction')
@ApiBearerAuth()
@Controller('api/city/funding')
export class CityFundingController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: FacilityQueries,
    private readonly clock: RegistryClock,
  ) {}

  @Post('budgets')
  @HttpCode(201)
  @Idempotent()
  @Roles('officer', 'admin')
  @ApiOperation({ summary: "Record the city's community-work budget for a year (FUND-1); city-wide scope" })
  cityBudget(
    @ZodBody(decisionBody(RecordCityBudget)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (actor.districtScope !== '*')
      throw forbiddenProblem(`The city budget needs a city-wide scope, not ${actor.districtScope}.`, {
        districtScope: actor.districtScope,
      });
    const target = (data: Record<string, unknown>): Target => ({
      stream: 'funding',
      command: { type: 'RecordCityBudget', data } as FundingCommand,
    });
    return decideThrough(this.commandBus, this.clock, target, body, {}, actor, req, reply);
  }

  @Get(':year')
  @ApiOperation({ summary: "The city's and every district's funding compliance for a year (FUND-1)" })
  cityFunding(@YearParam() year: number, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.cityFunding(year, q.on);
  }
}
