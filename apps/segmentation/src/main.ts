import 'reflect-metadata';
import { runMain, runServiceCommand } from '@optimove/app-runtime';
import { SEGMENTATION_COMMANDS, runSegmentationCommand } from './cli/commands';
import { serviceEntry } from './service-entry';

// The app's own one-shot commands (rebuild-model, preview-run, ...); everything else is the shared
// service command (`serve`, default, `migrate`, `redrive-dead-letters`).
const command = process.argv[2];
if ((SEGMENTATION_COMMANDS as readonly string[]).includes(command ?? '')) {
  runMain(async () => {
    process.exitCode = await runSegmentationCommand(command, process.argv.slice(3));
  });
} else {
  runMain(() => runServiceCommand(serviceEntry(), process.argv));
}
