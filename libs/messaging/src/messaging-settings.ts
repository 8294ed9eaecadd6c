/** What the messaging lib needs to know about the app it runs in. */
export type MessagingSettings = {
  /** Service name: the CloudEvents `source` (`/<service>`) and the AMQP connection name. */
  service: string;
  amqpUrl: string;
  /** The topic exchange, `optimove.events` outside tests. */
  exchange: string;
  /** The app's own durable queue; `<queue>.dead` and `<queue>.retry.<ms>ms` derive from it. */
  queue: string;
  /** The app's database schema, holding its `outbox` and `inbox` tables. */
  schema: string;
  /** Unacknowledged messages in flight per consumer. */
  prefetch: number;
  /** Delays before each retry of a failed handler; attempts = delays + 1, then dead-letter. */
  retryDelaysMs: readonly number[];
  /** How often the outbox relay looks for unpublished events when nobody nudges it. */
  outboxPollIntervalMs: number;
  outboxBatchSize: number;
  /** Published outbox rows are deleted after this many days. */
  outboxRetentionDays: number;
  /** Inbox rows (handled event ids) are deleted after this many days. */
  inboxRetentionDays: number;
};

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 10_000, 60_000];
