import type { CommandRouteTable } from '#libs/http';
import {
  AssignPost,
  CallElection,
  EndPost,
  EndTerms,
  HireWorker,
  RecordAverageWage,
  RecordCareerEvent,
  RecordElectionResults,
  RecordPay,
  RecordQualification,
  RecordWelfare,
  RegisterElectorate,
  TransferWorker,
  WorkerLeaves,
  type CommandType,
} from '../domain';

/**
 * The staffing and elections service's commands: POSTs under a district, the stream (see
 * domain/decider.ts). Path parameters named like a command field fill it.
 */
export const STAFFING_COMMANDS = {
  callElection: {
    path: 'elections',
    command: 'CallElection',
    schema: CallElection,
    rules: ['ELECT-4'],
    summary: 'Call an election: schedule, new committee, merger, split or vacancies (ELECT-4)',
  },
  registerElectorate: {
    path: 'elections/:electionId/electorate',
    command: 'RegisterElectorate',
    schema: RegisterElectorate,
    rules: ['ELECT-3'],
    summary: 'Register the electorate: all voters, household or group representatives (ELECT-3)',
  },
  recordResults: {
    path: 'elections/:electionId/results',
    command: 'RecordElectionResults',
    schema: RecordElectionResults,
    rules: ['ELECT-1', 'ELECT-2', 'ELECT-5'],
    summary: 'Record aggregated results; validity, composition and term (ELECT-1, ELECT-2, ELECT-5)',
  },
  endTerms: {
    path: 'committees/:committeeId/terms/end',
    command: 'EndTerms',
    schema: EndTerms,
    rules: ['ELECT-4'],
    summary: "End a dissolved committee's term and cancel its open election, without electing anew (ELECT-4)",
  },
  hire: {
    path: 'workers',
    command: 'HireWorker',
    schema: HireWorker,
    rules: ['STAFF-1', 'STAFF-5'],
    summary: 'Hire a community worker into a service station (STAFF-1, STAFF-5)',
  },
  transfer: {
    path: 'workers/:personId/transfer',
    command: 'TransferWorker',
    schema: TransferWorker,
    rules: ['STAFF-1'],
    summary: 'Transfer a worker to another community (STAFF-1)',
  },
  leave: {
    path: 'workers/:personId/leaving',
    command: 'WorkerLeaves',
    schema: WorkerLeaves,
    rules: ['STAFF-1', 'STAFF-6'],
    summary: 'A worker leaves the service station (STAFF-1, STAFF-6)',
  },
  welfare: {
    path: 'workers/:personId/welfare',
    command: 'RecordWelfare',
    schema: RecordWelfare,
    rules: ['STAFF-2'],
    summary: 'Record welfare: health check, paid leave, hardship subsidy (STAFF-2)',
  },
  averageWage: {
    path: 'average-wages',
    command: 'RecordAverageWage',
    schema: RecordAverageWage,
    rules: ['STAFF-3'],
    summary: "Record the district's average wage of a year, input of the pay floor (STAFF-3)",
  },
  pay: {
    path: 'workers/:personId/pay',
    command: 'RecordPay',
    schema: RecordPay,
    rules: ['STAFF-3'],
    summary: 'Record annual pay, insurances and housing fund (STAFF-3)',
  },
  qualification: {
    path: 'workers/:personId/qualifications',
    command: 'RecordQualification',
    schema: RecordQualification,
    rules: ['STAFF-4'],
    summary: 'Record a social-work qualification (STAFF-4)',
  },
  career: {
    path: 'workers/:personId/career-events',
    command: 'RecordCareerEvent',
    schema: RecordCareerEvent,
    rules: ['STAFF-6'],
    summary: 'Record a career event (STAFF-6)',
  },
  assignPost: {
    path: 'persons/:personId/posts',
    command: 'AssignPost',
    schema: AssignPost,
    rules: ['ORG-2'],
    summary: 'Assign a post in one of the three bodies (ORG-2)',
  },
  endPost: {
    path: 'persons/:personId/posts/end',
    command: 'EndPost',
    schema: EndPost,
    rules: ['ORG-2'],
    summary: 'End a post (ORG-2)',
  },
} satisfies CommandRouteTable<CommandType>;
