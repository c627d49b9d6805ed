import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '#libs/event-sourcing';
import { DISTRICT_CODES } from '#libs/contracts';
import {
  commandRoutes,
  CurrentActor,
  DistrictScoped,
  PageQuery,
  PageQueryFields,
  Paged,
  QueryDate,
  ZodParam,
  ZodQuery,
  type PageRequest,
} from '#libs/http';
import { Id, type WorkerView } from '../domain';
import { StaffingQueries } from '../application/staffing-queries';
import { assertMayReadPersonalDetails, payFindingsFor } from './personal-data';
import { STAFFING_COMMANDS } from './staffing-commands';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);

const OnQuery = z.strictObject({ on: QueryDate().optional() });
/** A district-wide report on a date: paged by id (`?limit=`, `?after=`), `next` and a Link to the next. */
const OnPageQuery = z.strictObject({ on: QueryDate().optional(), ...PageQueryFields });
const YearQuery = z.strictObject({ year: z.coerce.number().int().min(1990).max(2100) });
const EventsQuery = z.strictObject({
  fromRevision: z.coerce.number().int().min(0).default(0),
  maxCount: z.coerce.number().int().min(1).max(1000).default(500),
});

/**
 * The staffing and elections API. Commands are POSTs under a district (the stream, see
 * domain/decider.ts), declared in staffing-commands.ts; reads are GETs that take an optional past date (`on`). Who may read which
 * personal data is in personal-data.ts.
 */
@ApiTags('staffing and elections')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class StaffingController extends commandRoutes(STAFFING_COMMANDS, {
  controllerParams: { district: z.enum(DISTRICT_CODES) },
  idParam: Id,
}) {
  constructor(private readonly queries: StaffingQueries) {
    super();
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
  @ApiOperation({
    summary: "A committee's elections and terms by effective date, with basis and rule ids (paged)",
  })
  timeline(
    @District() district: string,
    @IdParam('committeeId') committeeId: string,
    @ZodQuery(PageQuery) page: PageRequest,
  ) {
    return this.queries.timeline(district, committeeId, page);
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
  @Paged()
  @ApiOperation({
    summary:
      'Elections due or overdue and terms ending on a date (ELECT-2, ELECT-4), by committee id; paged, `next` and a Link to the next page',
  })
  calendar(@District() district: string, @ZodQuery(OnPageQuery) q: z.infer<typeof OnPageQuery>) {
    return this.queries.calendar(district, q.on, q);
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
