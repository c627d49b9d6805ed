import { Facilities } from './testing/given-when-then';
import { ESTABLISHED, facility, followEstablishment as follow, SPLIT } from './testing/corrections';

/**
 * EST-8 followed here: the bounds of a corrected date (the decisions recorded here on the same
 * communities before and after the recomputations it moves), several recomputations derived from
 * one decision, successive corrections, and what the followed correction records.
 */

/** 东方红: an office of 200 m² since 2010, a hall of 100 m² since 2014; established 2015-01-01. */
const established = (): Facilities => {
  const f = new Facilities();
  f.do('RecordExistingFacility', facility('dongfanghong', 'f-office', 200), '2010-01-01');
  f.do('RecordExistingFacility', facility('dongfanghong', 'f-hall', 100), '2014-01-01');
  f.do(
    'RecomputeRequirement',
    {
      communityId: 'dongfanghong',
      households: 2000,
      reason: 'community-established',
      sourceEventId: ESTABLISHED,
    },
    '2015-01-01',
  );
  return f;
};

describe('EST-8 the bounds of a corrected date', () => {
  it('EST-8 a recomputation moves back as far as the last decision before it, not past it', () => {
    const f = established();
    const refusal = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2013-12-31' }),
        '2016-02-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt', communityIds: ['dongfanghong'] });
    expect(refusal.message).toContain('between 2014-01-01 and 9999-12-31');
    const followed = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2014-01-01' }),
        '2016-02-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    // On 2014-01-01, after the hall recorded that day: 300 m² of 400 m².
    expect(followed.data.followed[0].figures).toEqual({
      previousRequiredM2: null,
      spaceM2: 300,
      shortfallM2: 100,
      meetsRequirement: false,
    });
  });

  it('EST-8 with nothing recorded before it, a recomputation moves back to any date', () => {
    const f = new Facilities();
    f.do(
      'RecomputeRequirement',
      { communityId: 'xigu', households: 1000, reason: 'community-established', sourceEventId: ESTABLISHED },
      '2015-01-01',
    );
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2000-01-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
    f.do('RecordExistingFacility', facility('xigu', 'f-xigu', 50), '2015-06-01');
    const refusal = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2015-06-02' }),
        '2016-02-01',
      )
      .thenRefused('EST-8');
    expect(refusal.message).toContain('between the start and 2015-06-01');
  });

  it('EST-8 a recomputation moves forward as far as the next decision after it, not past it', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-station', 50), '2015-02-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-02-02' }),
      '2016-02-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-02-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });

  it('EST-8 the bounds are the nearest decisions on either side, not the farthest', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-station', 50), '2015-02-01');
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-library', 50), '2015-05-01');
    // Before: 2010-01-01 and 2014-01-01; after: 2015-02-01 and 2015-05-01.
    const refusal = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
        '2016-02-01',
      )
      .thenRefused('EST-8');
    expect(refusal.message).toContain('between 2014-01-01 and 2015-02-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2013-01-01' }),
      '2016-02-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 a decision recorded on the same day after the recomputation counts as after it', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-station', 50), '2015-01-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-01-02' }),
      '2016-02-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { annulled: true }),
      '2016-02-01',
    ).thenRefused('EST-8', { laterEventIds: [f.state.facts[3].eventId] });
  });

  it('EST-8 an annulled decision on the community does not bound the correction', () => {
    const f = established();
    const LATER = 'e0000000-0000-4000-8000-0000000000a4';
    f.do(
      'RecomputeRequirement',
      { communityId: 'dongfanghong', households: 2400, reason: 'households-changed', sourceEventId: LATER },
      '2015-06-01',
    );
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-07-01' }),
      '2016-02-01',
    ).thenRefused('EST-8');
    f.do(
      'FollowEstablishmentCorrection',
      follow(LATER, { annulled: true }, 'c0000000-0000-4000-8000-0000000000b9'),
      '2016-02-01',
    );
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-07-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });

  it('EST-8 a merger moves back no further than the latest decision on any merged community, whatever order they were recorded in', () => {
    const MERGED = 'e0000000-0000-4000-8000-0000000000a5';
    const f = new Facilities();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-dfh', 200), '2014-01-01');
    // Recorded later, effective earlier (a backfilled record of another community).
    f.do('RecordExistingFacility', facility('gaolanlu', 'f-glr', 150), '2012-01-01');
    f.do(
      'RecomputeRequirement',
      {
        communityId: 'dongfang-gaolan',
        households: 3000,
        reason: 'merger',
        sourceEventId: MERGED,
        mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
      },
      '2015-01-01',
    );
    f.when(
      'FollowEstablishmentCorrection',
      follow(MERGED, { correctedEffectiveAt: '2013-01-01' }),
      '2016-02-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    f.when(
      'FollowEstablishmentCorrection',
      follow(MERGED, { correctedEffectiveAt: '2014-01-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });

  it('EST-8 decisions on other communities do not bound the correction', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('gaolanlu', 'f-glr', 50), '2015-02-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });
});

describe('EST-8 several recomputations derived from one decision (the parts of a split)', () => {
  /** 东方红 (300 m²) splits on 2015-01-01 into 东方 (takes its space) and 红星 (none). */
  const split = (): Facilities => {
    const f = established();
    f.do(
      'RecomputeRequirement',
      {
        communityId: 'dongfang',
        households: 1200,
        reason: 'split',
        sourceEventId: SPLIT,
        mergedCommunityIds: ['dongfanghong'],
      },
      '2015-06-01',
    );
    f.do(
      'RecomputeRequirement',
      { communityId: 'hongxing', households: 800, reason: 'split', sourceEventId: SPLIT },
      '2015-06-01',
    );
    return f;
  };

  it('EST-8 FAC-1 every part follows the correction, with its figures derived again on the corrected date', () => {
    const followed = split()
      .when(
        'FollowEstablishmentCorrection',
        follow(SPLIT, { correctedEffectiveAt: '2015-03-01' }),
        '2016-02-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    expect(followed.data.communityIds).toEqual(['dongfang', 'dongfanghong', 'hongxing']);
    expect(followed.data.followed.map((x) => [x.effectiveAt, x.figures])).toEqual([
      ['2015-06-01', { previousRequiredM2: null, spaceM2: 300, shortfallM2: 50, meetsRequirement: false }],
      ['2015-06-01', { previousRequiredM2: null, spaceM2: 0, shortfallM2: 350, meetsRequirement: false }],
    ]);
  });

  it('EST-8 the parts move back as far as the last decision before the first of them', () => {
    const f = split();
    f.when(
      'FollowEstablishmentCorrection',
      follow(SPLIT, { correctedEffectiveAt: '2014-12-31' }),
      '2016-02-01',
    ).thenRefused('EST-8', { communityIds: ['dongfang', 'dongfanghong', 'hongxing'] });
    f.when(
      'FollowEstablishmentCorrection',
      follow(SPLIT, { correctedEffectiveAt: '2015-01-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });

  it('EST-8 the parts move forward as far as the next decision after the last of them', () => {
    const f = split();
    f.do('RecordExistingFacility', facility('hongxing', 'f-hx', 100), '2015-09-01');
    f.when(
      'FollowEstablishmentCorrection',
      follow(SPLIT, { correctedEffectiveAt: '2015-09-02' }),
      '2016-02-01',
    ).thenRefused('EST-8');
    f.when(
      'FollowEstablishmentCorrection',
      follow(SPLIT, { correctedEffectiveAt: '2015-09-01' }),
      '2016-02-01',
    ).eventOf('EstablishmentCorrectionFollowed');
  });
});

describe('EST-8 what a followed correction records', () => {
  it('EST-8 FAC-1 records the correction as the establishment service made it, and the recomputations it moved', () => {
    const f = established();
    const input = follow(ESTABLISHED, {
      correctedEffectiveAt: '2015-03-01',
      correctedLegalBasis: '城关区政发〔2015〕9号',
    });
    const followed = f.when('FollowEstablishmentCorrection', input, '2016-02-01');
    followed.thenEvents('EST-8', [
      {
        type: 'EstablishmentCorrectionFollowed',
        data: {
          correctionEventId: input.correctionEventId,
          correctsEventId: ESTABLISHED,
          correctsType: 'CommitteeEstablished',
          reason: '成立文件日期录入错误',
          correctedBy: 'clerk-chengguan-02',
          correctionRecordedAt: '2016-02-01T02:00:00.000Z',
          correctedEffectiveAt: '2015-03-01',
          correctedLegalBasis: '城关区政发〔2015〕9号',
          annulled: false,
          followed: [
            {
              eventId: f.state.facts[2].eventId,
              type: 'RequirementRecomputed',
              effectiveAt: '2015-01-01',
              figures: { previousRequiredM2: null, spaceM2: 300, shortfallM2: 100, meetsRequirement: false },
            },
          ],
          communityIds: ['dongfanghong'],
        },
      },
    ]);
    expect(followed.thenAccepted()[0].ruleIds).toEqual(['EST-8', 'FAC-1']);
  });

  it('EST-8 FAC-1 a correction of the legal basis only derives the figures again on the recorded date', () => {
    const f = established();
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-station', 50), '2015-02-01');
    const followed = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedLegalBasis: '城关区政发〔2015〕9号' }),
        '2016-02-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    // On 2015-01-01, before the station of 2015-02-01: 300 m².
    expect(followed.data.followed[0].figures).toMatchObject({ spaceM2: 300, shortfallM2: 100 });
  });

  it('EST-8 an annulment records no figures', () => {
    const followed = established()
      .when('FollowEstablishmentCorrection', follow(ESTABLISHED, { annulled: true }), '2016-02-01')
      .eventOf('EstablishmentCorrectionFollowed');
    expect(followed.data.followed).toEqual([expect.objectContaining({ figures: null })]);
  });

  it('EST-8 a second correction of the same decision is followed too; once annulled, nothing is left to follow', () => {
    const f = established();
    f.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    );
    const again = f
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2015-04-01' }, 'c0000000-0000-4000-8000-0000000000b2'),
        '2016-03-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    expect(again.data.followed[0].effectiveAt).toBe('2015-03-01');
    f.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { annulled: true }, 'c0000000-0000-4000-8000-0000000000b3'),
      '2016-03-01',
    );
    expect(
      f
        .when(
          'FollowEstablishmentCorrection',
          follow(ESTABLISHED, { correctedEffectiveAt: '2015-05-01' }, 'c0000000-0000-4000-8000-0000000000b4'),
          '2016-04-01',
        )
        .thenAccepted(),
    ).toEqual([]);
  });
});
