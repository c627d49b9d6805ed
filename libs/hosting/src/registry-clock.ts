import type { Provider } from '@nestjs/common';

/** Lanzhou's zone (UTC+8, no daylight saving): the registry's calendar unless told otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formats = new Map<string, Intl.DateTimeFormat>();

/** An Intl formatter of calendar dates in the zone; a RangeError for a zone Intl does not know. */
function dateFormatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The calendar date (YYYY-MM-DD) at an instant in a time zone. */
export function calendarDateIn(timeZone: string, instant: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    dateFormatIn(timeZone)
      .formatToParts(instant)
      .find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** REGISTRY_TIME_ZONE, checked: a zone Intl does not know stops the start with this message. */
export function timeZoneFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.REGISTRY_TIME_ZONE;
  if (raw === undefined || raw === '') return DEFAULT_TIME_ZONE;
  try {
    return dateFormatIn(raw).resolvedOptions().timeZone;
  } catch {
    throw new Error(
      `REGISTRY_TIME_ZONE=${raw} is not a time zone; give an IANA name such as ${DEFAULT_TIME_ZONE}`,
    );
  }
}

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
    dateFormatIn(timeZone); // a RangeError now rather than at the first request
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): RegistryClock {
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
