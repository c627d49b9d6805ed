import type { AddressInfo } from 'node:net';
import { DynamicModule, LogLevel, Module, Type } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { AuthGuard, JWT_SETTINGS } from '../auth/auth.guard';
import { JwtSettings, jwtSettingsFromEnv } from '../auth/jwt';
import { ProblemDetailsFilter } from '../problem/problem-details.filter';
import { RequestTextPipe, strictJsonBodyParser } from '../validation/request-text';
import { answerClientError, answerFrameworkError, closingProblem } from './framework-errors';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem';
import { MetricsController } from '../observability/metrics.controller';
import { READINESS_CHECKS, ReadinessChecks } from '../observability/readiness';
import { SERVICE_METRICS, ServiceMetrics } from '../observability/service-metrics';
import { HealthController, SERVICE_INFO, ServiceInfo } from './health.controller';
import { buildOpenApiDocument } from './openapi';
import { setting, type Environment } from '#libs/settings';

export interface ServiceAppOptions {
  /** Service name as in nest-cli.json, e.g. 'staffing-elections'. */
  readonly name: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Default: env HOST, else 127.0.0.1 (loopback unless told otherwise). */
  readonly host?: string;
  /** OpenAPI title and description. */
  readonly title: string;
  readonly description: string;
  readonly version?: string;
  /** Default: from env (REGISTRY_JWT_SECRET or the dev default). */
  readonly jwt?: JwtSettings;
  /** Default: from env LOG_LEVEL (error, warn, log, debug, verbose, silent); warn and error otherwise. */
  readonly logLevels?: LogLevel[] | false;
}

export interface RunningService {
  readonly name: string;
  readonly app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:3002 */
  readonly url: string;
  /** Takes no new request from now on (503); the requests in flight finish. `close` does the rest. */
  stopIntake(): Promise<void>;
  close(): Promise<void>;
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL: the levels up to the one named, or none when silent. */
export function logLevelsFromEnv(env: Environment = process.env): LogLevel[] | false {
  const level = setting('LOG_LEVEL', env);
  return level === 'silent' ? false : LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

@Module({})
class ServiceRootModule {}

@Module({})
class ObservabilityModule {}

/**
 * This app's metrics registry and readiness checks, global so that the service's module (its
 * relay and projection hosts, and the command handler that notes each decision, in libs/hosting) can
 * report to them. One per app: the
 * services `npm start` runs in one process never share a registry.
 */
function observabilityModule(metrics: ServiceMetrics, readiness: ReadinessChecks): DynamicModule {
  return {
    module: ObservabilityModule,
    global: true,
    providers: [
      { provide: SERVICE_METRICS, useValue: metrics },
      { provide: READINESS_CHECKS, useValue: readiness },
    ],
    exports: [SERVICE_METRICS, READINESS_CHECKS],
  };
}

/**
 * The service's own module plus the edge every service shares: health, readiness, metrics and
 * the global guard.
 */
function rootModule(
  service: Type<unknown>,
  options: ServiceAppOptions,
  metrics: ServiceMetrics,
): DynamicModule {
  const info: ServiceInfo = { name: options.name, startedAt: Date.now() };
  return {
    module: ServiceRootModule,
    imports: [
      observabilityModule(metrics, new ReadinessChecks()),
      TerminusModule.forRoot({ errorLogStyle: 'json' }),
      service,
    ],
    controllers: [HealthController, MetricsController],
    providers: [
      { provide: SERVICE_INFO, useValue: info },
      { provide: JWT_SETTINGS, useValue: options.jwt ?? jwtSettingsFromEnv() },
      { provide: APP_GUARD, useClass: AuthGuard },
    ],
  };
}

/** The apps whose intake has stopped (stopIntake): they answer every new request with a 503. */
const intakeStopped = new WeakSet<NestFastifyApplication>();

/**
 * Builds and initialises the app without listening: e2e tests use `app.inject()` on it, and
 * createServiceApp listens on it.
 */
export async function buildServiceApp(
  service: Type<unknown>,
  options: ServiceAppOptions,
): Promise<NestFastifyApplication> {
  const metrics = new ServiceMetrics(options.name);
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(service, options, metrics),
    // Errors Fastify answers before any route or hook (a malformed URL, an over-long path
    // parameter, headers too large) answer problem+json too.
    new FastifyAdapter({
      logger: false,
      frameworkErrors: answerFrameworkError,
      clientErrorHandler: answerClientError,
    }),
    { logger: options.logLevels ?? logLevelsFromEnv(), abortOnError: false },
  );
  // Intake stops first at a clean stop (stopIntake, closeInOrder): from then on a new request gets
  // a 503 problem document and its connection is closed. Nest's own `return503OnClosing` would
  // answer Fastify's JSON instead.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (!intakeStopped.has(app)) return done();
      if (request.raw.httpVersionMajor !== 2) void reply.header('Connection', 'close');
      void reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send({ ...closingProblem(), instance: request.url.split('?')[0] });
    });
  // Before init registers the routes, so that every route has it. One histogram observation per
  // response, labelled with the route template (never the raw path: ids would explode the series).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.observeRequest(
        request.routeOptions.url,
        request.method,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  // Registered on the app, not as APP_FILTER, so that it also answers unknown routes and
  // Fastify's own errors (malformed JSON, wrong content type) before any module is involved.
  app.useGlobalFilters(new ProblemDetailsFilter());
  // PERSONAL-DATA and Unicode: JSON bodies decoded strictly (no lone surrogate, NUL or invalid
  // UTF-8 gets in), and personal data refused in every body, path parameter and query.
  const fastify = app.getHttpAdapter().getInstance();
  app.useBodyParser(
    'application/json',
    { bodyLimit: fastify.initialConfig.bodyLimit },
    strictJsonBodyParser(fastify.getDefaultJsonParser('error', 'error')),
  );
  app.useGlobalPipes(new RequestTextPipe());
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, options), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Builds the app and listens on options.port (0 = any free port) on loopback or HOST. */
export async function createServiceApp(
  service: Type<unknown>,
  options: ServiceAppOptions,
): Promise<RunningService> {
  const app = await buildServiceApp(service, options);
  const host = options.host ?? setting('HOST');
  try {
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name: options.name,
    app,
    url: `http://${urlHost}:${address.port}`,
    // Done early for all services at a clean stop: from then on every new request gets a 503.
    stopIntake: async () => {
      intakeStopped.add(app);
    },
    close: () => app.close(),
  };
}

