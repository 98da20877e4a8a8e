import { z } from 'zod';

/** A grade, 1 (emergency) to 4. */
export const grade = z
  .int()
  .min(1)
  .max(4)
  .meta({ enum: [1, 2, 3, 4] }) as unknown as z.ZodType<1 | 2 | 3 | 4>;
