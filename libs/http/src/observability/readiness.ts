/** Injection token of the ReadinessChecks of the app (a global provider of every service app). */
export const READINESS_CHECKS = 'READINESS_CHECKS';

/** Resolves (optionally with details to show) when the dependency answers; throws when it does not. */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

/**
 * A reason for being down that is safe to show on the public /health/ready: any other error is
 * reported by its class name only (a driver's message may name hosts, paths or credentials) and
 * logged in full.
 */
export class NotReady extends Error {
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'NotReady';
  }
}

/**
 * What `GET /health/ready` checks, by name (`event-store`, `read-store`, `relay`): the hosting
 * providers of a service add their dependencies at start. Nothing added: ready.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) the check of one dependency. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  remove(name: string): void {
    this.checks.delete(name);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}