/** A service's port (libs/settings): its variable, else the service's default. */
export function portFromEnv(
  variable: 'ESTABLISHMENT_PORT' | 'STAFFING_PORT' | 'FACILITY_PORT',
  env: Environment = process.env,
): number {
  return setting(variable, env);
}

/**
 * The clean stop of services that share a process: first no service takes a new
 * request, then each closes in turn, in the order given, publishers before their subscribers (the
 * launcher starts them so): a service's relay finishes its batch in flight while the services
 * reacting to it still handle, and the subscribers close last. Resolves with the errors of those
 * that failed to close.
 */
export async function closeInOrder(
  services: readonly (Pick<RunningService, 'close'> & Partial<Pick<RunningService, 'stopIntake'>>)[],
): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const s of services) await s.stopIntake?.().catch((error: unknown) => errors.push(error));
  for (const s of services) await s.close().catch((error: unknown) => errors.push(error));
  return errors;
}

/**
 * Closes every service once on SIGINT/SIGTERM (closeInOrder, running their shutdown hooks), then
 * exits. One handler for all, rather than Nest's per-app enableShutdownHooks, because several apps
 * share this process in the embedded profile and each of those would re-raise the signal.
 */
export function closeOnSignals(services: Parameters<typeof closeInOrder>[0]): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    closing = true;
    void closeInOrder(services).then((errors) => {
      for (const error of errors) process.stderr.write(`error while closing: ${String(error)}\n`);
      process.exit(errors.length ? 1 : 0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** One service of a launcher: its root module and how to serve it. */
export interface ServiceDescriptor extends ServiceAppOptions {
  readonly module: Type<unknown>;
}

/** Starts the services in order; if one fails, closes those already started and rethrows. */
export async function startServices(descriptors: readonly ServiceDescriptor[]): Promise<RunningService[]> {
  const started: RunningService[] = [];
  try {
    for (const { module, ...options } of descriptors) started.push(await createServiceApp(module, options));
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }
  return started;
}
