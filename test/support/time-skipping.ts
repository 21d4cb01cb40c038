// Tests and simulations choose the time-skipping server in one place: src/infra/time-skipping.ts.
export { createTimeSkippingEnv } from '../../src/infra/time-skipping';
