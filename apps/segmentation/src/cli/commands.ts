import { DataSource } from 'typeorm';
import { SystemClock } from '@optimove/clock';
import { loadConfig } from '@optimove/config';
import { createLogger } from '@optimove/observability';
import { SegmentationConfig } from '../config/segmentation.config';
import { CustomerModelService } from '../customer-model/customer-model.service';
import { dataSourceOptions } from '../database/data-source-options';
import { isDay } from '../shared/days';

export const SEGMENTATION_COMMANDS = ['rebuild-model', 'update-model'] as const;

export const COMMAND_USAGE = [
  'main.js rebuild-model [--as-of YYYY-MM-DD]   recompute the whole model (default: as of its current date)',
  'main.js update-model YYYY-MM-DD              bring the model to a date (day steps, or a rebuild when far behind)',
].join('\n');

type Output = { write(text: string): unknown };
export type CommandIo = { stdout: Output; stderr: Output };

/**
 * The app's one-shot commands. They need only the database (events they cause go through the
 * outbox, published by the running service). Prints JSON on stdout; exit code 0, or 2 on a usage error.
 */
export async function runSegmentationCommand(command: string, args: readonly string[], env?: Record<string, string | undefined>, io: CommandIo = process): Promise<number> {
  const config = loadConfig(SegmentationConfig, env);
  const logger = createLogger({ service: 'segmentation', level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, destination: process.stderr });
  const usage = (message: string): number => {
    io.stderr.write(`${message}\n${COMMAND_USAGE}\n`);
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
        io.stdout.write(`${JSON.stringify(await model.rebuild(asOf), null, 2)}\n`);
        return 0;
      }
      case 'update-model': {
        const day = args[0];
        if (!isDay(day)) return usage('give the date YYYY-MM-DD');
        io.stdout.write(`${JSON.stringify(await model.updateTo(day), null, 2)}\n`);
        return 0;
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
