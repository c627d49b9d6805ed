import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DecisionResult } from '#libs/event-sourcing';
import { SERVICE_METRICS, type ServiceMetrics } from '#libs/http';
import { HostingMetrics } from './hosting-metrics';
import { ProjectionHost } from './projection-host';
import { RelayHost } from './relay-host';

/**
 * What follows every accepted decision of a service: the projection learns the position to wait
 * for (read-your-writes) and the relay is nudged so it need not wait for its next poll. Nothing is
 * published in the request path: the event log is the outbox. Decisions and appends are counted
 * for /metrics (one counter increment each).
 */
@Injectable()
export class AfterAppend {
  private readonly metrics: HostingMetrics | undefined;

  constructor(
    private readonly projections: ProjectionHost,
    private readonly relay: RelayHost,
    @Optional() @Inject(SERVICE_METRICS) serviceMetrics?: ServiceMetrics,
  ) {
    this.metrics = serviceMetrics && HostingMetrics.of(serviceMetrics);
  }

  /** Notes an accepted decision of the command type given (`EstablishCommittee`, ...) and its events. */
  accepted<R extends DecisionResult>(commandType: string, result: R): R {
    this.metrics?.accepted(commandType);
    return this.note(result);
  }

  /** Counts a decision that was refused (by the rule id of its RuleViolation) or failed. */
  notAccepted(commandType: string, error: unknown): void {
    this.metrics?.notAccepted(commandType, error);
  }

  note<R extends DecisionResult>(result: R): R {
    const last = result.events.at(-1);
    if (last) {
      this.metrics?.eventsAppended(result.events.length, last.globalPosition);
      this.projections.noteAppended(last.globalPosition);
      this.relay.notify();
    }
    return result;
  }
}
