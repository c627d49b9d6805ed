import { communitiesShortOfSpace, districtCompliance, timelineOf, viewOn } from './queries';
import { Facilities } from './testing/given-when-then';
import { ESTABLISHED, facility, follow, MERGED } from './testing/corrections';

/**
 * EST-8 followed here: when the establishment service corrects the date of
 * a decision this service recomputed a FAC-1 requirement for, the requirement (and the merger's
 * transfer of facilities) takes effect on the corrected date, as of every date asked: before,
 * between and after the original and the corrected date; its figures (space, shortfall) are derived
 * again on the corrected date. The correction shows in the community's timeline as its own entry.
 */

/**
 * 东方红: an office of 200 m² since 2010 and a hall leased 2014-01-01 to 2015-02-15 (100 m²);
 * established 2015-01-01 with 2,000 households: FAC-1 requires max(0.2 × 2,000, 350) = 400 m².
 */
const established = (): Facilities => {
  const f = new Facilities();
  f.do('RecordExistingFacility', facility('dongfanghong', 'f-office', 200), '2010-01-01');
  f.do(
    'RemedySpaceShortage',
    { ...facility('dongfanghong', 'f-hall', 100), kind: 'lease', leaseUntil: '2015-02-15' },
    '2014-01-01',
  );
  f.do(
    'RecomputeRequirement',
    {
      communityId: 'dongfanghong',
      households: 2000,
      reason: 'community-established',
      sourceEventId: ESTABLISHED,
      areaIds: ['a-dfh'],
    },
    '2015-01-01',
  );
  return f;
};

const shortOn = (f: Facilities, on: string) =>
  communitiesShortOfSpace(f.state, on).map((a) => [a.communityId, a.requiredM2, a.spaceM2, a.shortfallM2]);

describe('EST-8 FAC-1 a requirement recomputed for a new community follows a correction of its establishment date', () => {
  it('FAC-1 EST-8 given an establishment moved from 2015-01-01 to 2015-03-01, then the requirement and shortfall follow as of dates before, between and after both', () => {
    const f = established();
    // As recorded: short by 100 m² from 2015-01-01 (200 + 100 leased), by 200 after the lease.
    expect(shortOn(f, '2015-02-01')).toEqual([['dongfanghong', 400, 300, 100]]);

    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    ).andRecord();

    // Before both dates: no requirement.
    expect(shortOn(f, '2014-12-31')).toEqual([]);
    // Between them: the community was not yet established here either.
    expect(shortOn(f, '2015-01-01')).toEqual([]);
    expect(shortOn(f, '2015-02-01')).toEqual([]);
    expect(viewOn(f.state, '2015-02-28').communities.dongfanghong.requirement).toBeNull();
    // From the corrected date: required 400 m², the lease has ended, short by 200.
    expect(shortOn(f, '2015-03-01')).toEqual([['dongfanghong', 400, 200, 200]]);
    expect(shortOn(f, '2016-01-01')).toEqual([['dongfanghong', 400, 200, 200]]);
    expect(f.state.view.communities.dongfanghong.requirement?.requiredM2).toBe(400);
  });

  it('FAC-1 EST-8 the recomputation’s figures are derived again on the corrected date and recorded with the correction', () => {
    const f = established();
    const followed = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' }),
        '2016-02-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    expect(followed.ruleIds).toEqual(['EST-8', 'FAC-1']);
    expect(followed.data).toMatchObject({
      correctsEventId: ESTABLISHED,
      correctedEffectiveAt: '2015-03-01',
      communityIds: ['dongfanghong'],
      followed: [
        {
          type: 'RequirementRecomputed',
          effectiveAt: '2015-01-01',
          figures: { previousRequiredM2: null, spaceM2: 200, shortfallM2: 200, meetsRequirement: false },
        },
      ],
    });
  });

  it('FAC-1 EST-8 a correction followed once; one of a decision nothing here derives from decides nothing', () => {
    const f = established();
    const input = follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' });
    f.do('FollowEstablishmentCorrection', input, '2016-02-01');
    expect(f.when('FollowEstablishmentCorrection', input, '2016-02-01').events).toEqual([]);
    const other = follow(
      'e0000000-0000-4000-8000-0000000000ff',
      'AreaRegistered',
      { correctedEffectiveAt: '2015-03-01' },
      'c0000000-0000-4000-8000-0000000000b2',
    );
    expect(f.when('FollowEstablishmentCorrection', other, '2016-02-01').events).toEqual([]);
  });

  it('EST-8 refuses to move the requirement past a decision recorded here on the community, naming the field', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-station', 50), '2015-02-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt', communityIds: ['dongfanghong'] });
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { annulled: true }),
      '2016-02-01',
    ).thenRefused('EST-8');
  });

  it('FAC-1 EST-8 an annulled establishment annuls the requirement recomputed for it, as of every date', () => {
    const f = established();
    f.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { annulled: true }),
      '2016-02-01',
    );
    for (const on of ['2015-01-01', '2015-03-01', '2016-03-01']) expect(shortOn(f, on)).toEqual([]);
    expect(f.state.view.communities.dongfanghong.requirement).toBeNull();
  });
});

