import { z } from 'zod';
import { catalogueChannels } from '../../domain/channels.js';
import { type ClockKind, clockKinds, type ContactPolicy, gradedClockKinds, type OptionalClockKind, optionalClockKinds } from '../../domain/policy.js';
import { conversationChannelsOf } from '../../domain/conversations.js';
import { isValidTimeZone } from '../../domain/working-time.js';
import { allRoles } from '../../domain/roles.js';

const amount = z.number().int().nonnegative();
const elapsed = z
  .strictObject({ seconds: amount.optional(), minutes: amount.optional(), hours: amount.optional(), days: amount.optional() })
  .refine((value) => Object.keys(value).length > 0, 'give seconds, minutes, hours or days');
const duration = z.union([z.strictObject({ workingDays: z.number().int().positive() }), elapsed]);
const positiveElapsed = elapsed.refine((value) => Object.values(value).some((n) => n > 0), 'must be longer than zero');
const role = z.enum(allRoles as [string, ...string[]]);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD').refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'not a real date');

const clockRule = z.strictObject({
  label: z.string().min(3).max(80),
  duration: duration.optional(),
  warnAt: z.number().gt(0).lt(1),
  repeatEvery: positiveElapsed,
  breachEscalatesTo: role.optional(),
});

const gradeRule = z.strictObject({
  label: z.string().min(3).max(80),
  attendance: z.strictObject({ urban: duration, rural: duration }).optional(),
  unresourced: duration.optional(),
  unresourcedEscalatesTo: role.optional(),
});

/** A policy file's shape and the rules that tie its parts together; every problem names its path. */
export const contactPolicySchema = z
  .strictObject({
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dots, dashes and underscores, at most 64'),
    description: z.string().max(1000),
    calendar: z.strictObject({
      timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/London'),
      workingWeekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
      holidays: z.array(localDate),
    }),
    grades: z.strictObject({ 1: gradeRule, 2: gradeRule, 3: gradeRule, 4: gradeRule }),
    clocks: z.strictObject(
      Object.fromEntries(clockKinds.map((kind) => [kind, (optionalClockKinds as readonly string[]).includes(kind) ? clockRule.optional() : clockRule])) as Record<
        Exclude<ClockKind, OptionalClockKind>,
        typeof clockRule
      > &
        Record<OptionalClockKind, z.ZodOptional<typeof clockRule>>,
    ),
    digitalActionChannels: z.array(z.enum(catalogueChannels() as [string, ...string[]])),
    firstResponseChannels: z.array(z.enum(conversationChannelsOf() as [string, ...string[]])).optional(),
    escalationChain: z.array(role).min(1),
    repeatCallers: z.strictObject({ windowDays: z.number().int().min(1).max(365), minimumContacts: z.number().int().min(2).max(100) }),
    targets: z
      .strictObject({
        onTimeShare: z.number().gt(0).max(1),
        attendanceOnTimeShare: z.number().gt(0).max(1),
        recontactShareAtMost: z.number().min(0).max(1),
        acknowledgeWithinMinutes: z.number().int().positive(),
      })
      .optional(),
    effort: z
      .strictObject({
        sessionGapMinutes: z.number().int().min(1).max(240),
        minutesPerSession: z.number().min(0).max(60),
        costPerStaffHour: z.number().positive().max(10_000).optional(),
      })
      .optional(),
    satisfaction: z
      .strictObject({
        askAtMostEveryDays: z.number().int().min(1).max(730),
        linkValidHours: z.number().min(0.001).max(24 * 60),
        channels: z.array(z.enum(catalogueChannels() as [string, ...string[]])).min(1).optional(),
      })
      .optional(),
  })
  .superRefine((policy, context) => {
    for (const kind of clockKinds) {
      const graded = (gradedClockKinds as readonly string[]).includes(kind);
      const rule = policy.clocks[kind];
      if (!rule) continue;
      if (graded && rule.duration) context.addIssue({ code: 'custom', path: ['clocks', kind, 'duration'], message: 'a graded clock takes its duration from the grades' });
      if (!graded && !rule.duration) context.addIssue({ code: 'custom', path: ['clocks', kind, 'duration'], message: 'required' });
      if (rule.breachEscalatesTo && !policy.escalationChain.includes(rule.breachEscalatesTo)) {
        context.addIssue({ code: 'custom', path: ['clocks', kind, 'breachEscalatesTo'], message: 'must be a role in escalationChain' });
      }
    }
    if ((policy.firstResponseChannels ?? []).length > 0 && !policy.clocks['first-response']) {
      context.addIssue({ code: 'custom', path: ['clocks', 'first-response'], message: 'required when firstResponseChannels names a channel' });
    }
    for (const grade of ['1', '2', '3', '4'] as const) {
      const target = policy.grades[grade].unresourcedEscalatesTo;
      if (target && !policy.escalationChain.includes(target)) {
        context.addIssue({ code: 'custom', path: ['grades', grade, 'unresourcedEscalatesTo'], message: 'must be a role in escalationChain' });
      }
    }
  });

// The schema and the domain's type must describe the same thing.
type Parsed = z.infer<typeof contactPolicySchema>;
export const asContactPolicy = (parsed: Parsed): ContactPolicy => parsed as ContactPolicy;
