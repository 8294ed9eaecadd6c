export { createTestDatabase, type TestDatabase } from './test-database';
export { createTestBroker, type TestBroker } from './test-broker';
export { resolveTestServices, type TestServices } from './services';
export { waitFor } from './wait-for';
export { captureLogs, type LogCapture } from './capture-logs';
export { startTestService, testServiceEnv, testServiceQueues, type RunningTestService } from './test-service';
export { readCompose, composeServiceEnv } from './compose';
export { APP_NAMES, appMain, freePort, migrateApp, spawnApp, spawnNode, startAppProcess, type AppExit, type AppName, type AppProcess } from './app-process';
export {
  SIMULATOR_API_KEY,
  SIMULATOR_LOGIN,
  SIMULATOR_PASSWORD,
  SimulatorAdmin,
  memberCsv,
  simulatorEnv,
  type OperationFaults,
} from './simulator-admin';
