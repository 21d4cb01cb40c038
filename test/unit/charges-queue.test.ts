import { loadConfig } from '../../src/config';
import { billingTaskQueue, chargesTaskQueue } from '../../src/workflows/charges-queue';

// A collection runs on `<task queue>-charges`; what it starts (the receipt's email workflow, webhook deliveries) runs
// on the billing queue it belongs to, where the workflows are registered.

test('a task queue and its charges queue name each other', () => {
  expect(chargesTaskQueue('billing')).toBe('billing-charges');
  expect(billingTaskQueue(chargesTaskQueue('billing'))).toBe('billing');
  expect(billingTaskQueue('billing')).toBe('billing'); // an activity on the billing queue starts its work there
});

test('a TASK_QUEUE ending in -charges stops start-up, since it would read as a charges queue', () => {
  expect(() => loadConfig({ TASK_QUEUE: 'eu-charges' })).toThrow('invalid configuration: TASK_QUEUE: must not end in -charges: that names a charges task queue');
  expect(loadConfig({ TASK_QUEUE: 'eu-billing' }).TASK_QUEUE).toBe('eu-billing');
});
