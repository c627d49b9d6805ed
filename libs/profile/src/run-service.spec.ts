import { Module } from '@nestjs/common';
import { runService } from './run-service';

@Module({})
class NothingModule {}

describe('runService', () => {
  it('refuses to start a production service whose servers are not configured, naming them', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    try {
      await expect(
        runService(
          { name: 'community-establishment', module: NothingModule, port: 0, title: 't', description: 'd' },
          { REGISTRY_PROFILE: 'production' },
          exit,
        ),
      ).rejects.toThrow('exit 1');
    } finally {
      spy.mockRestore();
    }
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('')).toMatch(/community-establishment: the production profile cannot start/);
    expect(written.join('')).toMatch(/EVENTSTORE_CONNECTION_STRING is not set/);
  });

  it('refuses to start with an unknown REGISTRY_TIME_ZONE, naming it, before anything is opened', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    try {
      await expect(
        runService(
          { name: 'facility-construction', module: NothingModule, port: 0, title: 't', description: 'd' },
          { REGISTRY_TIME_ZONE: 'Asia/Lanzhou' },
          exit,
        ),
      ).rejects.toThrow('exit 1');
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe(
      'facility-construction: REGISTRY_TIME_ZONE=Asia/Lanzhou is not a time zone; give an IANA name such as Asia/Shanghai\n',
    );
  });
});
