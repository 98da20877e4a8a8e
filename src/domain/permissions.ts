import { Channel } from './channels.js';
import { type ConversationChannel } from './conversations.js';
import { allRoles, Role } from './roles.js';

/** What a route lets its caller do. Every route names one (or is public). */
export enum Permission {
  ContactCreate = 'contact:create',
  ContactRead = 'contact:read',
  ContactAssess = 'contact:assess',
  ContactApproveDowngrade = 'contact:approve-downgrade',
  ContactRecordIncident = 'contact:record-incident',
  ContactDecideCrime = 'contact:decide-crime',
  ContactRecordAttendance = 'contact:record-attendance',
  ContactRefer = 'contact:refer',
  ContactAddNote = 'contact:add-note',
  ContactResolve = 'contact:resolve',
  ContactEscalate = 'contact:escalate',
  ContactClaim = 'contact:claim',
  ContactSupervise = 'contact:supervise',
  ContactReply = 'contact:reply',
  ChannelReceive = 'channel:receive',
  AlertRead = 'alert:read',
  CallerLookup = 'caller:lookup',
  AlertAcknowledge = 'alert:acknowledge',
  ClockPause = 'clock:pause',
  SocialMediaRead = 'social-media:read',
  SocialMediaRespond = 'social-media:respond',
  SocialMediaPost = 'social-media:post',
  HistoryRead = 'history:read',
  AuditVerify = 'audit:verify',
  AuditReplay = 'audit:replay',
  PayloadDecode = 'payload:decode',
  ManagementInformationRead = 'mi:read',
  SystemCheckRun = 'system:check',
  SystemCheckRead = 'system:read',
  DrillRun = 'drill:run',
  DrillRead = 'drill:read',
  PresenceSet = 'presence:set',
  PresenceRead = 'presence:read',
}

interface PermissionInfo {
  /** A read changes nothing: auditors hold every read and nothing else. */
  kind: 'read' | 'change';
  description: string;
  /** Granted already, but no route uses it yet: the open piece of work that brings its routes. */
  planned?: string;
}

export const permissionInfo: Record<Permission, PermissionInfo> = {
  [Permission.ContactCreate]: { kind: 'change', description: 'record a new contact from any channel' },
  [Permission.ContactRead]: { kind: 'read', description: 'the work queue and case records' },
  [Permission.ContactAssess]: { kind: 'change', description: 'THRIVE(S) assessment and grading, re-assessment' },
  [Permission.ContactApproveDowngrade]: { kind: 'change', description: 'approve a downgrade of grade' },
  [Permission.ContactRecordIncident]: { kind: 'change', description: 'NSIR incident record' },
  [Permission.ContactDecideCrime]: { kind: 'change', description: 'NCRS crime recording decision' },
  [Permission.ContactRecordAttendance]: { kind: 'change', description: 'deployment and attendance' },
  [Permission.ContactRefer]: { kind: 'change', description: 'partner and safeguarding referrals' },
  [Permission.ContactAddNote]: { kind: 'change', description: 'case notes' },
  [Permission.ContactResolve]: { kind: 'change', description: 'resolve and close a case' },
  [Permission.ContactEscalate]: { kind: 'change', description: 'escalate a case by hand' },
  [Permission.ContactClaim]: { kind: 'change', description: 'claim a case: assign it to oneself' },
  [Permission.ContactSupervise]: { kind: 'change', description: 'regrade, and assign a case to anyone or any team' },
  [Permission.ContactReply]: { kind: 'change', description: "reply to the public on a case's conversation (webchat, social media, SMS, e-mail)" },
  [Permission.ChannelReceive]: { kind: 'change', description: 'hand over messages from a platform (connectors only): a first message opens a case' },
  [Permission.CallerLookup]: { kind: 'read', description: "a caller's earlier cases, found by phone, e-mail or handle (each lookup logged)" },
  [Permission.AlertRead]: { kind: 'read', description: "the alerts addressed to the caller's roles, and their live stream" },
  [Permission.AlertAcknowledge]: { kind: 'change', description: "acknowledge an alert addressed to the caller's role, with an action code" },
  [Permission.ClockPause]: { kind: 'change', description: 'pause and resume an SLA clock, with a reason code' },
  [Permission.SocialMediaRead]: { kind: 'read', description: "the social media hub: conversations waiting for a reply, and the media team's posts" },
  [Permission.SocialMediaRespond]: { kind: 'change', description: 'answer direct messages from the social media hub' },
  [Permission.SocialMediaPost]: { kind: 'change', description: 'post outgoing public messages' },
  [Permission.HistoryRead]: { kind: 'read', description: "a case's full history and timeline" },
  [Permission.AuditVerify]: { kind: 'read', description: 'verify the audit hash chains' },
  [Permission.AuditReplay]: { kind: 'read', description: "replay a case's history against the code" },
  [Permission.PayloadDecode]: { kind: 'read', description: 'decode encrypted payloads for the Temporal Web UI (codec endpoint)' },
  [Permission.ManagementInformationRead]: { kind: 'read', description: 'management information for oversight (counts only, no personal data)' },
  [Permission.SystemCheckRun]: { kind: 'change', description: 'run an end-to-end system check' },
  [Permission.SystemCheckRead]: { kind: 'read', description: 'read system check results' },
  [Permission.DrillRun]: { kind: 'change', description: 'start a continuity drill (synthetic cases, a worker restarted, every clock and alert checked)' },
  [Permission.DrillRead]: { kind: 'read', description: 'the continuity drills and their results' },
  [Permission.PresenceSet]: { kind: 'change', description: "say what one is doing (available, busy, away, signed out) and for which team: the supply beside the demand" },
  [Permission.PresenceRead]: { kind: 'read', description: 'who is signed in now, for which team and in what state' },
};

