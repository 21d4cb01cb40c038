// Stored histories are append-only (test/support/history-manifest.ts): every file is listed with its SHA-256, the
// manifest only grows across commits, and the recorder never writes over a stored history.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import {
  appendOnlyViolations,
  ENTRY_SUFFIX,
  HISTORIES_DIR,
  historyFiles,
  historyFolderProblems,
  MANIFEST_FILE,
  readManifest,
  type HistoryManifest,
} from '../support/history-manifest';
import { committedVersions } from '../support/committed-versions';
import { storeHistory } from '../support/record-history';

let copy: string;
beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'histories-'));
  cpSync(HISTORIES_DIR, copy, { recursive: true });
});
afterEach(() => rmSync(copy, { recursive: true, force: true }));

test('every stored history is in the manifest with its SHA-256 and who recorded it, and every listed file is there', () => {
  const manifest = readManifest();
  expect(historyFiles(HISTORIES_DIR).length).toBeGreaterThan(0);
  expect(historyFolderProblems(HISTORIES_DIR, manifest)).toEqual([]);
  for (const entry of Object.values(manifest)) expect(entry.recordedBy).toMatch(/^[0-9a-f]{7,40}(\+uncommitted)?$/);
});

test('the check fails on a copy of the folder with a history edited, one deleted, or one added unlisted', () => {
  const [edited, deleted] = historyFiles(copy);
  writeFileSync(join(copy, edited!), readFileSync(join(copy, edited!), 'utf8').replace('"eventId"', '"eventId" '));
  unlinkSync(join(copy, deleted!));
  writeFileSync(join(copy, 'unlisted.json'), '{"events":[]}\n');
  expect(historyFolderProblems(copy).sort()).toEqual([
    `${edited}: edited (its SHA-256 is not the manifest's)`,
    `${deleted}: listed in the manifest but deleted`,
    'unlisted.json: not in the manifest',
  ].sort());
});

test('an entry changed or removed is caught against an earlier manifest; an entry added is not', () => {
  const earlier = readManifest(copy);
  const [first, second] = Object.keys(earlier);
  const later: HistoryManifest = { ...earlier, [first!]: { ...earlier[first!]!, sha256: '0'.repeat(64) }, 'new-history.json': { sha256: '1'.repeat(64), recordedBy: 'abcdef0' } };
  delete later[second!];
  expect(appendOnlyViolations(earlier, later).map((violation) => violation.split(':')[0]).sort()).toEqual([first, second].sort());
});

test('the manifest only grew: every committed version of it is contained, unchanged, in today\'s', () => {
  const today = readManifest();
  for (const { commit, text } of committedVersions(relative(join(__dirname, '../..'), join(HISTORIES_DIR, MANIFEST_FILE)))) {
    expect({ commit, violations: appendOnlyViolations(JSON.parse(text) as HistoryManifest, today) }).toEqual({ commit, violations: [] });
  }
  // An entry file is written once: every committed version of it is today's entry.
  for (const entryFile of readdirSync(HISTORIES_DIR).filter((name) => name.endsWith(ENTRY_SUFFIX))) {
    const history = `${entryFile.slice(0, -ENTRY_SUFFIX.length)}.json`;
    for (const { commit, text } of committedVersions(relative(join(__dirname, '../..'), join(HISTORIES_DIR, entryFile)))) {
      expect({ commit, entry: JSON.parse(text) as unknown }).toEqual({ commit, entry: today[history] });
    }
  }
});

test('the recorder keeps a stored history rather than write over it, and lists a new one', () => {
  const [existing] = historyFiles(copy);
  const before = readFileSync(join(copy, existing!), 'utf8');
  const history = historyFromJSON(JSON.parse(before));
  expect(storeHistory(existing!.replace(/\.json$/, ''), { events: history.events?.slice(0, 3) }, copy)).toBe('kept');
  expect(readFileSync(join(copy, existing!), 'utf8')).toBe(before);

  // Listed but deleted: not recorded anew under the old entry (restore it from git instead).
  unlinkSync(join(copy, existing!));
  expect(storeHistory(existing!.replace(/\.json$/, ''), history, copy)).toBe('kept');

  const manifestBefore = readFileSync(join(copy, MANIFEST_FILE), 'utf8');
  expect(storeHistory('a-new-path', history, copy)).toBe('recorded');
  expect(readFileSync(join(copy, MANIFEST_FILE), 'utf8')).toBe(manifestBefore); // a recording writes only new files
  expect(existsSync(join(copy, `a-new-path${ENTRY_SUFFIX}`))).toBe(true);
  const manifest = readManifest(copy);
  expect(manifest['a-new-path.json']?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(appendOnlyViolations(readManifest(), manifest)).toEqual([]);
  expect(historyFolderProblems(copy)).toEqual([`${existing}: listed in the manifest but deleted`]);
});
