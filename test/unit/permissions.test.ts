import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { docTables, pagePath, pageWithTables } from '../../src/cli/doc-tables.js';
import { grantingRole, Permission, permissionInfo, rolePermissions } from '../../src/domain/permissions.js';
import { allRoles, Role } from '../../src/domain/roles.js';

const holders = (permission: Permission) => allRoles.filter((role) => rolePermissions[role].has(permission)).sort();

describe('the permission matrix', () => {
  it('lets only team leaders and above approve downgrades, pause clocks, regrade and reassign', () => {
    for (const permission of [Permission.ContactApproveDowngrade, Permission.ClockPause, Permission.ContactSupervise]) {
      expect(holders(permission)).toEqual([Role.DutyInspector, Role.TeamLeader].sort());
    }
  });

  it('opens the social media hub to exactly the five teams that work it, and auditors who read it', () => {
    const hub = [Role.CustomerServiceCentre, Role.ContactHandler, Role.TeamLeader, Role.CommunicationsEngagement, Role.MediaTeam];
    expect(holders(Permission.SocialMediaRespond)).toEqual([...hub].sort());
    expect(holders(Permission.SocialMediaRead)).toEqual([...hub, Role.Auditor].sort());
    expect(holders(Permission.SocialMediaPost)).toEqual([Role.MediaTeam]);
  });

  it('lets auditors read everything and change nothing', () => {
    const reads = Object.values(Permission).filter((permission) => permissionInfo[permission].kind === 'read');
    expect([...rolePermissions[Role.Auditor]].sort()).toEqual(reads.sort());
  });

  it('keeps crime recording decisions with those who record crime, and the registrar', () => {
    expect(holders(Permission.ContactDecideCrime)).toContain(Role.CrimeRegistrar);
    expect(holders(Permission.ContactDecideCrime)).not.toContain(Role.MediaTeam);
  });

  it('gives every permission to some role', () => {
    for (const permission of Object.values(Permission)) expect([permission, holders(permission).length > 0]).toEqual([permission, true]);
  });

  it('attributes an action to the first of the caller’s roles that grants it', () => {
    expect(grantingRole([Role.Auditor, Role.TeamLeader], Permission.ClockPause)).toBe(Role.TeamLeader);
    expect(grantingRole([Role.MediaTeam], Permission.ClockPause)).toBeUndefined();
  });

  it('is the matrix the security guide shows (with the configuration, clock and dataset tables, made the same way)', () => {
    expect(docTables.map((table) => table.page)).toEqual(['docs/security.md', 'docs/configuration.md', 'docs/domain.md', 'docs/management-information.md']);
    for (const { page } of docTables) {
      const text = readFileSync(pagePath(page), 'utf8');
      expect(pageWithTables(page, text)).toBe(text);
    }
  });
});
