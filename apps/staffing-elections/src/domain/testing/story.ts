import type { StaffingEvent } from '../events';
import { candidatesFor, history, sevenMembers, type History } from './given-when-then';

/**
 * A story of 城关区 that produces every staffing event type, decision by decision, told through the
 * domain's own decide (History.do): every event is one the service would append. Each step is one
 * decision with the History's event ids, correlation id and legal basis, so that the projection
 * tests can append it to a store and the contract tests can check what the domain really emits.
 */
export interface StaffingStoryEvent {
  readonly eventId: string;
  readonly event: StaffingEvent;
  readonly effectiveAt: string;
  readonly correlationId: string;
  readonly legalBasis: string;
  readonly causationId: string | null;
}

export interface StaffingStoryStep {
  readonly label: string;
  readonly on: string;
  readonly events: readonly StaffingStoryEvent[];
}

export const STAFFING_STORY_DISTRICT = 'chengguan';

/** The establishment service's CommitteeDissolved the story's EndTerms reacts to. */
const DISSOLUTION_EVENT_ID = 'e0000000-0000-4000-8000-0000000000d1';

export function staffingStory(): { history: History; steps: StaffingStoryStep[] } {
  const h = history();
  const steps: StaffingStoryStep[] = [];
  const step = (label: string, on: string, run: (h: History) => void): void => {
    const before = h.state.facts.length;
    run(h);
    steps.push({
      label,
      on,
      events: h.state.facts.slice(before).map((f) => ({
        eventId: f.eventId,
        event: f.event,
        effectiveAt: f.originalEffectiveAt,
        correlationId: f.correlationId,
        legalBasis: f.originalLegalBasis,
        causationId: f.causationId,
      })),
    });
  };
  const members = sevenMembers('dfh');
  const glr = sevenMembers('glr');

  step('CallElection (new committee)', '2013-04-01', (x) =>
    x.do(
      'CallElection',
      { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
      '2013-04-01',
    ),
  );
  step('RegisterElectorate', '2013-04-01', (x) =>
    x.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 480, households: 500 },
      '2013-04-01',
    ),
  );
  step('RecordElectionResults (first term)', '2013-05-20', (x) =>
    x.do(
      'RecordElectionResults',
      {
        electionId: 'dfh-e1',
        votesCast: 400,
        candidates: candidatesFor(members, 390),
        elected: members,
        multiEthnicArea: true,
      },
      '2013-05-20',
    ),
  );
  step('CallElection (second committee)', '2013-06-01', (x) =>
    x.do(
      'CallElection',
      { electionId: 'glr-e1', committeeId: 'glr-rc', communityId: 'gaolanlu', reason: 'new-committee' },
      '2013-06-01',
    ),
  );
  step('RegisterElectorate (second committee)', '2013-06-01', (x) =>
    x.do(
      'RegisterElectorate',
      { electionId: 'glr-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2013-06-01',
    ),
  );
  step('RecordElectionResults (turnout too low)', '2013-07-01', (x) =>
    x.do(
      'RecordElectionResults',
      { electionId: 'glr-e1', votesCast: 300, candidates: candidatesFor(glr, 290), elected: glr },
      '2013-07-01',
    ),
  );
  step('CallElection (third committee)', '2014-01-10', (x) =>
    x.do(
      'CallElection',
      {
        electionId: 'ytxy-e1',
        committeeId: 'ytxy-rc',
        communityId: 'yantan-xinyuan',
        reason: 'new-committee',
      },
      '2014-01-10',
    ),
  );
  step('CallElection (vacancies)', '2014-03-01', (x) => {
    x.do(
      'CallElection',
      { electionId: 'dfh-by1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'vacancies' },
      '2014-03-01',
    );
    x.do(
      'RegisterElectorate',
      { electionId: 'dfh-by1', mode: 'all-voters', registeredVoters: 1000 },
      '2014-03-01',
    );
  });
  const newcomer = [{ personId: 'dfh-8', role: 'member' as const, woman: true, ethnicMinority: false }];
  step('RecordElectionResults (by-election)', '2014-04-01', (x) =>
    x.do(
      'RecordElectionResults',
      { electionId: 'dfh-by1', votesCast: 700, candidates: candidatesFor(newcomer), elected: newcomer },
      '2014-04-01',
    ),
  );
  for (const [personId, communityId, collegeGraduate] of [
    ['w-wang', 'dongfanghong', true],
    ['w-li', 'dongfanghong', false],
    ['w-zhao', 'gaolanlu', false],
    ['w-sun', 'dongfanghong', false],
  ] as const)
    step(`HireWorker ${personId}`, '2014-03-01', (x) =>
      x.do('HireWorker', { personId, communityId, post: '社区工作者', collegeGraduate }, '2014-03-01'),
    );
  step('TransferWorker', '2015-01-01', (x) =>
    x.do('TransferWorker', { personId: 'w-li', toCommunityId: 'gaolanlu', post: '服务站站长' }, '2015-01-01'),
  );
  step('RecordAverageWage', '2016-02-01', (x) =>
    x.do('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 48000 }, '2016-02-01'),
  );
  step('RecordQualification', '2016-07-01', (x) =>
    x.do(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2016-06-20' },
      '2016-07-01',
    ),
  );
  step('RecordWelfare', '2016-09-01', (x) => {
    x.do('RecordWelfare', { personId: 'w-wang', year: 2016, kind: 'health-check' }, '2016-09-01');
    x.do('RecordWelfare', { personId: 'w-li', year: 2016, kind: 'paid-leave', days: 5 }, '2016-09-01');
    x.do(
      'RecordWelfare',
      { personId: 'w-zhao', year: 2016, kind: 'hardship-subsidy', amountYuan: 2000 },
      '2016-09-01',
    );
  });
  for (const [personId, annualPayYuan, housingFund] of [
    ['w-wang', 52000, true],
    ['w-li', 40000, false],
    ['w-zhao', 50000, true],
  ] as const)
    step(`RecordPay ${personId}`, '2017-01-10', (x) =>
      x.do(
        'RecordPay',
        {
          personId,
          year: 2016,
          annualPayYuan,
          insurances:
            personId === 'w-li'
              ? ['pension', 'medical']
              : ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'],
          housingFund,
        },
        '2017-01-10',
      ),
    );
  step('RecordCareerEvent', '2017-02-01', (x) =>
    x.do(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
      '2017-02-01',
    ),
  );
  step('AssignPost', '2016-01-01', (x) =>
    x.do(
      'AssignPost',
      { personId: 'dfh-1', communityId: 'dongfanghong', body: 'party-organization', post: '书记' },
      '2016-01-01',
    ),
  );
  step('AssignPost (to be ended)', '2017-02-15', (x) =>
    x.do(
      'AssignPost',
      { personId: 'w-wang', communityId: 'dongfanghong', body: 'party-organization', post: '委员' },
      '2017-02-15',
    ),
  );
  step('EndPost', '2017-03-01', (x) =>
    x.do(
      'EndPost',
      { personId: 'w-wang', communityId: 'dongfanghong', body: 'party-organization', post: '委员' },
      '2017-03-01',
    ),
  );
  step('WorkerLeaves', '2017-03-01', (x) =>
    x.do('WorkerLeaves', { personId: 'w-sun', reason: 'recruited-civil-servant' }, '2017-03-01'),
  );
  step('CallElection (schedule)', '2016-03-01', (x) => {
    x.do(
      'CallElection',
      { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'schedule' },
      '2016-03-01',
    );
    x.do(
      'RegisterElectorate',
      { electionId: 'dfh-e2', mode: 'all-voters', registeredVoters: 1000 },
      '2016-03-01',
    );
  });
  step('RecordElectionResults (re-election)', '2016-05-15', (x) =>
    x.do(
      'RecordElectionResults',
      { electionId: 'dfh-e2', votesCast: 800, candidates: candidatesFor(members), elected: members },
      '2016-05-15',
    ),
  );
  // ELECT-4: the merger ends 东方红's term and supersedes 皋兰路's failed, still open election.
  step('CallElection (merger)', '2017-07-01', (x) =>
    x.do(
      'CallElection',
      {
        electionId: 'dg-e1',
        committeeId: 'dg-rc',
        communityId: 'dongfang-gaolan',
        reason: 'merger',
        endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
      },
      '2017-07-01',
    ),
  );
  // ELECT-4 in reaction to the establishment's dissolution (its event is the causation) ...
  step('EndTerms (dissolution)', '2017-08-01', (x) =>
    x.do('EndTerms', { committeeId: 'ytxy-rc', reason: 'dissolution' }, '2017-08-01', DISSOLUTION_EVENT_ID),
  );
  // ... and EST-8: the dissolution's date is corrected there, so the term's end moves here.
  step('FollowEstablishmentCorrection (dissolution re-dated)', '2018-01-05', (x) =>
    x.do(
      'FollowEstablishmentCorrection',
      {
        correctionEventId: 'c0000000-0000-4000-8000-000000000001',
        correctsEventId: DISSOLUTION_EVENT_ID,
        correctsType: 'CommitteeDissolved',
        reason: '撤销文件日期录入错误',
        correctedEffectiveAt: '2017-08-15',
        correctedLegalBasis: null,
        annulled: false,
        correctedBy: 'clerk-chengguan-02',
        correctionRecordedAt: '2018-01-05T02:00:00.000Z',
      },
      '2018-01-05',
      'c0000000-0000-4000-8000-000000000001',
    ),
  );
  // Recorded now, effective in 2012: the current state of every later date is refolded.
  step('HireWorker (backfilled from the 2012 archive)', '2012-05-01', (x) =>
    x.do(
      'HireWorker',
      { personId: 'w-archive', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: true },
      '2012-05-01',
    ),
  );
  return { history: h, steps };
}
