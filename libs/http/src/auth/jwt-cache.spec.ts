import { jwtSettingsFromEnv, signAccessToken, verifyAccessToken } from './jwt';

describe('verifyAccessToken cache', () => {
  const settings = { ...jwtSettingsFromEnv({}), secret: 'cache-test-secret-cache-test-secret' };

  it('answers a repeated token the same, and never a token of another key', async () => {
    const token = await signAccessToken(
      { sub: 'official', roles: ['officer'], district: '城关区' },
      settings,
    );
    const first = await verifyAccessToken(token, settings);
    expect(await verifyAccessToken(token, settings)).toEqual(first);
    await expect(
      verifyAccessToken(token, { ...settings, secret: 'another-secret-another-secret-xx' }),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it('stops accepting a remembered token once it has expired', async () => {
    const now = Date.now();
    const token = await signAccessToken(
      { sub: 'official', roles: ['officer'], district: '城关区' },
      settings,
      {
        ttl: 60,
        issuedAt: new Date(now - 30_000),
      },
    );
    await verifyAccessToken(token, settings);
    // Only the clock moves past the expiry (jose reads it through Date too).
    jest.useFakeTimers({
      now: now + 31_000 + (settings.clockToleranceSeconds ?? 0) * 1000,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'queueMicrotask',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
      ],
    });
    try {
      await expect(verifyAccessToken(token, settings)).rejects.toMatchObject({ status: 401 });
    } finally {
      jest.useRealTimers();
    }
  });
});
