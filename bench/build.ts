import path from 'node:path';
import { ensureBuild as ensureCompiled, root } from '../scripts/build.mjs';

// The bench measures the forum as production runs it: the compiled build in dist/. The build is
// made again when it is missing or older than any source, by the same rule as scripts/launch.mjs
// (npm start), so that a bench never measures yesterday's code.

export const forumEntry = path.join(root, 'dist', 'server', 'main.js');

/** Builds dist/ unless it is there and newer than every source. */
export function ensureBuild(log: (line: string) => void): void {
  ensureCompiled(forumEntry, log);
}
