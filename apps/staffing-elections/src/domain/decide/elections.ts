import { RuleViolation } from '#libs/decider';
import type { CommandOf, ElectedMember } from '../commands';
import type { MemberRecord, StaffingEvent } from '../events';
import { addDays, regimeOn, type StaffingPolicy } from '../policy';
import { openElectionOf, termInOffice, type StaffingView } from '../state';
import { ev, regimeApplied, requireElection } from './shared';
import { electedCommittee, termsOfElected } from './terms';

// Elections (ELECT-1..5): called, their electorate registered, their results recorded.

export function callElection(
  command: CommandOf<'CallElection'>,
  view: StaffingView,
  on: string,
  policy: StaffingPolicy,
): StaffingEvent[] {
  const d = command.data;
  if (view.elections[d.electionId])
    throw new RuleViolation('ELECT-4', `election ${d.electionId} already exists`);
  const committee = view.committees[d.committeeId];
  if (committee && committee.communityId !== d.communityId)
    throw new RuleViolation('ELECT-4', `committee ${d.committeeId} belongs to ${committee.communityId}`);
  const ending = new Set(d.endsTermsOfCommitteeIds);
  const open = openElectionOf(view, d.committeeId);
  // An absorbing committee's own open election is superseded by the merger's (below).
  const superseding = d.reason === 'merger' || d.reason === 'split';
  if (open && !(superseding && ending.has(d.committeeId)))
    throw new RuleViolation('ELECT-4', `election ${open.electionId} of ${d.committeeId} is still open`, {
      openElectionId: open.electionId,
    });
  const inOffice = termInOffice(view, d.committeeId, on);
  let dueOn = d.dueOn;
  let dueDays: number | null = null;
  switch (d.reason) {
    case 'new-committee':
      // ELECT-4: a newly established committee gets its first election, once.
      if (committee && committee.termIds.length > 0)
        throw new RuleViolation(
          'ELECT-4',
          `committee ${d.committeeId} was already elected; its first election is past`,
        );
      break;
    case 'schedule':
      // ELECT-2: the scheduled election renews a term in office, due by its end.
      if (!inOffice)
        throw new RuleViolation(
          'ELECT-2',
          `committee ${d.committeeId} has no term in office to renew on ${on}`,
        );
      dueOn ??= inOffice.endsOn;
      break;
    case 'vacancies':
      if (!inOffice)
        throw new RuleViolation(
          'ELECT-4',
          `a by-election needs a term in office; ${d.committeeId} has none on ${on}`,
        );
      break;
    case 'merger':
      // ELECT-4: a merger ends the terms of the merged committees and elects the resulting one.
      if (new Set(d.endsTermsOfCommitteeIds).size < 2)
        throw new RuleViolation(
          'ELECT-4',
          'a merger names at least two merged committees whose terms it ends',
        );
      break;
    case 'split':
      if (d.endsTermsOfCommitteeIds.length > 1)
        throw new RuleViolation('ELECT-4', 'a split ends the term of one committee, the one split');
      break;
  }
  if (d.reason !== 'merger' && d.reason !== 'split' && d.endsTermsOfCommitteeIds.length > 0)
    throw new RuleViolation('ELECT-4', `an election called by ${d.reason} ends no other committee's term`);
  if (dueOn === undefined) {
    dueDays = policy.electionDueDays;
    dueOn = addDays(on, dueDays);
  }
  if (dueOn < on) throw new RuleViolation('ELECT-4', `an election due on ${dueOn} cannot be called on ${on}`);

  const ended: StaffingEvent[] = [];
  for (const committeeId of ending) {
    // ELECT-4: the merged (or split) committee's own election still open is superseded by this
    // one: it is cancelled, so the calendar no longer lists it as due.
    const superseded = openElectionOf(view, committeeId);
    if (superseded)
      ended.push(
        ev('ElectionCancelled', ['ELECT-4'], {
          electionId: superseded.electionId,
          committeeId,
          cancelledOn: on,
          reason: d.reason === 'merger' ? 'merger' : 'split',
          supersededByElectionId: d.electionId,
        }),
      );
    const term = termInOffice(view, committeeId, on);
    if (term)
      ended.push(
        ev('TermEnded', ['ELECT-4'], {
          termId: term.termId,
          committeeId,
          endedOn: on,
          reason: d.reason === 'merger' ? 'merger' : 'split',
          byElectionId: d.electionId,
        }),
      );
  }
  return [
    ...ended,
    ev('ElectionCalled', ['ELECT-4'], {
      electionId: d.electionId,
      committeeId: d.committeeId,
      communityId: d.communityId,
      reason: d.reason,
      calledOn: on,
      dueOn,
      dueDays,
      endsTermsOfCommitteeIds: [...ending],
    }),
  ];
}

