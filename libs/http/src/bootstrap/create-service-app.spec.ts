import { logLevelsFromEnv, portFromEnv } from './create-service-app';

describe('logLevelsFromEnv', () => {
  it('is quiet by default: warnings and errors only', () => {
    expect(logLevelsFromEnv(undefined)).toEqual(['fatal', 'error', 'warn']);
  });
  it('follows LOG_LEVEL', () => {
    expect(logLevelsFromEnv('debug')).toEqual(['fatal', 'error', 'warn', 'log', 'debug']);
    expect(logLevelsFromEnv('silent')).toBe(false);
  });
});

describe('portFromEnv', () => {
  it('reads the variable, else the default', () => {
    expect(portFromEnv('STAFFING_PORT', 3002, {})).toBe(3002);
    expect(portFromEnv('STAFFING_PORT', 3002, { STAFFING_PORT: '4002' })).toBe(4002);
  });
  it('refuses what is not a port', () => {
    expect(() => portFromEnv('STAFFING_PORT', 3002, { STAFFING_PORT: 'x' })).toThrow(/STAFFING_PORT/);
    expect(() => portFromEnv('STAFFING_PORT', 3002, { STAFFING_PORT: '70000' })).toThrow();
  });
});
