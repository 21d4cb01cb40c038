import { cachedWorkflowsFor, loadConfig, MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB, workerTuning } from '../../src/config';

// The worker's workflow cache (issue 24): as many team workflows as the memory budget holds at the measured memory per
// cached team workflow, unless WORKER_MAX_CACHED_WORKFLOWS sets it.
test('the cache is the memory budget over the memory per cached team workflow, rounded down', () => {
  expect(cachedWorkflowsFor(1024, 350)).toBe(2995); // 1,048,576 KiB / 350 = 2,995.9
  expect(cachedWorkflowsFor(512, 256)).toBe(2048);
  expect(cachedWorkflowsFor(64, 1_000_000)).toBe(2); // never below the SDK's least cache
});

test('by default the budget is 1024 MiB at the measured figure', () => {
  const expected = Math.floor((1024 * 1024) / MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB);
  expect(workerTuning(loadConfig({}))).toEqual({ maxCachedWorkflows: expected });
  expect(workerTuning(loadConfig({ WORKER_MEMORY_BUDGET_MB: '2048' })).maxCachedWorkflows).toBe(Math.floor((2048 * 1024) / MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB));
});

test('WORKER_MAX_CACHED_WORKFLOWS sets the cache whatever the budget; 0 turns it off', () => {
  expect(workerTuning(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500', WORKER_MEMORY_BUDGET_MB: '4096' }))).toEqual({ maxCachedWorkflows: 500 });
  expect(workerTuning(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }))).toEqual({ maxCachedWorkflows: 0 });
  expect(workerTuning(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }))).toEqual(workerTuning(loadConfig({}))); // set but empty: unset
});

test.each([
  ['WORKER_MAX_CACHED_WORKFLOWS', '1', /WORKER_MAX_CACHED_WORKFLOWS: must be 0 \(no cache\) or at least 2/],
  ['WORKER_MAX_CACHED_WORKFLOWS', '-5', /WORKER_MAX_CACHED_WORKFLOWS/],
  ['WORKER_MAX_CACHED_WORKFLOWS', 'lots', /WORKER_MAX_CACHED_WORKFLOWS/],
  ['WORKER_MAX_CACHED_WORKFLOWS', '2.5', /WORKER_MAX_CACHED_WORKFLOWS/],
  ['WORKER_MEMORY_BUDGET_MB', '32', /WORKER_MEMORY_BUDGET_MB: must be at least 64 \(MiB\)/],
  ['WORKER_MEMORY_BUDGET_MB', '1GB', /WORKER_MEMORY_BUDGET_MB/],
])('%s=%s stops start-up naming the variable', (name, value, message) => {
  expect(() => loadConfig({ [name]: value })).toThrow(/^invalid configuration: /);
  expect(() => loadConfig({ [name]: value })).toThrow(message);
});
