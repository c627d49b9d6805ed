import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DISTRICT_CODES } from '#libs/contracts';
import {
  commandRoutes,
  DistrictScoped,
  PageQuery,
  PageQueryFields,
  Paged,
  QueryDate,
  ZodParam,
  ZodQuery,
  type PageRequest,
} from '#libs/http';
import { Id } from '../domain';
import { EstablishmentQueries } from '../application/establishment-queries';
import { ESTABLISHMENT_COMMANDS } from './establishment-commands';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);

const EventsQuery = z.strictObject({
  fromRevision: z.coerce.number().int().min(0).default(0),
  maxCount: z.coerce.number().int().min(1).max(1000).default(500),
});

const AsOfQuery = z.strictObject({ asOf: QueryDate().optional() });
/** A list of one row per area or community: paged by id (`?limit=`, `?after=`), a Link to the next. */
const AsOfPageQuery = z.strictObject({ asOf: QueryDate().optional(), ...PageQueryFields });
const OnQuery = z.strictObject({ on: QueryDate() });
const ObligationsQuery = z.strictObject({
  on: QueryDate(),
  status: z.enum(['open', 'overdue', 'closed', 'closed-late']).optional(),
});

/**
 * The community establishment API. Commands are POSTs under a district (the stream that keeps
 * coverage consistent, EST-7), declared in establishment-commands.ts; reads are GETs that take an
 * optional past date.
 */
@ApiTags('community establishment')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class EstablishmentController extends commandRoutes(ESTABLISHMENT_COMMANDS, {
  controllerParams: { district: z.enum(DISTRICT_CODES) },
  idParam: Id,
}) {
  constructor(private readonly queries: EstablishmentQueries) {
    super();
  }

  // ---- reads -------------------------------------------------------------------------------

  @Get('areas')
  @Paged()
  @ApiOperation({
    summary: 'Areas of the district by id, now or as of a past date; paged, Link to the next page',
  })
  areas(@District() district: string, @ZodQuery(AsOfPageQuery) q: z.infer<typeof AsOfPageQuery>) {
    return this.queries.areasPage(district, q.asOf, q);
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
    summary: 'History of an area by effective date, with recorded date, actor, basis, rule ids (paged)',
  })
  areaTimeline(
    @District() district: string,
    @IdParam('areaId') areaId: string,
    @ZodQuery(PageQuery) page: PageRequest,
  ) {
    return this.queries.timeline(district, 'area', areaId, page);
  }

  @Get('communities')
  @Paged()
  @ApiOperation({
    summary: 'Communities of the district by id, now or as of a past date; paged, Link to the next page',
  })
  communities(@District() district: string, @ZodQuery(AsOfPageQuery) q: z.infer<typeof AsOfPageQuery>) {
    return this.queries.communitiesPage(district, q.asOf, q);
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
  @ApiOperation({ summary: 'History of a community by effective date (paged)' })
  communityTimeline(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(PageQuery) page: PageRequest,
  ) {
    return this.queries.timeline(district, 'community', communityId, page);
  }

  @Get('committees/:committeeId/timeline')
  @ApiOperation({ summary: "History of a residents' committee by effective date (paged)" })
  committeeTimeline(
    @District() district: string,
    @IdParam('committeeId') committeeId: string,
    @ZodQuery(PageQuery) page: PageRequest,
  ) {
    return this.queries.committeeTimeline(district, committeeId, page);
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
