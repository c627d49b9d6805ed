/** Stops the servers the global setup started (nothing when they were given by the environment). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__registryServers?.stop();
  globalThis.__registryServers = undefined;
}
