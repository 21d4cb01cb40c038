// Every patch ID keeps its meaning: src/workflows/patches.ts is held against the committed lock (entries may only be
// added), every patched()/deprecatePatch() call names one of its constants, and no stored history holds a marker whose
// ID left the list. The lock itself is held against its committed versions in git.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import * as patches from '../../src/workflows/patches';
import { PATCHES, PATCHES_AT_START, SUBSCRIPTION_VIEW, type PatchId } from '../../src/workflows/patches';
import { PATCH_SETS, TEAM_PATCHES, usesPatch } from '../../src/workflows/team/run-patches';
import { appendOnlyViolations, HISTORIES_DIR, historyFiles, patchMarkersOf } from '../support/history-manifest';
import { committedVersions } from '../support/committed-versions';
import { patchCallProblems } from '../support/patch-calls';

const root = join(__dirname, '../..');
const LOCK = join(__dirname, 'patches.lock.json');
const lock = JSON.parse(readFileSync(LOCK, 'utf8')) as Record<string, string>;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

test('every patch ID in the lock keeps its meaning in src/workflows/patches.ts, and every ID there is in the lock', () => {
  expect(appendOnlyViolations(lock, PATCHES)).toEqual([]);
  expect(Object.keys(PATCHES).filter((id) => !(id in lock))).toEqual([]); // a new ID is added to the lock too
});

test('the lock only grew: every committed version of it is contained, unchanged, in today\'s', () => {
  const versions = committedVersions(relative(root, LOCK));
  for (const { commit, text } of versions) {
    expect({ commit, violations: appendOnlyViolations(JSON.parse(text) as Record<string, string>, lock) }).toEqual({ commit, violations: [] });
  }
});

test('the constants of patches.ts are IDs of the list', () => {
  const constants = Object.entries(patches).filter(([name]) => name !== 'PATCHES');
  expect(constants.length).toBeGreaterThan(0);
  for (const [name, id] of constants) expect({ name, listed: typeof id === 'string' && id in PATCHES }).toEqual({ name, listed: true });
});

test('every patched() and deprecatePatch() call in src/workflows names a constant from patches.ts', () => {
  const problems = sourcesUnder(join(root, 'src/workflows')).flatMap((file) => patchCallProblems(relative(root, file), readFileSync(file, 'utf8')));
  expect(problems).toEqual([]);
});

test('the check catches a literal, a template, a local constant, an aliased patched() and a loop over a list holding a literal', () => {
  const source = [
    "import { patched, deprecatePatch as retire } from '@temporalio/workflow';",
    "import { KEEP_TIMER } from '../patches';",
    "const LOCAL = 'keep-timer';",
    "if (patched('keep-timer')) {}",
    'if (patched(`keep-${"timer"}`)) {}',
    'if (patched(LOCAL)) {}',
    "retire('audit-events');",
    'if (patched(KEEP_TIMER)) {}',
    'const DECIDED = [KEEP_TIMER] as const;',
    'for (const id of DECIDED) patched(id);',
    "const MIXED = [KEEP_TIMER, 'audit-events'];",
    'for (const other of MIXED) patched(other);',
  ].join('\n');
  expect(patchCallProblems('example.ts', source).map((problem) => problem.split(':')[1])).toEqual(['4', '5', '6', '7', '12']);
});

test('every patch the team workflow\'s files ask is one a run decides at its start (TEAM_PATCHES), else carried runs would never take it', () => {
  const notDecidedAtStart = new Set<PatchId>([PATCHES_AT_START, SUBSCRIPTION_VIEW]); // the deciding itself; a branch only old runs ask
  const asked = sourcesUnder(join(root, 'src/workflows/team'))
    .filter((file) => !file.endsWith('run-patches.ts'))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\.\/patches'/g)]
      .flatMap((match) => match[1]!.split(',').map((name) => name.trim()).filter((name) => /^[A-Z_]+$/.test(name)))
      .map((name) => ({ file: relative(root, file), name, id: (patches as Record<string, unknown>)[name] as PatchId })));
  expect(asked.length).toBeGreaterThan(15);
  const missing = asked.filter(({ id }) => !notDecidedAtStart.has(id) && !(TEAM_PATCHES as readonly PatchId[]).includes(id));
  expect(missing).toEqual([]);
});

test('a patch set stands for a prefix of TEAM_PATCHES: its last patch is in the list, and sets come newest first', () => {
  const ends = PATCH_SETS.map(({ through }) => (TEAM_PATCHES as readonly PatchId[]).indexOf(through));
  expect(ends.every((end) => end >= 0)).toBe(true);
  expect(ends).toEqual([...ends].sort((a, b) => b - a));
  expect(new Set(PATCH_SETS.map(({ id }) => id)).size).toBe(PATCH_SETS.length);
  expect(PATCH_SETS.filter(({ id }) => (TEAM_PATCHES as readonly PatchId[]).includes(id))).toEqual([]); // a set is not itself a patch a run asks
});

test('a run that carries its patches refuses one no run decides, rather than answer false', () => {
  expect(usesPatch({ patches: ['keep-timer'] }, 'keep-timer')).toBe(true);
  expect(usesPatch({ patches: [] }, 'keep-timer')).toBe(false);
  expect(() => usesPatch({ patches: ['keep-timer'] }, SUBSCRIPTION_VIEW)).toThrow('patch subscription-view is not in TEAM_PATCHES');
});

test('every patch marker in a stored history names an ID of the list', () => {
  for (const file of historyFiles(HISTORIES_DIR)) {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    expect({ file, unknown: patchMarkersOf(history).filter((id) => !(id in PATCHES)) }).toEqual({ file, unknown: [] });
  }
});
