// Stored histories are append-only. Each history file is listed with its SHA-256 and the commit (or version) that
// recorded it: those recorded until 2026-12-02 in test/workflows/histories/MANIFEST.json, each one since in an entry
// file of its own beside it (`<name>.entry.json`), so that recording one writes only new files and no stored file
// ever changes. A file is never edited or deleted and an entry never changed or removed; a new recording is a new
// history and a new entry file (storeHistory in ./record-history writes both).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { PATCHES_AT_START } from '../../src/workflows/patches';
import { PATCH_SETS, patchesOfSet } from '../../src/workflows/team/run-patches';

export const HISTORIES_DIR = join(__dirname, '../workflows/histories');
export const MANIFEST_FILE = 'MANIFEST.json';
/** `<name>.entry.json`: the entry of `<name>.json`, for histories recorded after MANIFEST.json was closed. */
export const ENTRY_SUFFIX = '.entry.json';

export interface HistoryEntry {
  sha256: string;
  /** The commit the history was recorded at (`<commit>+uncommitted` when recorded over uncommitted changes). */
  recordedBy: string;
}

/** File name (`<name>.json`) → its entry. */
export type HistoryManifest = Record<string, HistoryEntry>;

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every entry: MANIFEST.json's and each entry file's. A history listed in both is an error. */
export function readManifest(dir: string = HISTORIES_DIR): HistoryManifest {
  const file = join(dir, MANIFEST_FILE);
  const manifest = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HistoryManifest) : {};
  for (const entryFile of readdirSync(dir).filter((name) => name.endsWith(ENTRY_SUFFIX))) {
    const history = `${entryFile.slice(0, -ENTRY_SUFFIX.length)}.json`;
    if (manifest[history]) throw new Error(`${history} is listed twice: in ${MANIFEST_FILE} and in ${entryFile}`);
    manifest[history] = JSON.parse(readFileSync(join(dir, entryFile), 'utf8')) as HistoryEntry;
  }
  return manifest;
}

/** Writes the entry file of a new history; fails if it exists (an entry is written once). */
export function writeEntry(dir: string, history: string, entry: HistoryEntry): void {
  writeFileSync(join(dir, history.replace(/\.json$/, ENTRY_SUFFIX)), `${JSON.stringify(entry, null, 2)}\n`, { flag: 'wx' });
}

/** The history files of a folder (every `.json` but the manifest and the entry files). */
export function historyFiles(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.json') && file !== MANIFEST_FILE && !file.endsWith(ENTRY_SUFFIX)).sort();
}

/** What is wrong with a folder against its manifest: a listed file missing or not its recorded bytes, a file unlisted. */
export function historyFolderProblems(dir: string, manifest: HistoryManifest = readManifest(dir)): string[] {
  const problems: string[] = [];
  for (const [file, entry] of Object.entries(manifest)) {
    const path = join(dir, file);
    if (!existsSync(path)) problems.push(`${file}: listed in the manifest but deleted`);
    else if (sha256Of(path) !== entry.sha256) problems.push(`${file}: edited (its SHA-256 is not the manifest's)`);
  }
  for (const file of historyFiles(dir)) {
    if (!manifest[file]) problems.push(`${file}: not in the manifest`);
  }
  return problems;
}

/**
 * Entries of `earlier` (an older copy of an append-only record: the manifest, the patch lock) that `later` removed or
 * changed. Entries `later` added are allowed.
 */
export function appendOnlyViolations(earlier: Record<string, unknown>, later: Record<string, unknown>): string[] {
  return Object.entries(earlier).flatMap(([key, value]) => {
    if (!(key in later)) return [`${key}: removed`];
    return JSON.stringify(later[key]) === JSON.stringify(value) ? [] : [`${key}: changed from ${JSON.stringify(value)} to ${JSON.stringify(later[key])}`];
  });
}

/** The patch IDs whose markers a history holds (`patched(id)` took the new branch), in the order first written. */
export function patchMarkersOf(history: temporal.api.history.v1.IHistory): string[] {
  const ids = (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const payloads = Object.values(marker.details ?? {}).flatMap((details) => details.payloads ?? []);
    return payloads.map((payload) => (JSON.parse(Buffer.from(payload.data ?? []).toString('utf8')) as { id: string }).id);
  });
  return [...new Set(ids)];
}

/** The patches a run's markers say it took: a patch set's marker (src/workflows/team/run-patches.ts) stands for its patches. */
export function patchesTakenBy(history: temporal.api.history.v1.IHistory): string[] {
  return patchMarkersOf(history).flatMap((id) => {
    const set = PATCH_SETS.find((candidate) => candidate.id === id);
    return set ? [PATCHES_AT_START, ...patchesOfSet(set)] : [id];
  });
}
