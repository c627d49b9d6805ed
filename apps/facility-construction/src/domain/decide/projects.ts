import { RuleViolation } from '#libs/decider';
import type { Consultee, FacilityCommandOf } from '../commands';
import type { FacilityEvent, OpinionOnRecord } from '../events';
import { requirementFor, round2, type FacilityPolicy } from '../policy';
import type { FacilityView, ProjectView } from '../state';
import { ev, requireProject } from './shared';

// Construction projects (FAC-1..3): planning, consultations, review, construction, acceptance, naming.

export function registerProject(
  command: FacilityCommandOf<'RegisterConstructionProject'>,
  view: FacilityView,
  policy: FacilityPolicy,
): FacilityEvent[] {
  const d = command.data;
  if (view.projects[d.projectId])
    throw new RuleViolation('FAC-1', `project ${d.projectId} is already registered`);
  const requirement = requirementFor(d.plannedHouseholds, policy);
  return [
    ev('ConstructionProjectRegistered', ['FAC-1'], {
      ...d,
      requirement,
      meetsRequirement: d.plannedSpaceM2 >= requirement.requiredM2,
    }),
  ];
}

export function reviseDesign(
  command: FacilityCommandOf<'ReviseDesign'>,
  view: FacilityView,
  policy: FacilityPolicy,
): FacilityEvent[] {
  const p = requireProject(view, command.data.projectId);
  if (!['planned', 'review-refused'].includes(p.status))
    throw new RuleViolation('FAC-2', `the design of ${p.projectId} was approved; it is ${p.status}`, {
      status: p.status,
    });
  const plannedHouseholds = command.data.plannedHouseholds ?? p.plannedHouseholds;
  const requirement = requirementFor(plannedHouseholds, policy);
  return [
    ev('DesignRevised', ['FAC-1', 'FAC-2'], {
      projectId: p.projectId,
      plannedHouseholds,
      plannedSpaceM2: command.data.plannedSpaceM2,
      previousPlannedSpaceM2: p.plannedSpaceM2,
      requirement,
      meetsRequirement: command.data.plannedSpaceM2 >= requirement.requiredM2,
    }),
  ];
}

export function recordConsultation(
  command: FacilityCommandOf<'RecordConsultation'>,
  view: FacilityView,
): FacilityEvent[] {
  const d = command.data;
  const p = requireProject(view, d.projectId);
  if (d.stage === 'construction' && p.approvedOn === null)
    throw new RuleViolation('FAC-2', `project ${p.projectId} has no approved design to build`);
  if (d.stage === 'acceptance' && p.constructionStartedOn === null)
    throw new RuleViolation('FAC-2', `construction of ${p.projectId} has not started`);
  if ((d.stage === 'design' || d.stage === 'review') && p.approvedOn !== null)
    throw new RuleViolation('FAC-2', `the planning review of ${p.projectId} is over`, { stage: d.stage });
  return [ev('ConsultationRecorded', ['FAC-2'], { ...d })];
}

export function reviewPlanning(
  command: FacilityCommandOf<'ReviewPlanning'>,
  view: FacilityView,
): FacilityEvent[] {
  const p = requireProject(view, command.data.projectId);
  if (p.approvedOn !== null)
    throw new RuleViolation('FAC-2', `the design of ${p.projectId} is already approved`);
  if (p.status === 'review-refused')
    throw new RuleViolation('FAC-2', `the design of ${p.projectId} was refused; revise it first`);
  // FAC-1/FAC-2: a design short of the requirement is refused, and the refusal is on record.
  const shortfallM2 = round2(p.requirement.requiredM2 - p.plannedSpaceM2);
  if (shortfallM2 > 0)
    return [
      ev('PlanningReviewRefused', ['FAC-1', 'FAC-2'], {
        projectId: p.projectId,
        reviewer: command.data.reviewer,
        plannedSpaceM2: p.plannedSpaceM2,
        requirement: p.requirement,
        shortfallM2,
      }),
    ];
  const opinions = requireOpinions(p, 'review');
  return [
    ev('PlanningApproved', ['FAC-1', 'FAC-2'], {
      projectId: p.projectId,
      reviewer: command.data.reviewer,
      plannedSpaceM2: p.plannedSpaceM2,
      requirement: p.requirement,
      opinions,
    }),
  ];
}

