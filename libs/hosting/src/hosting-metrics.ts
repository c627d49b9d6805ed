import { Counter, Gauge } from 'prom-client';
import { RuleViolation, type EventStore } from '#libs/event-sourcing';
import { METRIC_PREFIX, type ServiceMetrics } from '#libs/http';
import { runningConsumers } from '#libs/messaging';

const name = (suffix: string) => `${METRIC_PREFIX}${suffix}`;

/** Events read per page, and pages per scrape at most, when the head is looked for. */
const HEAD_PAGE = 500;
const HEAD_MAX_PAGES = 20;

/**
 * The head of the store's global log, as cheaply as the port allows (it has no "last position"
 * query): every append of this process raises it, the relay's and projections' positions raise
 * it, and a scrape reads the log only after the highest position known, which is nothing in the
 * steady state (this process is the store's only writer) and the backlog after a restart.
 */
export class StoreHead {
  private known = 0;
  private probing: Promise<number> | undefined;

  constructor(private readonly store: Pick<EventStore, 'readAll'>) {}

  note(position: number | undefined): void {
    if (position !== undefined && position > this.known) this.known = position;
  }

  /** One read at a time: the gauges of one scrape share it. */
  current(): Promise<number> {
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<number> {
    try {
      for (let page = 0; page < HEAD_MAX_PAGES; page++) {
        const events = await this.store.readAll({
          after: this.known > 0 ? this.known : undefined,
          maxCount: HEAD_PAGE,
        });
        this.note(events.at(-1)?.globalPosition);
        if (events.length < HEAD_PAGE) break;
      }
    } catch {
      // The store is down: /metrics still answers, with the last head known (readiness says why).
    }
    return this.known;
  }
}

export interface RelaySnapshot {
  /** Its checkpoint: the last position the transport acknowledged; undefined before any. */
  readonly position: number | undefined;
  /** Events acknowledged since start. */
  readonly published: number;
}

/**
 * The metrics of libs/hosting on a service's registry: decisions and appends (counted in the
 * request path: one counter increment each), and on scrape the store head, the relay's and each
 * projection's checkpoint and lag (head − checkpoint, in global-log positions), and the consumers'
 * counts. One per ServiceMetrics, shared by the service's DecideHandler, RelayHost and ProjectionHost.
 */
export class HostingMetrics {
  private static readonly instances = new WeakMap<ServiceMetrics, HostingMetrics>();

  static of(metrics: ServiceMetrics): HostingMetrics {
    let hosting = HostingMetrics.instances.get(metrics);
    if (!hosting) HostingMetrics.instances.set(metrics, (hosting = new HostingMetrics(metrics)));
    return hosting;
  }

  private readonly decisions: Counter<'command' | 'outcome' | 'rule'>;
  private readonly appended: Counter;
  private head: StoreHead | undefined;
  private readonly projections = new Map<string, () => Promise<number | undefined>>();

  private constructor(private readonly metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.decisions = new Counter({
      name: name('decisions_total'),
      help: 'Commands decided, by command type and outcome (accepted, refused, failed); refusals by the rule id that refused',
      labelNames: ['command', 'outcome', 'rule'],
      registers,
    });
    this.appended = new Counter({
      name: name('events_appended_total'),
      help: 'Events appended to the event store by this process',
      registers,
    });

    // collect() runs with the metric as `this`: reach this object through arrows.
    const storeHead = (): StoreHead | undefined => this.head;
    const collectProjections = (position: Gauge<'projection'>, lag: Gauge<'projection'>) =>
      this.collectProjections(position, lag);
    new Gauge({
      name: name('event_store_head_position'),
      help: "Global position of the last event in the service's store",
      registers,
      async collect() {
        const head = storeHead();
        if (head) this.set(await head.current());
      },
    });
    const projectionPosition = new Gauge({
      name: name('projection_checkpoint_position'),
      help: 'Global position of the last event whose read-model documents are written, by projection',
      labelNames: ['projection'],
      registers,
      async collect() {
        await collectProjections(this, projectionLag);
      },
    });
    const projectionLag = new Gauge({
      name: name('projection_lag'),
      help: 'Store head minus the projection checkpoint, in global-log positions (0 = read models current)',
      labelNames: ['projection'],
      registers,
      async collect() {
        await collectProjections(projectionPosition, this);
      },
    });
    this.consumerMetrics();
  }

