export { assessment } from '../../src/cli/assessment-builder.js';
