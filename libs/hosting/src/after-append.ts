import { Injectable } from '@nestjs/common';
import type { DecisionResult } from '#libs/event-sourcing';
import { ProjectionHost } from './projection-host';
import { RelayHost } from './relay-host';

/**
 * What follows every accepted decision of a service: the projection learns the position to wait
 * for (read-your-writes) and the relay is nudged so it need not wait for its next poll. Nothing is
 * published in the request path: the event log is the outbox.
 */
@Injectable()
export class AfterAppend {
  constructor(
    private readonly projections: ProjectionHost,
    private readonly relay: RelayHost,
  ) {}

  note(result: DecisionResult): DecisionResult {
    const last = result.events.at(-1);
    if (last) {
      this.projections.noteAppended(last.globalPosition);
      this.relay.notify();
    }
    return result;
  }
}
