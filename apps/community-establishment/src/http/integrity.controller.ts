import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { storedEventsOf, verifyStore, type EventStore } from '#libs/event-sourcing';
import { Roles } from '#libs/http';
import { EVENT_STORE } from '../application/tokens';

/** Auditors check the per-stream hash chains of the whole store; the answer names the first broken event. */
@ApiTags('integrity')
@ApiBearerAuth()
@Controller('api/integrity')
export class IntegrityController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Roles('auditor', 'admin', 'officer')
  @ApiOperation({ summary: 'Verify the hash chain of every stream of this service' })
  verify() {
    // The chain is over the events as stored, not as upcast for reading.
    return verifyStore(storedEventsOf(this.store));
  }
}
