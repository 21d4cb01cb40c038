// Stored histories are append-only: test/workflows/histories/MANIFEST.json names every history file with its SHA-256
// and the commit (or version) that recorded it. A file is never edited or deleted and an entry never changed or
// removed; a new recording is a new file and a new entry (storeHistory in ./record-history writes both).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = join(__dirname, '../workflows/histories');
export const MANIFEST_FILE = 'MANIFEST.json';

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

export function readManifest(dir: string = HISTORIES_DIR): HistoryManifest {
  const file = join(dir, MANIFEST_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HistoryManifest) : {};
}

/** Sorted by file name, one entry a line group, so a new entry is a small diff. */
export function writeManifest(dir: string, manifest: HistoryManifest): void {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** The history files of a folder (every `.json` but the manifest). */
export function historyFiles(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.json') && file !== MANIFEST_FILE).sort();
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
