import { NotFound, RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { ElectionWarning, MemberRecord, StaffingEvent } from '../events';
import { addYears, type LegalRegime } from '../policy';
import {
  openElectionOf,
  termIdOf,
  termInOffice,
  type ElectionView,
  type StaffingView,
  type TermView,
} from '../state';
import { ev, regimeApplied } from './shared';

// The terms of the committees (ELECT-1, ELECT-2, ELECT-4): the committee an election elects, the
// terms it starts, ends or fills, and the terms a dissolution ends.

/**
 * ELECT-4: a dissolution ends the committee's term in office and cancels its open election, with
 * no election in their place. Deterministic: once done, the same command finds nothing to end and
 * is refused, so a replayed message changes nothing.
 */
export function endTerms(command: CommandOf<'EndTerms'>, view: StaffingView, on: string): StaffingEvent[] {
  const d = command.data;
  if (!view.committees[d.committeeId]) throw new NotFound('committee', d.committeeId);
  const open = openElectionOf(view, d.committeeId);
  const term = termInOffice(view, d.committeeId, on);
  if (!open && !term)
    throw new RuleViolation(
      'ELECT-4',
      `committee ${d.committeeId} has no term in office and no open election to end on ${on}`,
    );
  const events: StaffingEvent[] = [];
  if (open)
    events.push(
      ev('ElectionCancelled', ['ELECT-4'], {
        electionId: open.electionId,
        committeeId: d.committeeId,
        cancelledOn: on,
        reason: d.reason,
        supersededByElectionId: null,
      }),
    );
  if (term)
    events.push(
      ev('TermEnded', ['ELECT-4'], {
        termId: term.termId,
        committeeId: d.committeeId,
        endedOn: on,
        reason: d.reason,
        byElectionId: null,
      }),
    );
  return events;
}

/**
 * ELECT-1: the committee a valid election elects: its members alone, or with the term in office
 * they join at a by-election, of the size the law in force sets and with one chair. What the law
 * only expects (members of the smaller ethnic groups, a woman) is a warning, not a refusal.
 */
export function electedCommittee(
  election: ElectionView,
  inOffice: TermView | null,
  members: MemberRecord[],
  regime: LegalRegime,
  multiEthnicArea: boolean,
): ElectionWarning[] {
  const { min, max } = regime.committeeSize;
  let composition: MemberRecord[];
  if (election.reason === 'vacancies') {
    // A by-election fills seats of the term in office; its end does not move.
    // A by-election is called in office (callElection) and cancelled by whatever ends the term, so
    // this holds already; kept as the rule's own guard.
    // Stryker disable next-line ConditionalExpression: equivalent, see above
    if (!inOffice)
      // Stryker disable next-line StringLiteral: unreachable, see above
      throw new RuleViolation('ELECT-4', `committee ${election.committeeId} has no term in office`);
    if (members.length === 0) throw new RuleViolation('ELECT-1', 'a by-election elects at least one member');
    const sitting = new Set(inOffice.members.map((m) => m.personId));
    const already = members.filter((m) => sitting.has(m.personId));
    if (already.length > 0)
      throw new RuleViolation('ELECT-1', 'already a member of the committee', {
        personIds: already.map((m) => m.personId),
      });
    composition = [...inOffice.members, ...members];
  } else {
    composition = members;
  }
  if (composition.length < min || composition.length > max)
    throw new RuleViolation(
      'ELECT-1',
      `a committee has ${min} to ${max} members, not ${composition.length}`,
      {
        members: composition.length,
        min,
        max,
        regimeId: regime.regimeId,
      },
    );
  const chairs = composition.filter((m) => m.role === 'chair').length;
  if (chairs !== 1)
    throw new RuleViolation('ELECT-1', `a committee has one chair, not ${chairs}`, { chairs });

  const warnings: ElectionWarning[] = [];
  if (multiEthnicArea && !composition.some((m) => m.ethnicMinority))
    warnings.push({
      ruleId: 'ELECT-1',
      code: 'no-ethnic-minority-member',
      message: 'in a multi-ethnic area the committee should include members of the smaller ethnic groups',
    });
  if (regime.womanMemberExpected && !composition.some((m) => m.woman))
    warnings.push({
      ruleId: 'ELECT-1',
      code: 'no-woman-member',
      message: `${regime.name}: the committee should include a woman member`,
    });
  return warnings;
}

/**
 * ELECT-2: the terms a valid election changes: a by-election's members join the term in office
 * (its end does not move); any other election ends the term in office and starts its own, of the
 * length of the law in force on the election date.
 */
export function termsOfElected(
  electionId: string,
  election: ElectionView,
  inOffice: TermView | null,
  members: MemberRecord[],
  view: StaffingView,
  on: string,
  regime: LegalRegime,
): StaffingEvent[] {
  if (election.reason === 'vacancies')
    return [
      ev('MembersJoinedTerm', ['ELECT-1', 'ELECT-2', 'ELECT-4'], {
        termId: inOffice!.termId,
        committeeId: election.committeeId,
        electionId,
        members,
      }),
    ];

  const committee = view.committees[election.committeeId];
  // Stryker disable next-line OptionalChaining,ConditionalExpression: equivalent, the election's call made its committee, whose terms are looked up by id
  const previous = committee?.latestTermId ? view.terms[committee.latestTermId] : null;
  // Stryker disable next-line ArrayDeclaration: equivalent, no person id is "Stryker was here"
  const previousIds = new Set(previous?.members.map((m) => m.personId) ?? []);
  const events: StaffingEvent[] = [];
  if (inOffice)
    events.push(
      ev('TermEnded', ['ELECT-2'], {
        termId: inOffice.termId,
        committeeId: election.committeeId,
        endedOn: on,
        reason: 'succeeded',
        byElectionId: electionId,
      }),
    );
  const startRules = ['ELECT-1', 'ELECT-2'];
  if (election.reason !== 'schedule') startRules.push('ELECT-4');
  events.push(
    ev('TermStarted', startRules, {
      termId: termIdOf(electionId),
      committeeId: election.committeeId,
      communityId: election.communityId,
      electionId: electionId,
      startsOn: on,
      // ELECT-2: the term length of the law in force on the election date.
      endsOn: addYears(on, regime.termYears),
      termYears: regime.termYears,
      regime: regimeApplied(regime),
      members,
      reElectedPersonIds: members.filter((m) => previousIds.has(m.personId)).map((m) => m.personId),
    }),
  );
  return events;
}