export function startConstruction(
  command: FacilityCommandOf<'StartConstruction'>,
  view: FacilityView,
): FacilityEvent[] {
  const p = requireProject(view, command.data.projectId);
  if (p.approvedOn === null)
    throw new RuleViolation('FAC-2', `project ${p.projectId} has no approved design`, {
      status: p.status,
    });
  if (p.constructionStartedOn !== null)
    throw new RuleViolation('FAC-2', `construction of ${p.projectId} already started`);
  return [ev('ConstructionStarted', ['FAC-2'], { projectId: p.projectId })];
}

/** FAC-2: the opinions of civil affairs and of the sub-district office (or township) at a stage. */
function requireOpinions(p: ProjectView, stage: 'review' | 'acceptance'): OpinionOnRecord[] {
  const latest = (who: readonly Consultee[]) =>
    p.consultations.filter((c) => c.stage === stage && who.includes(c.consultee)).at(-1);
  const civil = latest(['civil-affairs']);
  const local = latest(['sub-district-office', 'township-government']);
  const missing = [
    ...(civil ? [] : ['civil-affairs']),
    ...(local ? [] : ['sub-district-office or township-government']),
  ];
  if (missing.length > 0)
    throw new RuleViolation('FAC-2', `the ${stage} needs the recorded opinion of ${missing.join(' and ')}`, {
      stage,
      missing,
    });
  return [civil!, local!].map((c) => ({
    consultee: c.consultee,
    opinion: c.opinion,
    consultedOn: c.consultedOn,
  }));
}

export function inspectAcceptance(
  command: FacilityCommandOf<'InspectAcceptance'>,
  view: FacilityView,
): FacilityEvent[] {
  const d = command.data;
  const p = requireProject(view, d.projectId);
  if (p.constructionStartedOn === null)
    throw new RuleViolation('FAC-3', `construction of ${p.projectId} has not started`, { status: p.status });
  if (p.status === 'accepted')
    throw new RuleViolation('FAC-3', `project ${p.projectId} already passed acceptance`);
  // FAC-3: the facility is checked against the approved plan.
  const shortfallM2 = round2(p.plannedSpaceM2 - d.builtSpaceM2);
  if (shortfallM2 > 0) {
    const failed = ev('AcceptanceFailed', ['FAC-3'], {
      projectId: p.projectId,
      inspector: d.inspector,
      builtSpaceM2: d.builtSpaceM2,
      plannedSpaceM2: p.plannedSpaceM2,
      shortfallM2,
    });
    if (p.namingRefusal) return [failed];
    return [
      failed,
      ev('NamingAndNumberingRefused', ['FAC-3'], {
        projectId: p.projectId,
        communityId: p.communityId,
        developer: p.developer,
        reason: `community space built ${d.builtSpaceM2} m² of ${p.plannedSpaceM2} m² planned`,
      }),
    ];
  }
  const opinions = requireOpinions(p, 'acceptance');
  const passed = ev('AcceptancePassed', ['FAC-2', 'FAC-3'], {
    projectId: p.projectId,
    inspector: d.inspector,
    builtSpaceM2: d.builtSpaceM2,
    plannedSpaceM2: p.plannedSpaceM2,
    opinions,
  });
  if (!p.namingRefusal) return [passed];
  return [
    passed,
    ev('NamingAndNumberingRefusalLifted', ['FAC-3'], {
      projectId: p.projectId,
      communityId: p.communityId,
      refusedOn: p.namingRefusal.refusedOn,
    }),
  ];
}

export function assignBuildingNames(
  command: FacilityCommandOf<'AssignBuildingNames'>,
  view: FacilityView,
): FacilityEvent[] {
  const p = requireProject(view, command.data.projectId);
  if (p.namingRefusal)
    throw new RuleViolation(
      'FAC-3',
      `civil affairs refuses building naming and door numbers for ${p.projectId} since ${p.namingRefusal.refusedOn}: ${p.namingRefusal.reason}`,
      { refusedOn: p.namingRefusal.refusedOn },
    );
  if (p.status !== 'accepted')
    throw new RuleViolation('FAC-3', `project ${p.projectId} has not passed acceptance`, {
      status: p.status,
    });
  return [
    ev('BuildingNamesAssigned', ['FAC-3'], {
      projectId: p.projectId,
      buildingNames: command.data.buildingNames,
      doorNumbers: command.data.doorNumbers,
    }),
  ];
}
