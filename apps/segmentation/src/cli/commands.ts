import { DataSource } from 'typeorm';
import { SystemClock } from '@optimove/clock';
import { loadConfig } from '@optimove/config';
import { OutboxWriter } from '@optimove/messaging';
import { createLogger } from '@optimove/observability';
import { SegmentationConfig } from '../config/segmentation.config';
import { CustomerModelService } from '../customer-model/customer-model.service';
import { SCHEMA, dataSourceOptions } from '../database/data-source-options';
import { ExecutionService } from '../nightly-run/execution.service';
import { NightlyRunService } from '../nightly-run/nightly-run.service';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { isDay } from '../shared/days';

export const SEGMENTATION_COMMANDS = ['rebuild-model', 'update-model', 'preview-run', 'run'] as const;

export const COMMAND_USAGE = [
  'main.js rebuild-model [--as-of YYYY-MM-DD]   recompute the whole model (default: as of its current date)',
  'main.js update-model YYYY-MM-DD              bring the model to a date (day steps, or a rebuild when far behind)',
  "main.js preview-run YYYY-MM-DD               dry run of a run date: tonight's lists per campaign, nothing published",
  'main.js run YYYY-MM-DD                       the nightly run of a date (the running service publishes the outbox)',
].join('\n');

type Output = { write(text: string): unknown };
export type CommandIo = { stdout: Output; stderr: Output };

/**
 * The app's one-shot commands. They need only the database (events they cause go through the
 * outbox, published by the running service). Prints JSON on stdout; exit code 0, 1 when a run failed, 2 on a usage error.
 */
export async function runSegmentationCommand(command: string, args: readonly string[], env?: Record<string, string | undefined>, io: CommandIo = process): Promise<number> {
  const config = loadConfig(SegmentationConfig, env);
  const logger = createLogger({ service: 'segmentation', level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, destination: process.stderr });
  const usage = (message: string): number => {
    io.stderr.write(`${message}\n${COMMAND_USAGE}\n`);
    return 2;
  };
  const refused = (message: string): number => {
    io.stderr.write(`${message}\n`);
    return 2;
  };
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    const clock = new SystemClock();
    const model = new CustomerModelService(dataSource, config, clock, logger);
    switch (command) {
      case 'rebuild-model': {
        const asOf = option(args, 'as-of');
        if (asOf !== undefined && !isDay(asOf)) return usage('--as-of must be YYYY-MM-DD');
        const problem = asOf === undefined ? undefined : model.dayProblem(asOf);
        if (problem) return refused(problem);
        io.stdout.write(`${JSON.stringify(await model.rebuild(asOf), null, 2)}\n`);
        return 0;
      }
      case 'update-model': {
        const day = args[0];
        if (!isDay(day)) return usage('give the date YYYY-MM-DD');
        const problem = model.dayProblem(day);
        if (problem) return refused(problem);
        io.stdout.write(`${JSON.stringify(await model.updateTo(day), null, 2)}\n`);
        return 0;
      }
      case 'preview-run':
      case 'run': {
        const day = args[0];
        if (!isDay(day)) return usage('give the run date YYYY-MM-DD');
        const executions = new ExecutionService(config, new TargetGroupsService(dataSource, model, clock), new OutboxWriter(SCHEMA, 'segmentation', clock), clock, logger);
        const runs = new NightlyRunService(dataSource, config, model, executions, clock, logger);
        if (command === 'preview-run') {
          io.stdout.write(`${JSON.stringify(await runs.preview(day), null, 2)}\n`);
          return 0;
        }
        const problem = runs.runDateProblem(day);
        if (problem) return refused(problem);
        await runs.claim(day, 'cli');
        const result = await runs.execute(day);
        if (!result) {
          io.stderr.write('another run is in progress; try again when it is done\n');
          return 1;
        }
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return result.status === 'completed' || result.status === 'held' ? 0 : 1;
      }
      default:
        return usage(`unknown command ${command}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}
