/**
 * A plausible Lanzhou history told through the HTTP API: committees from the 2001 archives, an
 * estate crossing 50% occupancy under a residents' group and then proxy management by its
 * neighbour, a merger, a split, a backfilled past decision and its correction, an urban-rural
 * fringe, a migrant area and a village-to-residence conversion. `npm run demo` prints it; the
 * end-to-end test drives the same story and checks the answers.
 */
export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export class RegistryClient {
  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string, token?: string): Promise<ApiResponse> {
    return this.request('GET', path, token);
  }

  post(
    path: string,
    token: string | undefined,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse> {
    return this.request('POST', path, token, body, headers);
  }
}

export interface DemoTokens {
  chengguan: string;
  qilihe: string;
  anning: string;
  auditor: string;
}

export interface DemoResult {
  /** Event id of the backfilled establishment of 五泉社区, later corrected. */
  backfilledEventId: string;
  steps: Array<{ step: string; status: number }>;
}

type Log = (line: string) => void;

export async function runDemoStory(
  api: RegistryClient,
  tokens: DemoTokens,
  log: Log = () => {},
): Promise<DemoResult> {
  const steps: DemoResult['steps'] = [];
  const must = async (step: string, call: Promise<ApiResponse>): Promise<ApiResponse> => {
    const res = await call;
    steps.push({ step, status: res.status });
    if (res.status !== 201) throw new Error(`${step}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const types = (res.body.events as Array<{ type: string; ruleIds: string[] }>)
      .map((e) => `${e.type}[${e.ruleIds.join(',')}]`)
      .join(' ');
    log(`  ✔ ${step}\n      → ${types}`);
    return res;
  };
  const cg = (path: string, body: unknown) =>
    api.post(`/api/districts/chengguan${path}`, tokens.chengguan, body);
  const ql = (path: string, body: unknown) => api.post(`/api/districts/qilihe${path}`, tokens.qilihe, body);
  const an = (path: string, body: unknown) => api.post(`/api/districts/anning${path}`, tokens.anning, body);
  const town = (
    areaId: string,
    name: string,
    subDistrict: string,
    households: number,
    adjacentAreaIds: string[] = [],
  ) => ({
    areaId,
    name,
    kind: 'existing-town-area',
    subDistrict,
    households,
    adjacentAreaIds,
  });

  log('城关区 (chengguan): committees from the 2001 archives');
  await must(
    '2001-03-01 白银路社区 established with its two areas (backfilled from the archive)',
    cg('/committees', {
      effectiveAt: '2001-03-01',
      legalBasis: '城关区政发〔2001〕15号',
      communityId: 'cg-baiyinlu',
      committeeId: 'cg-baiyinlu-rc',
      name: '白银路社区居民委员会',
      newAreas: [
        town('cg-baiyinlu-east', '白银路东片', '张掖路街道', 320),
        town('cg-baiyinlu-west', '白银路西片', '张掖路街道', 280, ['cg-baiyinlu-east']),
      ],
    }),
  );
  await must(
    '2001-03-01 静宁路社区 established',
    cg('/committees', {
      effectiveAt: '2001-03-01',
      legalBasis: '城关区政发〔2001〕15号',
      communityId: 'cg-jingning',
      committeeId: 'cg-jingning-rc',
      name: '静宁路社区居民委员会',
      newAreas: [town('cg-jingning-north', '静宁路北片', '张掖路街道', 350, ['cg-baiyinlu-west'])],
    }),
  );
  await must(
    '2010-09-01 东岗社区 established',
    cg('/committees', {
      effectiveAt: '2010-09-01',
      legalBasis: '城关区政发〔2010〕88号',
      communityId: 'cg-donggang',
      committeeId: 'cg-donggang-rc',
      name: '东岗社区居民委员会',
      newAreas: [town('cg-donggang-old', '东岗老街区', '东岗西路街道', 500, ['cg-jingning-north'])],
    }),
  );

  log("城关区: a new estate under a residents' group, then proxy management, then its own committee");
  await must(
    "2012-04-01 东方花园 registered, covered by a residents' group attached to 东岗社区 (EST-3)",
    cg('/areas', {
      effectiveAt: '2012-04-01',
      legalBasis: '城关区民政局〔2012〕21号',
      areaId: 'cg-dongfang-garden',
      name: '东方花园',
      kind: 'new-residential-estate',
      subDistrict: '东岗西路街道',
      households: 800,
      adjacentAreaIds: ['cg-donggang-old'],
      responsibility: {
        kind: 'residents-group',
        groupId: 'cg-dongfang-group',
        groupName: '东方花园居民小组',
        attachedToCommunityId: 'cg-donggang',
      },
    }),
  );
  await must(
    '2012-10-15 东岗社区 starts proxy management of 东方花园 (代管, EST-3)',
    cg('/areas/cg-dongfang-garden/proxy-management', {
      effectiveAt: '2012-10-15',
      legalBasis: '东岗西路街道办〔2012〕9号',
      byCommunityId: 'cg-donggang',
    }),
  );
  await must(
    '2013-03-01 occupancy 440/800 = 55% opens an establishment obligation (EST-2)',
    cg('/areas/cg-dongfang-garden/occupancy-reports', {
      effectiveAt: '2013-03-01',
      legalBasis: '东岗西路街道办入住率报告2013-03',
      occupiedHouseholds: 440,
    }),
  );
  await must(
    '2013-06-01 东方社区 established over 东方花园: proxy ends, obligation closes (EST-2, EST-7)',
    cg('/committees', {
      effectiveAt: '2013-06-01',
      legalBasis: '城关区政发〔2013〕47号',
      communityId: 'cg-dongfang',
      committeeId: 'cg-dongfang-rc',
      name: '东方社区居民委员会',
      areaIds: ['cg-dongfang-garden'],
    }),
  );
  log('城关区: the trinity structure of 东方社区 (ORG-1..3)');
  for (const [path, body] of [
    ['/communities/cg-dongfang/party-organization', { name: '中共东方社区委员会' }],
    ['/communities/cg-dongfang/service-station', { name: '东方社区服务站' }],
    [
      '/communities/cg-dongfang/posts',
      { personId: 'p-dongfang-0001', body: 'party-organization', post: '书记' },
    ],
    [
      '/communities/cg-dongfang/posts',
      { personId: 'p-dongfang-0001', body: 'residents-committee', post: '主任' },
    ],
    [
      '/communities/cg-dongfang/posts',
      { personId: 'p-dongfang-0001', body: 'service-station', post: '站长' },
    ],
    [
      '/communities/cg-dongfang/task-delegations',
      {
        taskId: 'task-2014-elderly-allowance',
        department: '城关区民政局',
        description: '高龄津贴申请受理',
        fundingYuanPerYear: 36000,
        fundingSource: '城关区财政',
        workingConditions: '服务站窗口一个、专用电脑一台',
      },
    ],
  ] as const)
    await must(
      `2014-01-06 ${path.split('/').pop()}`,
      cg(path, { effectiveAt: '2014-01-06', legalBasis: '兰委办发〔2013〕1号', ...body }),
    );

  log('城关区: a merger and a split');
  await must(
    '2015-07-01 白银路社区 and 静宁路社区 merge into 白银静宁社区 (EST-8)',
    cg('/committee-mergers', {
      effectiveAt: '2015-07-01',
      legalBasis: '城关区政发〔2015〕33号',
      sourceCommunityIds: ['cg-baiyinlu', 'cg-jingning'],
      communityId: 'cg-baiyin-jingning',
      committeeId: 'cg-baiyin-jingning-rc',
      name: '白银静宁社区居民委员会',
    }),
  );
  await must(
    '2018-03-01 白银静宁社区 splits: 白银路东 becomes its own community (EST-7)',
    cg('/communities/cg-baiyin-jingning/split', {
      effectiveAt: '2018-03-01',
      legalBasis: '城关区政发〔2018〕12号',
      parts: [
        {
          communityId: 'cg-baiyinlu-east-c',
          committeeId: 'cg-baiyinlu-east-rc',
          name: '白银路东社区居民委员会',
          areaIds: ['cg-baiyinlu-east'],
        },
        {
          communityId: 'cg-baiyin-jingning',
          committeeId: 'cg-baiyin-jingning-rc',
          name: '白银静宁社区居民委员会',
          areaIds: ['cg-baiyinlu-west', 'cg-jingning-north'],
        },
      ],
    }),
  );

  log('城关区: a decision found later in the archive, then corrected');
  const backfill = await must(
    '2009-05-01 五泉社区 established (recorded now, after the later decisions)',
    cg('/committees', {
      effectiveAt: '2009-05-01',
      legalBasis: '城关区政发〔2009〕40号',
      communityId: 'cg-wuquan',
      committeeId: 'cg-wuquan-rc',
      name: '五泉社区居民委员会',
      newAreas: [town('cg-wuquan-a', '五泉山片区', '五泉街道', 650)],
    }),
  );
  const backfilledEventId = backfill.body.events.find(
    (e: { type: string }) => e.type === 'CommitteeEstablished',
  ).eventId;
  await must(
    'correction: the archive dates 五泉社区 to 2009-03-15, not 2009-05-01 (EST-8)',
    cg('/corrections', {
      effectiveAt: '2026-01-15',
      legalBasis: '城关区民政局档案核查〔2026〕3号',
      correctsEventId: backfilledEventId,
      reason: '原始档案显示成立日期为2009年3月15日，录入时误记',
      correctedEffectiveAt: '2009-03-15',
    }),
  );

  log('七里河区 (qilihe): an urban-rural fringe and a migrant-population area');
  await must(
    '2011-05-01 西果园社区 established in the urban-rural fringe, beside 西果园村委会 (EST-4)',
    ql('/committees', {
      effectiveAt: '2011-05-01',
      legalBasis: '七里河区政发〔2011〕26号',
      communityId: 'ql-xiguoyuan',
      committeeId: 'ql-xiguoyuan-rc',
      name: '西果园社区居民委员会',
      newAreas: [
        {
          areaId: 'ql-xiguoyuan-a',
          name: '西果园片区',
          kind: 'urban-rural-fringe',
          subDistrict: '西果园镇',
          households: 600,
          villageCommittee: { name: '西果园村民委员会' },
        },
      ],
    }),
  );
  await must(
    "2013-09-01 a small migrant-population area gets a residents' group attached to 西果园社区 (EST-6)",
    ql('/areas', {
      effectiveAt: '2013-09-01',
      legalBasis: '七里河区民政局〔2013〕8号',
      areaId: 'ql-migrant-1',
      name: '五里铺流动人口聚居点',
      kind: 'migrant-population-concentration',
      subDistrict: '西果园镇',
      households: 180,
      adjacentAreaIds: ['ql-xiguoyuan-a'],
      responsibility: {
        kind: 'residents-group',
        groupId: 'ql-migrant-1-group',
        groupName: '五里铺居民小组',
        attachedToCommunityId: 'ql-xiguoyuan',
      },
    }),
  );

  log('安宁区 (anning): a village becomes a residential area');
  await must(
    '2019-01-01 培黎社区 established',
    an('/committees', {
      effectiveAt: '2019-01-01',
      legalBasis: '安宁区政发〔2019〕2号',
      communityId: 'an-peili',
      committeeId: 'an-peili-rc',
      name: '培黎社区居民委员会',
      newAreas: [town('an-peili-a', '培黎片区', '培黎街道', 900)],
    }),
  );
  await must(
    '2020-06-01 沙井驿村 converted to a residential area, proxy-managed by 培黎社区 (EST-5)',
    an('/village-conversions', {
      effectiveAt: '2020-06-01',
      legalBasis: '安宁区政发〔2020〕17号',
      areaId: 'an-shajingyi',
      name: '沙井驿新区',
      subDistrict: '沙井驿街道',
      households: 1200,
      adjacentAreaIds: ['an-peili-a'],
      formerVillageCommittee: { name: '沙井驿村民委员会' },
      responsibility: { kind: 'proxy', communityId: 'an-peili' },
    }),
  );
  return { backfilledEventId, steps };
}
