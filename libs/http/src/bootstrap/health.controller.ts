import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';

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

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(SERVICE_INFO) private readonly info: ServiceInfo) {}

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
}