  /** The service's event store, whose head the lags are measured from. */
  attachStore(store: Pick<EventStore, 'readAll'>): void {
    this.head ??= new StoreHead(store);
  }

  accepted(command: string): void {
    this.decisions.inc({ command, outcome: 'accepted' });
  }

  /** A decision that threw: refused (labelled with the rule id of its RuleViolation) or failed. */
  notAccepted(command: string, error: unknown): void {
    if (error instanceof RuleViolation)
      this.decisions.inc({ command, outcome: 'refused', rule: error.ruleId });
    else this.decisions.inc({ command, outcome: 'failed' });
  }

  eventsAppended(count: number, lastPosition: number): void {
    this.appended.inc(count);
    this.head?.note(lastPosition);
  }

  /** The relay's metrics exist only when the service runs a relay (not with REGISTRY_RELAY=off). */
  attachRelay(snapshot: () => RelaySnapshot): void {
    const registers = [this.metrics.registry];
    const storeHead = (): StoreHead | undefined => this.head;
    const position = (): number | undefined => {
      const p = snapshot().position;
      storeHead()?.note(p);
      return p;
    };
    new Gauge({
      name: name('relay_checkpoint_position'),
      help: 'Global position of the last event the transport (Kafka or the embedded bus) acknowledged',
      registers,
      collect() {
        this.set(position() ?? 0);
      },
    });
    new Gauge({
      name: name('relay_lag'),
      help: 'Store head minus the relay checkpoint, in global-log positions (0 = everything published)',
      registers,
      async collect() {
        const p = position() ?? 0;
        const head = storeHead();
        this.set(Math.max(0, (head ? await head.current() : p) - p));
      },
    });
    new Counter({
      name: name('relay_published_total'),
      help: 'Events the relay published and the transport acknowledged since start',
      registers,
      collect() {
        this.reset();
        this.inc(snapshot().published);
      },
    });
  }

  /** A projection's position: the last event handled, else its saved checkpoint. */
  addProjection(projection: string, position: () => Promise<number | undefined>): void {
    this.projections.set(projection, position);
  }

  private async collectProjections(position: Gauge<'projection'>, lag: Gauge<'projection'>): Promise<void> {
    const entries = await Promise.all(
      [...this.projections].map(async ([projection, read]) => {
        try {
          const p = (await read()) ?? 0;
          this.head?.note(p);
          return [[projection, p] as const];
        } catch {
          return []; // its checkpoint could not be read (read store down): the series keeps its value
        }
      }),
    );
    const head = this.head ? await this.head.current() : 0;
    for (const [projection, p] of entries.flat()) {
      position.set({ projection }, p);
      lag.set({ projection }, Math.max(0, head - p));
    }
  }

  /** The consumers of this process whose name starts with the service's (startServiceConsumer). */
  private consumerMetrics(): void {
    const registers = [this.metrics.registry];
    const prefix = `${this.metrics.service}.`;
    const mine = () => runningConsumers().filter((c) => c.name.startsWith(prefix));
    new Counter({
      name: name('consumer_messages_total'),
      help: 'Messages a consumer took, by outcome: processed, duplicate (dropped by the inbox), dead-lettered',
      labelNames: ['consumer', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const c of mine()) {
          this.inc({ consumer: c.name, outcome: 'processed' }, c.processed);
          this.inc({ consumer: c.name, outcome: 'duplicate' }, c.duplicates);
          this.inc({ consumer: c.name, outcome: 'dead-lettered' }, c.deadLettered);
        }
      },
    });
    new Counter({
      name: name('consumer_retries_total'),
      help: 'Handler attempts after the first one (retries with backoff), by consumer',
      labelNames: ['consumer'],
      registers,
      collect() {
        this.reset();
        for (const c of mine()) this.inc({ consumer: c.name }, c.retries);
      },
    });
    new Gauge({
      name: name('consumer_inbox_size'),
      help: "Event ids in a consumer's inbox (handled at least once), by consumer",
      labelNames: ['consumer'],
      registers,
      async collect() {
        this.reset();
        for (const c of mine()) {
          const size = await c.inboxSize().catch(() => undefined);
          if (size !== undefined) this.set({ consumer: c.name }, size);
        }
      },
    });
  }
}
