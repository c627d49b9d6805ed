import { logLevelsFromEnv, portFromEnv } from './create-service-app';

describe('logLevelsFromEnv', () => {
  it('is quiet by default: warnings and errors only', () => {
    expect(logLevelsFromEnv({})).toEqual(['fatal', 'error', 'warn']);
  });
  it('follows LOG_LEVEL', () => {
    expect(logLevelsFromEnv({ LOG_LEVEL: 'debug' })).toEqual(['fatal', 'error', 'warn', 'log', 'debug']);
    expect(logLevelsFromEnv({ LOG_LEVEL: 'silent' })).toBe(false);
  });
  it('refuses a level it does not know, naming the accepted ones', () => {
    expect(() => logLevelsFromEnv({ LOG_LEVEL: 'loud' })).toThrow(
      /LOG_LEVEL=loud is not "fatal", .* or "silent"/,
    );
  });
});

describe('portFromEnv', () => {
  it('reads the variable, else the default', () => {
    expect(portFromEnv('STAFFING_PORT', {})).toBe(3002);
    expect(portFromEnv('STAFFING_PORT', { STAFFING_PORT: '4002' })).toBe(4002);
  });
  it('refuses what is not a port', () => {
    expect(() => portFromEnv('STAFFING_PORT', { STAFFING_PORT: 'x' })).toThrow(/STAFFING_PORT/);
    expect(() => portFromEnv('STAFFING_PORT', { STAFFING_PORT: '70000' })).toThrow();
  });
});