const allPermissions = Object.values(Permission);
const reads = allPermissions.filter((permission) => permissionInfo[permission].kind === 'read');

const handling = [
  Permission.ContactCreate,
  Permission.ContactRead,
  Permission.ContactAssess,
  Permission.ContactRecordIncident,
  Permission.ContactDecideCrime,
  Permission.ContactRefer,
  Permission.ContactAddNote,
  Permission.ContactResolve,
  Permission.ContactEscalate,
  Permission.ContactClaim,
  Permission.ContactReply,
  Permission.CallerLookup,
  Permission.AlertRead,
  Permission.AlertAcknowledge,
  Permission.PresenceSet,
];
const socialMediaHub = [Permission.SocialMediaRead, Permission.SocialMediaRespond];
const supervision = [
  ...handling,
  Permission.ContactRecordAttendance,
  Permission.ContactApproveDowngrade,
  Permission.ContactSupervise,
  Permission.ClockPause,
  Permission.HistoryRead,
  Permission.PayloadDecode,
  Permission.ManagementInformationRead,
  Permission.PresenceRead,
];

/**
 * The permission matrix: the one statement of who may do what. Downgrade approval and clock pauses
 * are for team leaders and above; the social media hub is open to the Customer Service Centre,
 * contact handlers, team leaders, Communications & Engagement and the media team (which alone
 * posts); auditors read everything and change nothing; administrators run the system, not cases.
 */
export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  [Role.ContactHandler]: new Set([...handling, Permission.ContactRecordAttendance, ...socialMediaHub]),
  [Role.CustomerServiceCentre]: new Set([...handling, ...socialMediaHub]),
  [Role.TeamLeader]: new Set([...supervision, ...socialMediaHub]),
  [Role.DutyInspector]: new Set(supervision),
  [Role.CrimeRegistrar]: new Set([Permission.ContactRead, Permission.ContactDecideCrime, Permission.ContactAddNote, Permission.HistoryRead, Permission.AlertRead, Permission.AlertAcknowledge]),
  [Role.CommunicationsEngagement]: new Set([Permission.ContactCreate, ...socialMediaHub]),
  [Role.MediaTeam]: new Set([...socialMediaHub, Permission.SocialMediaPost]),
  [Role.Auditor]: new Set(reads),
  [Role.Administrator]: new Set([
    Permission.SystemCheckRun,
    Permission.SystemCheckRead,
    Permission.DrillRun,
    Permission.DrillRead,
    Permission.AuditVerify,
    Permission.ManagementInformationRead,
  ]),
  [Role.ChannelConnector]: new Set([Permission.ChannelReceive]),
};

/**
 * What reading a channel's inbox needs, on top of the hub's own permission: the hub's channel
 * (social media) is the hub's to read; the others (webchat, SMS, e-mail) are answered from the case,
 * so their inbox is for those who may read cases. The media team and Communications & Engagement
 * read the social media inbox alone.
 */
export function inboxPermission(channel: ConversationChannel): Permission {
  return channel === Channel.SocialMedia ? Permission.SocialMediaRead : Permission.ContactRead;
}

/** The first of the caller's roles that grants the permission: the role the action is attributed to. */
export function grantingRole(roles: readonly Role[], permission: Permission): Role | undefined {
  return roles.find((role) => rolePermissions[role].has(permission));
}

/** The matrix as a Markdown table, for docs/security.md (kept equal to it by a test). */
export function permissionMatrixMarkdown(): string {
  const header = `| permission | ${allRoles.join(' | ')} |`;
  const rule = `| --- | ${allRoles.map(() => ':-:').join(' | ')} |`;
  const rows = allPermissions.map(
    (permission) =>
      `| \`${permission}\`: ${permissionInfo[permission].description}${permissionInfo[permission].planned ? ` (planned, with ${permissionInfo[permission].planned}: no route yet)` : ''} | ${allRoles
        .map((role) => (rolePermissions[role].has(permission) ? '✓' : ''))
        .join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
