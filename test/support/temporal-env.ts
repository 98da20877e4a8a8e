import { TEST_NAMESPACE, temporalAddressVariable } from './global-setup.js';

export { TEST_NAMESPACE };

/** The address of the Temporal dev server that the global set-up started for this run. */
export function testTemporalAddress(): string {
  const address = process.env[temporalAddressVariable];
  if (!address) throw new Error('The Temporal dev server was not started: run this suite through its Jest project');
  return address;
}
