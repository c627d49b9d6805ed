import { RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { StaffingEvent } from '../events';
import { FIVE_INSURANCES, type StaffingPolicy } from '../policy';
import { samePost, type StaffingView } from '../state';
import { employed, ev, known } from './shared';

// The workforce (STAFF-1..6) and the posts people hold in the community bodies (ORG-2).

export function hireWorker(
  command: CommandOf<'HireWorker'>,
  view: StaffingView,
  on: string,
): StaffingEvent[] {
  const d = command.data;
  const w = view.workers[d.personId];
  if (w?.status === 'employed')
    throw new RuleViolation(
      'STAFF-1',
      `${d.personId} already works in the service station of ${w.communityId}`,
      {
        communityId: w.communityId,
      },
    );
  return [
    ev('WorkerHired', ['STAFF-1', 'STAFF-5'], {
      personId: d.personId,
      communityId: d.communityId,
      post: d.post,
      collegeGraduate: d.collegeGraduate,
      hiredOn: on,
    }),
  ];
}

export function transferWorker(command: CommandOf<'TransferWorker'>, view: StaffingView): StaffingEvent[] {
  const d = command.data;
  const w = employed(view, d.personId, 'STAFF-1');
  if (w.communityId === d.toCommunityId)
    throw new RuleViolation('STAFF-1', `${d.personId} already works in ${d.toCommunityId}`);
  return [
    ev('WorkerTransferred', ['STAFF-1'], {
      personId: d.personId,
      fromCommunityId: w.communityId!,
      toCommunityId: d.toCommunityId,
      post: d.post ?? w.post,
    }),
  ];
}

export function workerLeaves(command: CommandOf<'WorkerLeaves'>, view: StaffingView): StaffingEvent[] {
  const w = employed(view, command.data.personId, 'STAFF-1');
  const ruleIds = ['recruited-civil-servant', 'selected-leadership-post'].includes(command.data.reason)
    ? ['STAFF-1', 'STAFF-6']
    : ['STAFF-1'];
  return [
    ev('WorkerLeft', ruleIds, {
      personId: w.personId,
      communityId: w.communityId!,
      reason: command.data.reason,
    }),
  ];
}

export function recordWelfare(
  command: CommandOf<'RecordWelfare'>,
  view: StaffingView,
  on: string,
): StaffingEvent[] {
  const d = command.data;
  const w = known(view, d.personId);
  if (d.year > Number(on.slice(0, 4)) || d.year < Number(w.hiredOn.slice(0, 4)))
    throw new RuleViolation('STAFF-2', `${d.year} is not a year ${d.personId} worked in up to ${on}`);
  if (d.kind === 'health-check' && w.welfare.some((x) => x.kind === 'health-check' && x.year === d.year))
    throw new RuleViolation('STAFF-2', `the annual health check of ${d.year} is already recorded`);
  if (d.kind === 'paid-leave' && d.days === undefined)
    throw new RuleViolation('STAFF-2', 'paid leave is recorded with its days');
  if (d.kind === 'hardship-subsidy' && d.amountYuan === undefined)
    throw new RuleViolation('STAFF-2', 'a hardship subsidy is recorded with its amount');
  return [
    ev('WelfareRecorded', ['STAFF-2'], {
      personId: d.personId,
      year: d.year,
      kind: d.kind,
      days: d.days ?? null,
      amountYuan: d.amountYuan ?? null,
    }),
  ];
}

export function recordAverageWage(
  command: CommandOf<'RecordAverageWage'>,
  view: StaffingView,
  on: string,
): StaffingEvent[] {
  const d = command.data;
  if (view.averageWages[String(d.year)] !== undefined)
    throw new RuleViolation('STAFF-3', `the average wage of ${d.year} is already recorded`, {
      year: d.year,
    });
  if (d.year > Number(on.slice(0, 4)))
    throw new RuleViolation('STAFF-3', `the average wage of ${d.year} cannot be known on ${on}`);
  return [
    ev('AverageWageRecorded', ['STAFF-3'], {
      year: d.year,
      averageAnnualWageYuan: d.averageAnnualWageYuan,
    }),
  ];
}

export function recordPay(
  command: CommandOf<'RecordPay'>,
  view: StaffingView,
  on: string,
  policy: StaffingPolicy,
): StaffingEvent[] {
  const d = command.data;
  const w = known(view, d.personId);
  if (d.year > Number(on.slice(0, 4)))
    throw new RuleViolation('STAFF-3', `pay of ${d.year} cannot be recorded on ${on}`);
  if (w.pay.some((p) => p.year === d.year))
    throw new RuleViolation('STAFF-3', `the pay of ${d.personId} for ${d.year} is already recorded`);
  const communityId =
    w.employment.find(
      // Stryker disable next-line MethodExpression: equivalent for the end, a date sorts after its own year
      (e) => e.from.slice(0, 4) <= String(d.year) && (e.to === null || e.to.slice(0, 4) >= String(d.year)),
    )?.communityId ?? null;
  if (communityId === null)
    throw new RuleViolation('STAFF-3', `${d.personId} did not work in a service station in ${d.year}`);
  let floor: { wageYear: number; averageAnnualWageYuan: number } | null = null;
  if (d.year >= policy.payFloorFromYear) {
    // STAFF-3: not below the previous year's average wage of employees (input data per district).
    const wage = view.averageWages[String(d.year - 1)];
    if (wage === undefined)
      throw new RuleViolation('STAFF-3', `record the average wage of ${d.year - 1} before pay of ${d.year}`, {
        wageYear: d.year - 1,
      });
    floor = { wageYear: d.year - 1, averageAnnualWageYuan: wage };
  }
  return [
    ev('PayRecorded', ['STAFF-3'], {
      personId: d.personId,
      communityId,
      year: d.year,
      annualPayYuan: d.annualPayYuan,
      insurances: [...new Set(d.insurances)],
      housingFund: d.housingFund,
      floor,
      // Flagged and reported, not refused: the pay was what it was.
      belowFloor: floor !== null && d.annualPayYuan < floor.averageAnnualWageYuan,
      missingInsurances: FIVE_INSURANCES.filter((i) => !d.insurances.includes(i)),
    }),
  ];
}

export function recordQualification(
  command: CommandOf<'RecordQualification'>,
  view: StaffingView,
  on: string,
): StaffingEvent[] {
  const d = command.data;
  const w = known(view, d.personId);
  if (d.obtainedOn > on)
    throw new RuleViolation(
      'STAFF-4',
      `a certificate obtained on ${d.obtainedOn} cannot be recorded on ${on}`,
    );
  if (w.qualifications.some((q) => q.level === d.level))
    throw new RuleViolation('STAFF-4', `${d.personId} already holds the ${d.level} certificate`);
  return [
    ev('QualificationRecorded', ['STAFF-4'], {
      personId: d.personId,
      level: d.level,
      obtainedOn: d.obtainedOn,
    }),
  ];
}

export function recordCareerEvent(
  command: CommandOf<'RecordCareerEvent'>,
  view: StaffingView,
): StaffingEvent[] {
  const d = command.data;
  const w = known(view, d.personId);
  if (d.kind === 'joined-party' && w.careers.some((c) => c.kind === 'joined-party'))
    throw new RuleViolation('STAFF-6', `${d.personId} already joined the Party`);
  if (d.reservedPost && !['recruited-civil-servant', 'selected-leadership-post'].includes(d.kind))
    throw new RuleViolation(
      'STAFF-6',
      'only civil-service and leadership posts are reserved for community workers',
    );
  return [
    ev('CareerEventRecorded', ['STAFF-6'], {
      personId: d.personId,
      kind: d.kind,
      organization: d.organization,
      reservedPost: d.reservedPost,
    }),
  ];
}

export function assignPost(command: CommandOf<'AssignPost'>, view: StaffingView): StaffingEvent[] {
  const d = command.data;
  if (view.posts.some((p) => samePost(p, d)))
    throw new RuleViolation(
      'ORG-2',
      `${d.personId} already holds ${d.post} in the ${d.body} of ${d.communityId}`,
    );
  // ORG-2: concurrent posts in the three bodies are allowed; nothing else to check.
  return [ev('PostAssigned', ['ORG-2'], { ...d })];
}

export function endPost(command: CommandOf<'EndPost'>, view: StaffingView): StaffingEvent[] {
  const d = command.data;
  if (!view.posts.some((p) => samePost(p, d)))
    throw new RuleViolation('ORG-2', `${d.personId} holds no ${d.post} in the ${d.body} of ${d.communityId}`);
  return [ev('PostEnded', ['ORG-2'], { ...d })];
}
