import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DISTRICT_CODES } from '#libs/contracts';
import {
  commandRoutes,
  DistrictScoped,
  PAGE_PARAMS,
  PageQueryFields,
  Paged,
  QueryDate,
  ZodParam,
  ZodQuery,
  ZodValidationPipe,
} from '#libs/http';
import { Id, Year } from '../domain';
import { FacilityQueries } from '../application/facility-queries';
import { CITY_FUNDING_COMMANDS, FACILITY_COMMANDS } from './facility-commands';

const District = (): ParameterDecorator => ZodParam('district', z.enum(DISTRICT_CODES));
// Documented with its pattern in the OpenAPI document.
const IdParam = (name: string): ParameterDecorator => ZodParam(name, Id);
const YearParam = (): ParameterDecorator =>
  Param('year', new ZodValidationPipe(z.coerce.number().pipe(Year)));

/** Every question takes a date; without one it is asked about today (RegistryClock). */
const OnQuery = z.strictObject({ on: QueryDate().optional() });
type OnQuery = z.infer<typeof OnQuery>;
/** A date, and a page of the history (`?limit=`, `?after=` the `next` of the page before). */
const HistoryQuery = z.strictObject({ on: QueryDate().optional(), ...PAGE_PARAMS });
type HistoryQuery = z.infer<typeof HistoryQuery>;

/**
 * A list of one row per project or community: paged by id (`?limit=`, `?after=`), a Link to the
 * next page (and `next` in a report's answer).
 */
const OnPageQuery = z.strictObject({ on: QueryDate().optional(), ...PageQueryFields });
type OnPageQuery = z.infer<typeof OnPageQuery>;

/**
 * The facility construction API of a district: construction projects (FAC-1..3), community
 * facilities (FAC-4..8) and the district's funding records (FUND-1, FUND-2). Commands are POSTs
 * (facility-commands.ts);
 * reads are GETs at a date (`?on=`); without one they are about now and come from the read models.
 */
@ApiTags('facility construction')
@ApiBearerAuth()
@DistrictScoped('district')
@Controller('api/districts/:district')
export class FacilityController extends commandRoutes(FACILITY_COMMANDS, {
  controllerParams: { district: z.enum(DISTRICT_CODES) },
  idParam: Id,
}) {
  constructor(private readonly queries: FacilityQueries) {
    super();
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Get('projects')
  @Paged()
  @ApiOperation({ summary: 'Construction projects by id on a date; paged, Link to the next page' })
  projects(@District() district: string, @ZodQuery(OnPageQuery) q: OnPageQuery) {
    return this.queries.projectsPage(district, q.on, q);
  }

  @Get('projects/:projectId')
  @ApiOperation({ summary: "A project's state and a page of its history on a date (FAC-1..3)" })
  project(
    @District() district: string,
    @IdParam('projectId') projectId: string,
    @ZodQuery(HistoryQuery) q: HistoryQuery,
  ) {
    return this.queries.project(district, projectId, q.on, q);
  }

  @Get('communities/:communityId')
  @ApiOperation({
    summary: "A community's requirement, facilities, markets and a page of its history on a date",
  })
  community(
    @District() district: string,
    @IdParam('communityId') communityId: string,
    @ZodQuery(HistoryQuery) q: HistoryQuery,
  ) {
    return this.queries.community(district, communityId, q.on, q);
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
  @Paged()
  @ApiOperation({
    summary:
      'Communities short of space on a date, with the shortfall (FAC-1, FAC-4), by community id; paged, `next` and a Link to the next page',
  })
  shortfalls(@District() district: string, @ZodQuery(OnPageQuery) q: OnPageQuery) {
    return this.queries.shortfalls(district, q.on, q);
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
export class CityFundingController extends commandRoutes(CITY_FUNDING_COMMANDS, { idParam: Id }) {
  constructor(private readonly queries: FacilityQueries) {
    super();
  }

  @Get(':year')
  @ApiOperation({ summary: "The city's and every district's funding compliance for a year (FUND-1)" })
  cityFunding(@YearParam() year: number, @ZodQuery(OnQuery) q: OnQuery) {
    return this.queries.cityFunding(year, q.on);
  }
}
