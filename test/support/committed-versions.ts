// The versions of a file committed to git, oldest first: append-only records (the histories' manifest, the patch
// lock) are checked against each of them, so an entry changed or removed in a later commit fails.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export function committedVersions(path: string): { commit: string; text: string }[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const commits = git('log', '--format=%h', '--reverse', '--', path).split('\n').filter(Boolean);
  return commits.flatMap((commit) => {
    try {
      return [{ commit, text: git('show', `${commit}:${path}`) }];
    } catch {
      return []; // a commit that deleted the file has no version of it
    }
  });
}
