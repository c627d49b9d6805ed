import 'reflect-metadata';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceApp, type RunningService } from '#libs/http';
import { RegistryClient, runDemoStory, type DemoResult, type DemoTokens } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';

/**
 * Corrections through HTTP (EST-8), on the embedded default: what the registry derived from a
 * corrected date follows the correction (EST-2 obligations, in the fold and in the read model), and
 * every timeline shows the correction itself beside the decision it corrects.
 */
describe('corrections over HTTP (embedded default)', () => {
  let dataDir: string;
  let service: RunningService;
  let api: RegistryClient;
  let tokens: DemoTokens;
  let story: DemoResult;

  interface Entry {
    eventId: string;
    type: string;
    effectiveAt: string;
    originalEffectiveAt: string;
    recordedAt: string;
    actor: { subject: string };
    legalBasis: string;
    correctedBy: string[];
    corrects: null | Record<string, unknown>;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-e2e-corrections-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
    api = new RegistryClient(service.url);
    tokens = await demoTokens();
    story = await runDemoStory(api, tokens);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const timeline = async (path: string): Promise<Entry[]> => {
    const res = await api.get(`/api/districts/chengguan${path}/timeline`, tokens.auditor);
    expect(res.status).toBe(200);
    return res.body.entries as Entry[];
  };

  const obligationOn = async (on: string) => {
    const res = await api.get(`/api/districts/chengguan/obligations?on=${on}`, tokens.auditor);
    expect(res.status).toBe(200);
    return (res.body as Array<{ areaId: string }>).find((o) => o.areaId === 'cg-dongfang-garden') ?? null;
  };

  const correct = async (body: Record<string, unknown>) => {
    const res = await api.post('/api/districts/chengguan/corrections', tokens.chengguan, {
      effectiveAt: '2026-02-01',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body.events[0].eventId as string;
  };

  it('EST-8 the timelines of a community, its committee and its area show the correction as its own entry', async () => {
    for (const path of ['/communities/cg-wuquan', '/committees/cg-wuquan-rc', '/areas/cg-wuquan-a']) {
      const entries = await timeline(path);
      const at = entries.findIndex((e) => e.type === 'DecisionCorrected');
      expect(at).toBeGreaterThan(0);
      // Right after the entries of the decision it corrects, which keep both dates.
      expect(entries[at - 1]).toMatchObject({ effectiveAt: '2009-03-15', originalEffectiveAt: '2009-05-01' });
      expect(entries[at - 1].correctedBy).toEqual([entries[at].eventId]);
      expect(entries[at]).toMatchObject({
        actor: { subject: 'official-li-cg' },
        legalBasis: '城关区民政局档案核查〔2026〕3号',
        effectiveAt: '2026-01-15',
        corrects: {
          eventId: story.backfilledEventId,
          type: 'CommitteeEstablished',
          reason: '原始档案显示成立日期为2009年3月15日，录入时误记',
          originalEffectiveAt: '2009-05-01',
          correctedEffectiveAt: '2009-03-15',
          originalLegalBasis: '城关区政发〔2009〕40号',
          correctedLegalBasis: '城关区政发〔2009〕40号',
          annulled: false,
        },
      });
      expect(Date.parse(entries[at].recordedAt)).not.toBeNaN();
    }
  });

  it('EST-8 a timeline answered a page at a time gives the same entries, the correction after what it corrects', async () => {
    for (const path of ['/communities/cg-wuquan', '/committees/cg-wuquan-rc', '/areas/cg-wuquan-a']) {
      const all = await timeline(path);
      expect(all.some((e) => e.type === 'DecisionCorrected')).toBe(true);
      const paged: Entry[] = [];
      let after = '';
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(all.length);
        const res = await api.get(`/api/districts/chengguan${path}/timeline?limit=1${after}`, tokens.auditor);
        expect(res.status).toBe(200);
        expect(res.body.entries).toHaveLength(1);
        paged.push(...(res.body.entries as Entry[]));
        if (res.body.next === undefined) break;
        after = `&after=${encodeURIComponent(res.body.next as string)}`;
      }
      expect(paged).toEqual(all);
    }
    const bad = await api.get('/api/districts/chengguan/areas/cg-wuquan-a/timeline?limit=0', tokens.auditor);
    expect([bad.status, bad.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
      400,
      ['query.limit'],
    ]);
  });

  it('EST-2/EST-8 GET /obligations?on= and the area read model follow corrections of the opening and the closing', async () => {
    const garden = await timeline('/areas/cg-dongfang-garden');
    const opened = garden.find((e) => e.type === 'EstablishmentObligationOpened')!;
    const established = garden.find((e) => e.type === 'CommitteeEstablished')!;
    expect(await obligationOn('2013-07-01')).toMatchObject({
      openedOn: '2013-03-01',
      dueOn: '2013-08-28',
      closedOn: '2013-06-01',
      status: 'closed',
    });

    // The occupancy report dates from 2012-12-01; the committee from 2013-10-08.
    const reportCorrection = await correct({
      legalBasis: '东岗西路街道办更正〔2026〕1号',
      correctsEventId: opened.eventId,
      reason: '入住率报告实为2012年12月1日',
      correctedEffectiveAt: '2012-12-01',
    });
    const committeeCorrection = await correct({
      legalBasis: '城关区民政局档案核查〔2026〕7号',
      correctsEventId: established.eventId,
      reason: '成立文件实为2013年10月8日',
      correctedEffectiveAt: '2013-10-08',
    });

    // Before every date: no obligation yet.
    expect(await obligationOn('2012-11-30')).toBeNull();
    // Between the corrected and the recorded opening: open, due 180 days after the corrected date.
    expect(await obligationOn('2013-02-01')).toMatchObject({
      openedOn: '2012-12-01',
      dueOn: '2013-05-30',
      closedOn: null,
      status: 'open',
    });
    // Between the recorded closing (2013-06-01) and the corrected one: overdue, not closed.
    expect(await obligationOn('2013-07-01')).toMatchObject({ closedOn: null, status: 'overdue' });
    expect(await obligationOn('2013-10-07')).toMatchObject({ closedOn: null, status: 'overdue' });
    // After every date: closed late, on the corrected date.
    expect(await obligationOn('2013-10-08')).toMatchObject({ closedOn: '2013-10-08', status: 'closed-late' });
    expect(await obligationOn('2020-01-01')).toMatchObject({
      openedOn: '2012-12-01',
      dueOn: '2013-05-30',
      closedOn: '2013-10-08',
      status: 'closed-late',
    });

    // The read model (the projection behind GET /areas/{id}) shows the same derived dates.
    const area = await api.get('/api/districts/chengguan/areas/cg-dongfang-garden', tokens.auditor);
    expect(area.status).toBe(200);
    expect(area.body.obligation).toMatchObject({
      openedOn: '2012-12-01',
      dueOn: '2013-05-30',
      closedOn: '2013-10-08',
      closedByCommunityId: 'cg-dongfang',
    });

    // And the area's timeline shows both corrections beside what they corrected.
    const after = await timeline('/areas/cg-dongfang-garden');
    const report = after.findIndex((e) => e.eventId === reportCorrection);
    const committee = after.findIndex((e) => e.eventId === committeeCorrection);
    expect(after[report - 1].type).toBe('EstablishmentObligationOpened');
    expect(after[report].corrects).toMatchObject({
      originalEffectiveAt: '2013-03-01',
      correctedEffectiveAt: '2012-12-01',
    });
    expect(after[committee - 1].type).toBe('EstablishmentObligationClosed');
    expect(after[committee]).toMatchObject({
      legalBasis: '城关区民政局档案核查〔2026〕7号',
      corrects: {
        type: 'CommitteeEstablished',
        originalEffectiveAt: '2013-06-01',
        correctedEffectiveAt: '2013-10-08',
      },
    });
  });
});
