/** The roles of the force's contact-handling staff and its oversight, as an identity provider issues them. */
export enum Role {
  ContactHandler = 'contact-handler',
  CustomerServiceCentre = 'customer-service-centre',
  TeamLeader = 'team-leader',
  DutyInspector = 'duty-inspector',
  CrimeRegistrar = 'crime-registrar',
  CommunicationsEngagement = 'communications-engagement',
  MediaTeam = 'media-team',
  Auditor = 'auditor',
  Administrator = 'administrator',
  /** A platform connector service (webchat, social media, SMS and e-mail gateways): hands messages over, reads nothing. */
  ChannelConnector = 'channel-connector',
}

export const allRoles: readonly Role[] = Object.values(Role);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (allRoles as string[]).includes(value);
