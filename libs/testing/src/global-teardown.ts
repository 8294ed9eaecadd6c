/** Jest globalTeardown: stop containers started by globalSetup, if any. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__TEST_SERVICES__?.stop();
}
