import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, root, stampFile } from '../scripts/build.mjs';

// The bench measures the forum as production runs it: the compiled build in dist/. The build is
// made again when it is missing or older than any source, by the same rule as scripts/launch.mjs
// (npm start), so that a bench never measures yesterday's code.

const SOURCES = [
  'server',
  'migrations',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
];

export const forumEntry = path.join(root, 'dist', 'server', 'main.js');

function newestSourceMs(): number {
  let newest = 0;
  const visit = (file: string) => {
    const stat = statSync(file);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const name of SOURCES) if (existsSync(path.join(root, name))) visit(path.join(root, name));
  return newest;
}

/** Builds dist/ unless it is there and newer than every source. */
export function ensureBuild(log: (line: string) => void): void {
  const builtMs = existsSync(stampFile) ? statSync(stampFile).mtimeMs : 0;
  if (existsSync(forumEntry) && builtMs >= newestSourceMs()) return;
  log('Compiling the forum to dist/ (missing, or older than the sources) …');
  build();
}
