import { z } from 'zod';
import { DecisionFields, type CommandRouteTable } from '#libs/http';
import {
  AssignPost,
  CORRECTION_MESSAGE,
  ConvertVillageToResidence,
  CorrectDecisionFields,
  correctsSomething,
  DelegateTask,
  DissolveCommittee,
  EndPost,
  EndProxyManagement,
  EstablishCommittee,
  FormResidentsGroup,
  MergeCommittees,
  RecordAdjacency,
  RegisterArea,
  RenameCommittee,
  ReportOccupancy,
  SetUpPartyOrganization,
  SetUpServiceStation,
  SplitCommittee,
  StartProxyManagement,
  UpdateAreaHouseholds,
  type CommandType,
} from '../domain';

const CorrectionBody = z
  .strictObject({ ...CorrectDecisionFields.shape, ...DecisionFields })
  .refine(correctsSomething, { message: CORRECTION_MESSAGE });

/**
 * The establishment service's commands: POSTs under a district, the stream that keeps coverage
 * consistent (EST-7). Path parameters named like a command field fill it.
 */
export const ESTABLISHMENT_COMMANDS = {
  registerArea: {
    path: 'areas',
    command: 'RegisterArea',
    schema: RegisterArea,
    rules: ['EST-1', 'EST-3', 'EST-4', 'EST-6', 'EST-7'],
    summary:
      'Register a residential area with its first responsible body (EST-1, EST-3, EST-4, EST-6, EST-7)',
  },
  convertVillage: {
    path: 'village-conversions',
    command: 'ConvertVillageToResidence',
    schema: ConvertVillageToResidence,
    rules: ['EST-5'],
    summary: 'Record a village-to-residence conversion (EST-5)',
  },
  updateHouseholds: {
    path: 'areas/:areaId/households',
    command: 'UpdateAreaHouseholds',
    schema: UpdateAreaHouseholds,
    rules: ['EST-9'],
    summary: "Record a change of an area's households (EST-9)",
  },
  recordAdjacency: {
    path: 'areas/:areaId/adjacency',
    command: 'RecordAdjacency',
    schema: RecordAdjacency,
    rules: ['EST-3'],
    summary: 'Record adjacent areas (相邻; proxy and attachment need adjacency, EST-3)',
  },
  reportOccupancy: {
    path: 'areas/:areaId/occupancy-reports',
    command: 'ReportOccupancy',
    schema: ReportOccupancy,
    rules: ['EST-2'],
    summary: 'Report occupancy; 50% in a new estate opens an establishment obligation (EST-2)',
  },
  formGroup: {
    path: 'residents-groups',
    command: 'FormResidentsGroup',
    schema: FormResidentsGroup,
    rules: ['EST-3', 'EST-6'],
    summary: "Form a residents' group attached to an adjacent committee (EST-3, EST-6)",
  },
  startProxy: {
    path: 'areas/:areaId/proxy-management',
    command: 'StartProxyManagement',
    schema: StartProxyManagement,
    rules: ['EST-3'],
    summary: "Start proxy management by an adjacent community's committee (EST-3)",
  },
  endProxy: {
    path: 'areas/:areaId/proxy-management/end',
    command: 'EndProxyManagement',
    schema: EndProxyManagement,
    rules: ['EST-3', 'EST-7'],
    summary: 'End proxy management, naming the successor body (EST-3, EST-7)',
  },
  establish: {
    path: 'committees',
    command: 'EstablishCommittee',
    schema: EstablishCommittee,
    rules: ['EST-2', 'EST-7', 'EST-8', 'EST-9'],
    summary: "Establish a community and its residents' committee (EST-2, EST-7, EST-8, EST-9)",
  },
  merge: {
    path: 'committee-mergers',
    command: 'MergeCommittees',
    schema: MergeCommittees,
    rules: ['EST-7', 'EST-8'],
    summary: 'Merge committees into a new or an absorbing community (EST-7, EST-8)',
  },
  split: {
    path: 'communities/:sourceCommunityId/split',
    command: 'SplitCommittee',
    schema: SplitCommittee,
    rules: ['EST-7', 'EST-8'],
    summary: "Split a community's committee; every area goes to exactly one part (EST-7, EST-8)",
  },
  rename: {
    path: 'communities/:communityId/rename',
    command: 'RenameCommittee',
    schema: RenameCommittee,
    rules: ['EST-8'],
    summary: 'Rename a committee (EST-8)',
  },
  dissolve: {
    path: 'communities/:communityId/dissolution',
    command: 'DissolveCommittee',
    schema: DissolveCommittee,
    rules: ['EST-7', 'EST-8'],
    summary: 'Dissolve a committee, naming a successor for each of its areas (EST-7, EST-8)',
  },
  partyOrganization: {
    path: 'communities/:communityId/party-organization',
    command: 'SetUpPartyOrganization',
    schema: SetUpPartyOrganization,
    rules: ['ORG-1'],
    summary: 'Record the set-up of the community Party organization (ORG-1)',
  },
  serviceStation: {
    path: 'communities/:communityId/service-station',
    command: 'SetUpServiceStation',
    schema: SetUpServiceStation,
    rules: ['ORG-1'],
    summary: 'Record the set-up of the community service station (ORG-1)',
  },
  assignPost: {
    path: 'communities/:communityId/posts',
    command: 'AssignPost',
    schema: AssignPost,
    rules: ['ORG-2'],
    summary: 'Assign a post; one person may hold posts in all three bodies (ORG-2)',
  },
  endPost: {
    path: 'communities/:communityId/posts/end',
    command: 'EndPost',
    schema: EndPost,
    rules: ['ORG-2'],
    summary: 'End a post (ORG-2)',
  },
  delegateTask: {
    path: 'communities/:communityId/task-delegations',
    command: 'DelegateTask',
    schema: DelegateTask,
    rules: ['ORG-3'],
    summary: 'Delegate a government task to the service station, with funding (ORG-3)',
  },
  correct: {
    path: 'corrections',
    command: 'CorrectDecision',
    schema: CorrectDecisionFields,
    body: CorrectionBody,
    rules: ['EST-8'],
    summary: 'Correct an earlier decision by a new event pointing to it; nothing is rewritten (EST-8)',
  },
} satisfies CommandRouteTable<CommandType>;