describe('EST-8 FAC-1 a merger’s transfer of facilities follows a correction of its date', () => {
  it('FAC-1 FAC-4 EST-8 given a merger moved from 2017-01-01 to 2016-10-01, then the merged communities count as merged, with their space, from the corrected date', () => {
    const f = new Facilities();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-dfh', 200), '2010-01-01');
    f.do('RecordExistingFacility', facility('gaolanlu', 'f-glr', 150), '2010-01-01');
    f.do(
      'RecomputeRequirement',
      {
        communityId: 'dongfang-gaolan',
        households: 3000,
        reason: 'merger',
        sourceEventId: MERGED,
        mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
      },
      '2017-01-01',
    );
    f.do(
      'FollowEstablishmentCorrection',
      follow(MERGED, 'CommitteesMerged', { correctedEffectiveAt: '2016-10-01' }),
      '2017-06-01',
    );
    const communities = (on: string) => districtCompliance(f.state, on).communities.map((c) => c.communityId);
    // Before both dates: two communities, no requirement for the merged one.
    expect(communities('2016-09-30')).toEqual(['dongfanghong', 'gaolanlu']);
    expect(shortOn(f, '2016-09-30')).toEqual([]);
    // Between them and after: merged, with both facilities: 350 of max(0.2 × 3,000, 350) = 600 m².
    for (const on of ['2016-11-01', '2017-01-02']) {
      expect(communities(on)).toEqual(['dongfang-gaolan']);
      expect(shortOn(f, on)).toEqual([['dongfang-gaolan', 600, 350, 250]]);
    }
  });
});

describe('EST-8 the community timeline shows a correction beside the entry it corrected', () => {
  it('EST-8 the correction is its own entry (recorded date, actor, reason, legal basis), and the corrected entry shows its original and corrected dates and figures', () => {
    const f = established();
    f.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', {
        correctedEffectiveAt: '2015-03-01',
        correctedLegalBasis: '城关区政发〔2015〕9号',
      }),
      '2016-02-01',
    );
    const timeline = timelineOf(f.state.facts, 'community:dongfanghong');
    expect(timeline.map((e) => [e.type, e.effectiveAt])).toEqual([
      ['FacilityAcquired', '2010-01-01'],
      ['FacilityAcquired', '2014-01-01'],
      ['RequirementRecomputed', '2015-03-01'],
      ['EstablishmentCorrectionFollowed', '2016-02-01'],
    ]);
    const [, , recomputed, correction] = timeline;
    expect(recomputed.legalBasis).toBe('城关区政发〔2015〕9号');
    expect(recomputed.data).toMatchObject({ spaceM2: 200, shortfallM2: 200 });
    expect(recomputed.corrected).toEqual({
      originalEffectiveAt: '2015-01-01',
      correctedEffectiveAt: '2015-03-01',
      originalLegalBasis: expect.any(String),
      annulled: false,
      figures: {
        spaceM2: { original: 300, corrected: 200 },
        shortfallM2: { original: 100, corrected: 200 },
      },
      correctedBy: [correction.eventId],
    });
    expect(correction.recordedAt).toEqual(expect.any(String));
    expect(correction.actor.subject).toBe('clerk-chengguan-01');
    expect(correction.legalBasis).toEqual(expect.any(String));
    expect(correction.ruleIds).toEqual(['EST-8', 'FAC-1']);
    expect(correction.data).toMatchObject({
      reason: '成立文件日期录入错误',
      correctedBy: 'clerk-chengguan-02',
      correctsType: 'CommitteeEstablished',
    });
  });
});
