import { closeOnSignals, createServiceApp, type RunningService, type ServiceDescriptor } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { assertReachable, ProfileError, profileFromEnv } from './profile';
import { checkSettings, type Environment } from '#libs/settings';

/**
 * Runs one service as its own process (`node dist/apps/<service>/src/main.js`), as production
 * does. The profile is checked first: a production profile with a missing or unreachable server
 * stops here with a message naming it, before anything listens.
 */
export async function runService(
  descriptor: ServiceDescriptor,
  env: Environment = process.env,
  exit: (code: number) => never = (code) => process.exit(code),
): Promise<RunningService | undefined> {
  try {
    // Every setting (the clock's zone, the policies, ports...) checked before any store is opened.
    checkSettings(env);
  } catch (error) {
    process.stderr.write(`${descriptor.name}: ${(error as Error).message}\n`);
    return exit(1);
  }
  try {
    await assertReachable(profileFromEnv(env));
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    process.stderr.write(`${descriptor.name}: ${error.message}\n`);
    return exit(1);
  }
  const { module, ...options } = descriptor;
  const service = await createServiceApp(module, options);
  process.stdout.write(`${service.name} listening on ${service.url} (OpenAPI at ${service.url}/docs)\n`);
  closeOnSignals([service]);
  openEmbeddedBus();
  return service;
}
