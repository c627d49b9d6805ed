import { checkSettings, setting, SETTINGS, SettingError, type SettingName } from './settings';

describe('the settings schema', () => {
  it('gives each setting its default when unset or empty, typed', () => {
    const port: number = setting('STAFFING_PORT', {});
    expect(port).toBe(3002);
    expect(setting('STAFFING_PORT', { STAFFING_PORT: '' })).toBe(3002);
    expect(setting('STAFFING_PORT', { STAFFING_PORT: '4002' })).toBe(4002);
    expect(setting('KAFKA_BROKERS', {})).toBeUndefined();
    expect(setting('KAFKA_BROKERS', { KAFKA_BROKERS: 'k1:9092, k2:9092,' })).toEqual(['k1:9092', 'k2:9092']);
    expect(setting('REGISTRY_TIME_ZONE', { REGISTRY_TIME_ZONE: 'UTC' })).toBe('UTC');
    expect(setting('ESTABLISHMENT_URL', { ESTABLISHMENT_URL: 'http://h:1/' })).toBe('http://h:1');
  });

  it('every default is a value its own schema accepts', () => {
    for (const name of Object.keys(SETTINGS) as SettingName[]) expect(() => setting(name, {})).not.toThrow();
  });

  it('refuses a bad value naming the variable, the value and what it accepts', () => {
    expect(() => setting('STAFFING_PORT', { STAFFING_PORT: '70000' })).toThrow(
      new SettingError('STAFFING_PORT', '70000'),
    );
    expect(() => setting('STAFFING_PORT', { STAFFING_PORT: 'x' })).toThrow(
      'STAFFING_PORT=x is not a port number (0 to 65535)',
    );
    expect(() => setting('ELECT5_MIN_TURNOUT', { ELECT5_MIN_TURNOUT: '1.5' })).toThrow(
      'ELECT5_MIN_TURNOUT=1.5 is out of range (a share above 0, at most 1)',
    );
    expect(() => setting('LOG_LEVEL', { LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL=loud is not "fatal", "error", "warn", "log", "debug", "verbose" or "silent"',
    );
    expect(() => setting('REGISTRY_RELAY', { REGISTRY_RELAY: 'of' })).toThrow(
      'REGISTRY_RELAY=of is neither "on" nor "off"',
    );
  });

  it('checks every setting at start, naming each refused one', () => {
    expect(() => checkSettings({})).not.toThrow();
    expect(() =>
      checkSettings({ EST2_OBLIGATION_DUE_DAYS: '-1', KAFKA_TOPIC_PARTITIONS: '2.5', HOST: '0.0.0.0' }),
    ).toThrow(
      'EST2_OBLIGATION_DUE_DAYS=-1 is not a positive number\nKAFKA_TOPIC_PARTITIONS=2.5 must be a positive integer',
    );
  });
});
