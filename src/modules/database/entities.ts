import { SystemCheckSchema } from '../system-checks/system-check.entity.js';

/** Every entity the case store maps. */
export const entities = [SystemCheckSchema];
