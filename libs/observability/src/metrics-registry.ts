import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app, with process metrics and the shared HTTP and event series. */
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'events_consumed_total',
    help: 'Events taken from the queue by routing key and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'events_published_total',
    help: 'Events confirmed by the broker, by routing key',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly eventsUnroutable = new Counter({
    name: 'events_unroutable_total',
    help: 'Events the broker returned because no queue was bound to their routing key, by routing key and what the relay did: held (kept in the outbox, published again later) or dropped (a key no app of the system consumes)',
    labelNames: ['type', 'handling'] as const,
    registers: [this.registry],
  });

  readonly outboxHeld = new Gauge({
    name: 'outbox_held_events',
    help: 'Events kept in the outbox because no queue took them at the relay\'s last try, by routing key (0 once one is taken)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'outbox_pending_events',
    help: 'Events written to the outbox and not yet confirmed by the broker (sampled by the relay)',
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}