export function registerElectorate(
  command: CommandOf<'RegisterElectorate'>,
  view: StaffingView,
  on: string,
): StaffingEvent[] {
  const d = command.data;
  const election = requireElection(view, d.electionId);
  if (election.status === 'held')
    throw new RuleViolation('ELECT-3', `election ${d.electionId} was already held on ${election.heldOn}`);
  const regime = regimeOn(on);
  // Stryker disable next-line ConditionalExpression: equivalent while every regime provides all three modes; it guards a future regime that does not
  if (!regime.electorateModes.includes(d.mode))
    // Stryker disable next-line StringLiteral: unreachable while every regime provides all three modes
    throw new RuleViolation('ELECT-3', `${regime.name} does not provide for the ${d.mode} electorate`);
  let households: number | null = null;
  let groups: { groupId: string; representatives: number }[] | null = null;
  if (d.mode === 'household-representatives') {
    if (d.households === undefined)
      throw new RuleViolation('ELECT-3', 'one representative per household: give the households');
    if (d.registeredVoters > d.households)
      throw new RuleViolation(
        'ELECT-3',
        `${d.registeredVoters} representatives for ${d.households} households: one per household`,
        {
          registeredVoters: d.registeredVoters,
          households: d.households,
        },
      );
    households = d.households;
  }
  if (d.mode === 'group-representatives') {
    if (!d.groups || d.groups.length === 0)
      throw new RuleViolation('ELECT-3', "representatives of residents' groups: give the groups");
    const { min, max } = regime.representativesPerGroup;
    const wrong = d.groups.filter((g) => g.representatives < min || g.representatives > max);
    if (wrong.length > 0)
      throw new RuleViolation('ELECT-3', `each residents' group sends ${min} to ${max} representatives`, {
        groupIds: wrong.map((g) => g.groupId),
      });
    const total = d.groups.reduce((s, g) => s + g.representatives, 0);
    if (total !== d.registeredVoters)
      throw new RuleViolation(
        'ELECT-3',
        `the groups send ${total} representatives, not ${d.registeredVoters}`,
      );
    groups = d.groups.map((g) => ({ ...g }));
  }
  if (d.mode === 'all-voters' && (d.households !== undefined || d.groups !== undefined))
    throw new RuleViolation('ELECT-3', 'an electorate of all voters has no households or groups');
  return [
    ev('ElectorateRegistered', ['ELECT-3'], {
      electionId: d.electionId,
      mode: d.mode,
      registeredVoters: d.registeredVoters,
      households,
      groups,
      regime: regimeApplied(regime),
    }),
  ];
}

export function recordResults(
  command: CommandOf<'RecordElectionResults'>,
  view: StaffingView,
  on: string,
  policy: StaffingPolicy,
): StaffingEvent[] {
  const d = command.data;
  const election = requireElection(view, d.electionId);
  if (election.status === 'held')
    throw new RuleViolation(
      'ELECT-5',
      `election ${d.electionId} was already validly held on ${election.heldOn}`,
    );
  if (!election.electorate)
    throw new RuleViolation('ELECT-3', `register the electorate of ${d.electionId} before its results`);
  const regime = regimeOn(on);
  const registered = election.electorate.registeredVoters;
  // ELECT-5: aggregated counts must be consistent before any threshold is applied.
  if (d.votesCast > registered)
    throw new RuleViolation('ELECT-5', `${d.votesCast} votes cast by ${registered} registered voters`, {
      votesCast: d.votesCast,
      registeredVoters: registered,
    });
  const candidateIds = d.candidates.map((c) => c.personId);
  if (new Set(candidateIds).size !== candidateIds.length)
    throw new RuleViolation('ELECT-5', 'a candidate is listed twice');
  const over = d.candidates.filter((c) => c.votes > d.votesCast);
  if (over.length > 0)
    throw new RuleViolation('ELECT-5', 'a candidate cannot get more votes than were cast', {
      personIds: over.map((c) => c.personId),
    });
  // Stryker disable next-line ConditionalExpression: equivalent, an electorate has at least one voter (RegisterElectorate)
  const turnout = registered === 0 ? 0 : d.votesCast / registered;
  const share = (votes: number): number => (d.votesCast === 0 ? 0 : votes / d.votesCast);
  const candidates = d.candidates.map((c) => ({
    personId: c.personId,
    votes: c.votes,
    share: share(c.votes),
  }));
  const thresholds = {
    minTurnoutExclusive: policy.minTurnoutExclusive,
    minVoteShareExclusive: policy.minVoteShareExclusive,
  };
  const base = {
    electionId: d.electionId,
    committeeId: election.committeeId,
    communityId: election.communityId,
    heldOn: on,
    registeredVoters: registered,
    votesCast: d.votesCast,
    turnout,
    candidates,
    regime: regimeApplied(regime),
  };

  // ELECT-5: too few voters: the election is recorded as invalid, elects nobody, and stays open.
  if (!(turnout > policy.minTurnoutExclusive)) {
    return [
      ev('ElectionHeld', ['ELECT-5'], {
        ...base,
        validity: {
          valid: false,
          ...thresholds,
          reason: `turnout ${d.votesCast}/${registered} is not more than ${policy.minTurnoutExclusive} of the registered voters`,
        },
        elected: [],
        warnings: [],
      }),
    ];
  }

  const elected = d.elected;
  const electedIds = elected.map((m) => m.personId);
  if (new Set(electedIds).size !== electedIds.length)
    throw new RuleViolation('ELECT-1', 'a person is elected to two seats');
  for (const m of elected) {
    const c = d.candidates.find((x) => x.personId === m.personId);
    if (!c) throw new RuleViolation('ELECT-5', `${m.personId} was not a candidate`, { personId: m.personId });
    if (!(share(c.votes) > policy.minVoteShareExclusive))
      throw new RuleViolation(
        'ELECT-5',
        `${m.personId} got ${c.votes} of ${d.votesCast} votes cast, not more than ${policy.minVoteShareExclusive}`,
        { personId: m.personId, votes: c.votes, votesCast: d.votesCast, ...thresholds },
      );
  }

  const members: MemberRecord[] = elected.map((m: ElectedMember) => ({ ...m }));
  const inOffice = termInOffice(view, election.committeeId, on);
  const warnings = electedCommittee(election, inOffice, members, regime, d.multiEthnicArea);
  const held = ev('ElectionHeld', ['ELECT-1', 'ELECT-5'], {
    ...base,
    validity: { valid: true, ...thresholds, reason: null },
    elected: members,
    warnings,
  });
  return [held, ...termsOfElected(d.electionId, election, inOffice, members, view, on, regime)];
}
