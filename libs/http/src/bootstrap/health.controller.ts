import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/decorators';
import { NotReady, READINESS_CHECKS, ReadinessChecks } from '../observability/readiness';
import { PROBLEM_CONTENT_TYPE, ProblemException, ProblemType } from '../problem/problem';

export const SERVICE_INFO = 'SERVICE_INFO';

export interface ServiceInfo {
  readonly name: string;
  readonly startedAt: number;
}

export interface HealthStatus {
  readonly status: 'ok';
  readonly service: string;
  /** Seconds since this service started. */
  readonly uptime: number;
}

/** A dependency that has not answered in this time is down: a probe must answer promptly. */
export const READINESS_TIMEOUT_MS = 3_000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Readiness');

  constructor(
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly readiness: ReadinessChecks,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { status: { enum: ['ok'] }, service: { type: 'string' }, uptime: { type: 'number' } },
    },
  })
  health(): HealthStatus {
    return {
      status: 'ok',
      service: this.info.name,
      uptime: Math.round((Date.now() - this.info.startedAt) / 10) / 100,
    };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: the event store and the read store answer and, with Kafka, the relay publishes (terminus result)',
  })
  @ApiOkResponse({ description: 'Every dependency answers: `{status: "ok", info, details}`' })
  @ApiResponse({
    status: 503,
    description: 'A dependency is down: a problem naming it (`down`), with the terminus details (`checks`)',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  async ready(): Promise<HealthCheckResult> {
    const indicators = this.readiness.entries().map(
      ([name, check]) =>
        () =>
          this.indicators
            .check(name)
            .attempt(async () => {
              try {
                return await check();
              } catch (error) {
                throw this.safe(name, error);
              }
            })
            .withTimeout(READINESS_TIMEOUT_MS),
    );
    try {
      return await this.checks.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus answers 503 with its result; the problem filter would make any 5xx a bare 500.
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new ProblemException(
        {
          type: ProblemType.notReady,
          title: 'Not ready',
          status: 503,
          detail:
            down.length > 0 ? `Not answering: ${down.join(', ')}` : `The service is ${String(result.status)}`,
          service: this.info.name,
          down,
          checks: result.details,
        },
        { 'retry-after': '5' },
      );
    }
  }

  /** Our own reasons are shown; a driver's message is logged only (it may name hosts or paths). */
  private safe(name: string, error: unknown): Error {
    if (error instanceof NotReady) return error;
    this.logger.warn(`${name} is not ready: ${error instanceof Error ? error.message : String(error)}`);
    return new Error(`no answer (${error instanceof Error ? error.name : typeof error})`);
  }
}
