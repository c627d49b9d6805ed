import { setting, type Environment } from '#libs/settings';

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

/** The calendar date (YYYY-MM-DD) at an instant in a time zone; a RangeError for an unknown zone. */
export function calendarDateIn(timeZone: string, instant: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    dateFormatIn(timeZone)
      .formatToParts(instant)
      .find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * REGISTRY_TIME_ZONE, the zone of the registry's "today" (RegistryClock in libs/hosting), checked
 * at start: a zone Intl does not know stops the start with this message.
 */
export function timeZoneFromEnv(env: Environment = process.env): string {
  return setting('REGISTRY_TIME_ZONE', env);
}
