import 'reflect-metadata';
import { runMain, runServiceCommand } from '@optimove/app-runtime';
import { serviceEntry } from './service-entry';

runMain(() => runServiceCommand(serviceEntry(), process.argv));
