import type { Provider } from '@nestjs/common';
import { calendarDateIn, DEFAULT_TIME_ZONE, timeZoneFromEnv } from '#libs/profile';
import type { Environment } from '#libs/settings';

export { calendarDateIn, DEFAULT_TIME_ZONE, timeZoneFromEnv } from '#libs/profile';

/**
 * The one place a service takes a calendar date from the clock: "today" is the date in the
 * registry's time zone (REGISTRY_TIME_ZONE), not in UTC, so that in Lanzhou between 00:00 and
 * 08:00 a decision dated today is not refused as future and a question without `?on=` is about
 * today. The domain never reads it: dates reach the deciders and folds as inputs. Tests inject
 * the instant.
 */
export class RegistryClock {
  constructor(
    readonly timeZone: string = DEFAULT_TIME_ZONE,
    private readonly now: () => Date = () => new Date(),
  ) {
    calendarDateIn(timeZone, new Date(0)); // a RangeError now rather than at the first request
  }

  static fromEnv(env: Environment = process.env): RegistryClock {
    return new RegistryClock(timeZoneFromEnv(env));
  }

  /** Today's date (YYYY-MM-DD) in the registry's time zone. */
  today(): string {
    return calendarDateIn(this.timeZone, this.now());
  }
}

/** The clock of a service's module: from REGISTRY_TIME_ZONE, checked when the module starts. */
export const registryClockProvider = (): Provider => ({
  provide: RegistryClock,
  useFactory: () => RegistryClock.fromEnv(),
});
