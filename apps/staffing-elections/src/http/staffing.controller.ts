import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
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
  Idempotent,
  decisionRequestOf,
  ZodBody,
  ZodQuery,
  ZodParam,
} from '#libs/http';
import {
  AssignPost,
  CallElection,
  EndPost,
  EndTerms,
  HireWorker,
  RecordAverageWage,
  RecordCareerEvent,
  RecordElectionResults,
  RecordPay,
  RecordQualification,
  RecordWelfare,
  RegisterElectorate,
  TransferWorker,
  WorkerLeaves,
  Id,
  type CommandType,
  type StaffingCommand,
  type WorkerView,
} from '../domain';
import { DecideStaffing } from '../application/decide-staffing.handler';
import type { DecisionResult } from '../application/staffing-states';
import { StaffingQueries } from '../application/staffing-queries';
import { decisionBody, EventsQuery, OnQuery, YearQuery } from './decision-body';
import { assertMayReadPersonalDetails, payFindingsFor } from './personal-data';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);

type Body = { effectiveAt: string; legalBasis: string } & Record<string, unknown>;

/**
 * The staffing and elections API. Commands are POSTs under a district (the stream, see
 * domain/decider.ts); reads are GETs that take an optional past date (`on`). Who may read which
 * personal data is in personal-data.ts.
 */
