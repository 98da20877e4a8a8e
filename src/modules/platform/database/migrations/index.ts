import { Migration20261123000000SystemCheck } from './migration-20261123000000-system-check.js';
import { Migration20261123010000ContactCase } from './migration-20261123010000-contact-case.js';
import { Migration20261123020000Clocks } from './migration-20261123020000-clocks.js';
import { Migration20261123030000Audit } from './migration-20261123030000-audit.js';
import { Migration20261130000000Intake } from './migration-20261130000000-intake.js';
import { Migration20261201000000Alerts } from './migration-20261201000000-alerts.js';
import { Migration20261201010000CallerIdentity } from './migration-20261201010000-caller-identity.js';
import { Migration20261202000000Oversight } from './migration-20261202000000-oversight.js';
import { Migration20261203000000Conversations } from './migration-20261203000000-conversations.js';
import { Migration20261204000000RateLimits } from './migration-20261204000000-rate-limits.js';
import { Migration20261205000000ContinuityDrills } from './migration-20261205000000-continuity-drills.js';
import { Migration20261205010000QueuePositionTeam } from './migration-20261205010000-queue-position-team.js';
import { Migration20261206000000ExactProjection } from './migration-20261206000000-exact-projection.js';
import { Migration20261207000000Presence } from './migration-20261207000000-presence.js';
import { Migration20261207010000Satisfaction } from './migration-20261207010000-satisfaction.js';

/** Every migration, in order. Listed explicitly so that built and test runs find the same set. */
export const migrationsList = [
  { name: 'Migration20261123000000SystemCheck', class: Migration20261123000000SystemCheck },
  { name: 'Migration20261123010000ContactCase', class: Migration20261123010000ContactCase },
  { name: 'Migration20261123020000Clocks', class: Migration20261123020000Clocks },
  { name: 'Migration20261123030000Audit', class: Migration20261123030000Audit },
  { name: 'Migration20261130000000Intake', class: Migration20261130000000Intake },
  { name: 'Migration20261201000000Alerts', class: Migration20261201000000Alerts },
  { name: 'Migration20261201010000CallerIdentity', class: Migration20261201010000CallerIdentity },
  { name: 'Migration20261202000000Oversight', class: Migration20261202000000Oversight },
  { name: 'Migration20261203000000Conversations', class: Migration20261203000000Conversations },
  { name: 'Migration20261204000000RateLimits', class: Migration20261204000000RateLimits },
  { name: 'Migration20261205000000ContinuityDrills', class: Migration20261205000000ContinuityDrills },
  { name: 'Migration20261205010000QueuePositionTeam', class: Migration20261205010000QueuePositionTeam },
  { name: 'Migration20261206000000ExactProjection', class: Migration20261206000000ExactProjection },
  { name: 'Migration20261207000000Presence', class: Migration20261207000000Presence },
  { name: 'Migration20261207010000Satisfaction', class: Migration20261207010000Satisfaction },
];
