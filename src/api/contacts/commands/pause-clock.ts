import { z } from 'zod';
import { pauseReasons } from '../../../domain/clocks.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { DomainError, DomainErrorCode } from '../../../modules/platform/errors/domain-error.js';
import { CLOCK_ID, unionDto } from '../../common/text.js';
import { commandRoute } from './route.js';

const clockId = z.string().regex(CLOCK_ID, { error: 'must be a clock id such as attendance-1' }).meta({ description: "The clock's id on the case, for example `attendance-1`", example: 'attendance-1' });

/** A pause needs its reason; a resume may say one. */
const clockPauseSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ clock: clockId, action: z.literal('pause'), reason: z.enum(pauseReasons).meta({ description: 'Required to pause' }) }),
    z.strictObject({ clock: clockId, action: z.literal('resume'), reason: z.enum(pauseReasons).optional() }),
  ]);

export class ClockPauseDto extends unionDto(clockPauseSchema as z.ZodType<{ clock: string; action: 'pause' | 'resume'; reason?: (typeof pauseReasons)[number] }>) {}

export const pauseClockRoute = commandRoute({
  name: 'pauseClock',
  path: 'clock-pauses',
  permission: Permission.ClockPause,
  summary: 'Pause a clock with a reason code, or resume it: the paused span moves its due time and is recorded',
  body: ClockPauseDto,
  given: (body) => {
    if (body.action === 'resume') return { command: { type: 'resume-clock', clock: body.clock } };
    if (!body.reason) throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid reason', [{ field: 'reason', message: 'a pause needs a reason code' }]);
    return { command: { type: 'pause-clock', clock: body.clock, reason: body.reason } };
  },
});
