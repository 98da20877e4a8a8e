import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { caseCommands } from '../../../src/domain/commands/index.js';

const commandsFolder = fileURLToPath(new URL('../../../src/domain/commands/', import.meta.url));

/**
 * The updates histories already hold, by command type. A workflow replays its history by these
 * names, so a command's update is never renamed; a new command adds its own.
 */
const releasedUpdates: Record<string, string> = {
  assess: 'submitAssessment',
  'decide-downgrade': 'decideDowngrade',
  'record-incident': 'recordIncident',
  'decide-crime': 'recordCrimeDecision',
  'record-attendance': 'recordAttendance',
  refer: 'addReferral',
  'add-note': 'addNote',
  resolve: 'resolveCase',
  escalate: 'escalateCase',
  'pause-clock': 'pauseClock',
  'resume-clock': 'resumeClock',
  'acknowledge-alert': 'acknowledgeAlert',
  assign: 'assignCase',
  regrade: 'regradeCase',
  'caller-recontacted': 'callerRecontacted',
  'receive-message': 'receiveMessage',
  'send-message': 'sendMessage',
};

describe('the case command registry', () => {
  it('holds every command module in the folder, each under the type its module names', async () => {
    const modules = readdirSync(commandsFolder).filter((file) => file.endsWith('.ts') && !['index.ts', 'command.ts', 'conversation.ts'].includes(file));
    expect(modules.length).toBeGreaterThanOrEqual(17);
    const registered = new Set<unknown>(Object.values(caseCommands));
    for (const file of modules) {
      const exported = Object.values(await import(`../../../src/domain/commands/${file.replace(/\.ts$/, '.js')}`)).filter(
        (value): value is { type: string; update: string } => typeof value === 'object' && value !== null && 'update' in value && 'type' in value,
      );
      expect({ file, definitions: exported.length }).toEqual({ file, definitions: 1 });
      expect(registered.has(exported[0])).toBe(true);
      expect(caseCommands[exported[0].type as keyof typeof caseCommands]).toBe(exported[0]);
    }
  });

  it('keeps every released update name, and gives no two commands one update', () => {
    const updates = Object.fromEntries(Object.entries(caseCommands).map(([type, { update }]) => [type, update]));
    for (const [type, update] of Object.entries(releasedUpdates)) expect({ type, update: updates[type] }).toEqual({ type, update });
    expect(new Set(Object.values(updates)).size).toBe(Object.keys(updates).length);
  });
});
