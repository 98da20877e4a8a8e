export { assessment } from '../../src/domain/assessment-builder.js';
