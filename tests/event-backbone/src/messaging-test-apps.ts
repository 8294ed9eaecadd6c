import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { defineService, type ServiceEntry } from '@optimove/app-runtime';
import { BaseServiceConfig } from '@optimove/config';
import type { CampaignDispatchFailedV1, ProfilesImportedV1 } from '@optimove/contracts';
import { serviceDataSourceOptions } from '@optimove/database';
import {
  MESSAGING_SETTINGS,
  OnEvent,
  PermanentEventError,
  messagingTablesV1Up,
  type EventContext,
  type MessagingSettings,
} from '@optimove/messaging';

// Small apps for the messaging tests: each has its own schema with the outbox and inbox tables
// and an `effects` table its handler writes to. The payload's sourceFileName steers the handler:
// "fail-once-*" throws on the first attempt, "always-fail-*" always throws, "permanent-*" throws
// a PermanentEventError, "slow-*" takes 200 ms, "broken-until-fixed-*" throws until `defect.fixed`,
// "swallow-once-*" catches a failed statement on the first attempt (PostgreSQL then turns the
// COMMIT into a rollback), "crash-process-*" ends the process (exit code 70) where that is allowed.

/** Set `fixed` to make "broken-until-fixed" events succeed (a deployed bug fix). */
export const defect = { fixed: false };

/** Exit code of a process that a "crash-process" event crashed. */
export const CRASH_EXIT_CODE = 70;

/** Only a test app in a process of its own (test-app-main) may be crashed by an event. */
export const processCrashes = { allowed: false };

/** Attempts seen by each app's handler: key `<schema>/<event id>`, value the attempt numbers. */
export const handlerAttempts = new Map<string, number[]>();

/**
 * The after-commit effects each app's handler registered that ran: key `<schema>/<event id>`, value
 * the attempt that registered it and the event's effect rows a separate connection saw then.
 */
export const afterCommitRuns = new Map<string, { attempt: number; effectsSeen: number }[]>();

@Controller()
class RecordingHandler {
  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly dataSource: DataSource,
  ) {}

  /** Bound so that an event of another type can arrive with this routing key. */
  @OnEvent('campaign.dispatch-failed.v1')
  async onDispatchFailed(@Payload() payload: CampaignDispatchFailedV1, @Ctx() context: EventContext<'campaign.dispatch-failed.v1'>): Promise<void> {
    await context.manager.query(`INSERT INTO "${this.settings.schema}".effects (event_id, source_file_name) VALUES ($1, $2)`, [
      context.event.id,
      `dispatch-failed:${payload.errorCode}`,
    ]);
  }

  @OnEvent('profiles.imported.v1')
  async onProfilesImported(@Payload() payload: ProfilesImportedV1, @Ctx() context: EventContext<'profiles.imported.v1'>): Promise<void> {
    const schema = this.settings.schema;
    // Kept outside the handler's transaction, so failed attempts are counted too.
    const key = `${schema}/${context.event.id}`;
    handlerAttempts.set(key, [...(handlerAttempts.get(key) ?? []), context.attempt]);
    // Registered before anything can fail: it must run only for the attempt that committed.
    context.afterCommit(() => {
      void this.dataSource
        .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${schema}".effects WHERE event_id = $1`, [context.event.id])
        .then(([row]) => afterCommitRuns.set(key, [...(afterCommitRuns.get(key) ?? []), { attempt: context.attempt, effectsSeen: row.n }]))
        .catch(() => undefined); // the app was closed meanwhile (the shutdown tests): nothing to record
    });
    const name = payload.sourceFileName;
    if (name.startsWith('crash-process') && processCrashes.allowed) process.exit(CRASH_EXIT_CODE);
    if (name.startsWith('always-fail')) throw new Error(`handler refuses ${name}`);
    if (name.startsWith('permanent')) throw new PermanentEventError(`cannot ever handle ${name}`);
    if (name.startsWith('fail-once') && context.attempt === 1) throw new Error('transient failure on first attempt');
    if (name.startsWith('slow')) await new Promise((resolve) => setTimeout(resolve, 200));
    if (name.startsWith('broken-until-fixed') && !defect.fixed) throw new Error('the defect is not fixed yet');
    if (name.startsWith('swallow-once') && context.attempt === 1) {
      await context.manager.query(`INSERT INTO "${schema}".effects (event_id, source_file_name) VALUES ($1, $2)`, [context.event.id, name]);
      try {
        await context.manager.query('SELECT 1 / 0');
      } catch {
        // The mistake under test: the error is swallowed, the transaction is aborted.
      }
      return;
    }
    await context.manager.query(`INSERT INTO "${schema}".effects (event_id, source_file_name) VALUES ($1, $2)`, [
      context.event.id,
      name,
    ]);
  }
}

function testMigration(schema: string): new () => MigrationInterface {
  return class TestTables1700000000000 implements MigrationInterface {
    name = 'TestTables1700000000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of messagingTablesV1Up(schema)) await queryRunner.query(statement);
      // No unique key on purpose: a duplicate effect must be visible, not prevented here.
      await queryRunner.query(`CREATE TABLE "${schema}".effects (event_id uuid NOT NULL, source_file_name text NOT NULL)`);
    }

    async down(): Promise<void> {
      await Promise.resolve();
    }
  };
}

@Module({})
class RecordingHandlerModule {}

/** A ServiceEntry built like the real apps', with the recording handler when `consumes` is set. */
export function testAppEntry(service: string, env: Record<string, string>, consumes: boolean): ServiceEntry {
  const schema = service.replace(/-/g, '_');
  return defineService({
    service,
    schema,
    description: 'messaging test app',
    configClass: BaseServiceConfig,
    dataSourceOptions: (config) =>
      serviceDataSourceOptions({
        url: config.DATABASE_URL,
        schema,
        applicationName: service,
        entities: [],
        migrations: [testMigration(schema)],
      }),
    features: (): DynamicModule[] => (consumes ? [{ module: RecordingHandlerModule, controllers: [RecordingHandler] }] : []),
  })(env);
}