@ApiTags('staffing and elections')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class StaffingController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: StaffingQueries,
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
    const { fields, envelope } = decisionRequestOf(body, actor, req, this.clock.today());
    const command = { type, data: { ...fields, ...fromPath } } as StaffingCommand;
    const result = await this.commandBus.execute(new DecideStaffing(district, command, envelope));
    void reply.header('etag', `"${result.revision}"`);
    return result;
  }

  /**
   * PERSONAL-DATA: one part of a worker's record with its amounts, for officers of the district
   * and admins; anyone else is refused and pointed to the aggregate and the worker's record.
   */
  private async personalDetails<K extends 'pay' | 'welfare'>(
    actor: Actor,
    what: string,
    district: string,
    personId: string,
    on: string | undefined,
    part: K,
  ): Promise<{ personId: string; on: string } & Pick<WorkerView, K>> {
    assertMayReadPersonalDetails(actor, what, `indicators/pay-and-welfare and workers/${personId}`);
    const w = await this.queries.worker(district, personId, on);
    return { personId, on: w.on, ...({ [part]: w[part] } as Pick<WorkerView, K>) };
  }

  @Post('elections')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Call an election: schedule, new committee, merger, split or vacancies (ELECT-4)',
  })
  callElection(
    @District() district: string,
    @ZodBody(decisionBody(CallElection)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'CallElection', body, {}, actor, req, reply);
  }

  @Post('elections/:electionId/electorate')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Register the electorate: all voters, household or group representatives (ELECT-3)',
  })
  registerElectorate(
    @District() district: string,
    @IdParam('electionId') electionId: string,
    @ZodBody(decisionBody(RegisterElectorate, ['electionId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RegisterElectorate', body, { electionId }, actor, req, reply);
  }

  @Post('elections/:electionId/results')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Record aggregated results; validity, composition and term (ELECT-1, ELECT-2, ELECT-5)',
  })
  recordResults(
    @District() district: string,
    @IdParam('electionId') electionId: string,
    @ZodBody(decisionBody(RecordElectionResults, ['electionId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordElectionResults', body, { electionId }, actor, req, reply);
  }

  @Post('committees/:committeeId/terms/end')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: "End a dissolved committee's term and cancel its open election, without electing anew (ELECT-4)",
  })
  endTerms(
    @District() district: string,
    @IdParam('committeeId') committeeId: string,
    @ZodBody(decisionBody(EndTerms, ['committeeId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'EndTerms', body, { committeeId }, actor, req, reply);
  }

  @Post('workers')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Hire a community worker into a service station (STAFF-1, STAFF-5)' })
  hire(
    @District() district: string,
    @ZodBody(decisionBody(HireWorker)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'HireWorker', body, {}, actor, req, reply);
  }

  @Post('workers/:personId/transfer')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Transfer a worker to another community (STAFF-1)' })
  transfer(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(TransferWorker, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'TransferWorker', body, { personId }, actor, req, reply);
  }

  @Post('workers/:personId/leaving')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'A worker leaves the service station (STAFF-1, STAFF-6)' })
  leave(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(WorkerLeaves, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'WorkerLeaves', body, { personId }, actor, req, reply);
  }

  @Post('workers/:personId/welfare')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record welfare: health check, paid leave, hardship subsidy (STAFF-2)' })
  welfare(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(RecordWelfare, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordWelfare', body, { personId }, actor, req, reply);
  }

  @Post('average-wages')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: "Record the district's average wage of a year, input of the pay floor (STAFF-3)" })
  averageWage(
    @District() district: string,
    @ZodBody(decisionBody(RecordAverageWage)) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordAverageWage', body, {}, actor, req, reply);
  }

  @Post('workers/:personId/pay')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record annual pay, insurances and housing fund (STAFF-3)' })
  pay(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(RecordPay, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordPay', body, { personId }, actor, req, reply);
  }

  @Post('workers/:personId/qualifications')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record a social-work qualification (STAFF-4)' })
  qualification(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(RecordQualification, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordQualification', body, { personId }, actor, req, reply);
  }

  @Post('workers/:personId/career-events')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Record a career event (STAFF-6)' })
  career(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(RecordCareerEvent, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'RecordCareerEvent', body, { personId }, actor, req, reply);
  }

  @Post('persons/:personId/posts')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'Assign a post in one of the three bodies (ORG-2)' })
  assignPost(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(AssignPost, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'AssignPost', body, { personId }, actor, req, reply);
  }

  @Post('persons/:personId/posts/end')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({ summary: 'End a post (ORG-2)' })
  endPost(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodBody(decisionBody(EndPost, ['personId'])) body: Body,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.decide(district, 'EndPost', body, { personId }, actor, req, reply);
  }

  // ---- reads -------------------------------------------------------------------------------

  @Get('committees/:committeeId/composition')
  @ApiOperation({
    summary: 'The committee in office on a date: chair, vice-chairs, members, term (ELECT-1, ELECT-2)',
  })
  composition(
    @District() district: string,
    @IdParam('committeeId') committeeId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
  ) {
    return this.queries.composition(district, committeeId, q.on);
  }

  @Get('committees/:committeeId/timeline')
  @ApiOperation({ summary: "A committee's elections and terms by effective date, with basis and rule ids" })
  timeline(@District() district: string, @IdParam('committeeId') committeeId: string) {
    return this.queries.timeline(district, committeeId);
  }

  @Get('communities/:communityId/roster')
  @ApiOperation({ summary: "A community's workers and committee on a date (STAFF-1)" })
  roster(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
  ) {
    return this.queries.roster(district, communityId, q.on);
  }

  @Get('election-calendar')
  @ApiOperation({ summary: 'Elections due or overdue and terms ending on a date (ELECT-2, ELECT-4)' })
  calendar(@District() district: string, @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>) {
    return this.queries.calendar(district, q.on);
  }

  @Get('indicators/qualifications')
  @ApiOperation({ summary: 'Share of social-work qualification holders against the 20% target (STAFF-4)' })
  qualifications(@District() district: string, @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>) {
    return this.queries.qualificationRatio(district, q.on);
  }

  @Get('indicators/communities-without-graduate')
  @ApiOperation({ summary: 'Communities without a college graduate on a date (STAFF-5)' })
  withoutGraduate(@District() district: string, @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>) {
    return this.queries.withoutGraduate(district, q.on);
  }

  @Get('indicators/pay-findings')
  @ApiOperation({
    summary: 'Workers of a year paid below the floor or without the insurances and fund (STAFF-3)',
  })
  async payFindings(
    @District() district: string,
    @ZodQuery(YearQuery) q: z.infer<typeof YearQuery>,
    @CurrentActor() actor: Actor,
  ) {
    // PERSONAL-DATA: an auditor sees the finding, not the amount.
    return payFindingsFor(actor, await this.queries.payFindings(district, q.year));
  }

  @Get('indicators/pay-and-welfare')
  @ApiOperation({
    summary:
      "A year's pay and welfare of the district's workers in aggregate, for every reader (STAFF-2, STAFF-3)",
  })
  payAndWelfare(@District() district: string, @ZodQuery(YearQuery) q: z.infer<typeof YearQuery>) {
    return this.queries.payAndWelfare(district, q.year);
  }

  @Get('workers/:personId')
  @ApiOperation({
    summary:
      "A worker's employment, qualifications and career; pay and welfare as facts, no amounts (STAFF-1..6)",
  })
  worker(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
  ) {
    return this.queries.workerRecord(district, personId, q.on);
  }

  @Get('workers/:personId/pay')
  @ApiOperation({
    summary:
      "A worker's pay amounts, insurances and fund by year: officers of the district and admins (STAFF-3)",
  })
  workerPay(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
    @CurrentActor() actor: Actor,
  ) {
    return this.personalDetails(actor, "A worker's pay amounts", district, personId, q.on, 'pay');
  }

  @Get('workers/:personId/welfare')
  @ApiOperation({
    summary:
      "A worker's welfare records (health checks, leave, subsidies): officers of the district and admins (STAFF-2)",
  })
  workerWelfare(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
    @CurrentActor() actor: Actor,
  ) {
    return this.personalDetails(actor, "A worker's welfare records", district, personId, q.on, 'welfare');
  }

  @Get('persons/:personId/posts')
  @ApiOperation({ summary: 'All concurrent posts of a person on a date (ORG-2)' })
  posts(
    @District() district: string,
    @IdParam('personId') personId: string,
    @ZodQuery(OnQuery) q: z.infer<typeof OnQuery>,
  ) {
    return this.queries.posts(district, personId, q.on);
  }

  @Get('events')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary:
      "The district stream's recorded events with their full envelope and hashes: officers of the district and admins",
  })
  events(
    @District() district: string,
    @ZodQuery(EventsQuery) q: z.infer<typeof EventsQuery>,
    @CurrentActor() actor: Actor,
  ) {
    // PERSONAL-DATA: the raw events carry pay amounts and welfare records.
    assertMayReadPersonalDetails(
      actor,
      'The raw events (with pay and welfare records)',
      'the queries and indicators',
    );
    return this.queries.events(district, q.fromRevision, q.maxCount);
  }
}

/** City-wide answers: aggregates over every district, readable by any authenticated role. */
@ApiTags('staffing and elections')
@ApiBearerAuth()
@Controller('api/indicators')
export class CityIndicatorsController {
  constructor(private readonly queries: StaffingQueries) {}

  @Get('qualifications')
  @ApiOperation({ summary: 'STAFF-4 qualification ratio per district and city-wide against the 20% target' })
  qualifications(@ZodQuery(OnQuery) q: z.infer<typeof OnQuery>) {
    return this.queries.cityQualificationRatio(q.on);
  }
}
