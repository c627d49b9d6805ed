import { calendarDateIn, RegistryClock, timeZoneFromEnv } from './registry-clock';

describe('RegistryClock: today in the registry time zone', () => {
  const at = (iso: string) => () => new Date(iso);

  it('at 01:00 in Lanzhou (17:00 UTC the day before) today is the Lanzhou date', () => {
    expect(new RegistryClock('Asia/Shanghai', at('2026-03-10T17:00:00Z')).today()).toBe('2026-03-11');
    expect(new RegistryClock('UTC', at('2026-03-10T17:00:00Z')).today()).toBe('2026-03-10');
  });

  it('turns over at local midnight, not at UTC midnight', () => {
    const lanzhou = (iso: string) => new RegistryClock('Asia/Shanghai', at(iso)).today();
    expect(lanzhou('2026-12-31T15:59:59.999Z')).toBe('2026-12-31');
    expect(lanzhou('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(lanzhou('2027-01-01T07:59:59Z')).toBe('2027-01-01');
  });

  it('defaults to Asia/Shanghai; REGISTRY_TIME_ZONE chooses another zone', () => {
    expect(new RegistryClock().timeZone).toBe('Asia/Shanghai');
    expect(timeZoneFromEnv({})).toBe('Asia/Shanghai');
    expect(timeZoneFromEnv({ REGISTRY_TIME_ZONE: '' })).toBe('Asia/Shanghai');
    expect(timeZoneFromEnv({ REGISTRY_TIME_ZONE: 'Asia/Urumqi' })).toBe('Asia/Urumqi');
    expect(RegistryClock.fromEnv({ REGISTRY_TIME_ZONE: 'UTC' }).timeZone).toBe('UTC');
  });

  it('refuses a zone Intl does not know, naming the variable', () => {
    expect(() => timeZoneFromEnv({ REGISTRY_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(
      'REGISTRY_TIME_ZONE=Mars/Olympus_Mons is not a time zone; give an IANA name such as Asia/Shanghai',
    );
    expect(() => new RegistryClock('Asia/Lanzhou')).toThrow(RangeError);
  });

  it('formats dates of any year as YYYY-MM-DD', () => {
    expect(calendarDateIn('Asia/Shanghai', new Date('1990-01-01T00:00:00Z'))).toBe('1990-01-01');
    expect(calendarDateIn('America/Los_Angeles', new Date('2026-03-11T01:00:00Z'))).toBe('2026-03-10');
  });
});
