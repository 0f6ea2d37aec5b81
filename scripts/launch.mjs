// Runs a compiled entry point of the forum: `node scripts/launch.mjs server/main [args…]` runs
// dist/server/main.js with the arguments. When the sources are here and the build is missing or
// older than any of them, it builds first, so `npm install && npm start` works on a fresh clone
// and after a `git pull`. In the Docker image there are no sources: the build is used as it is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, root, stampFile } from './build.mjs';

const SOURCES = [
  'server',
  'migrations',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
];

function newestSource() {
  let newest = 0;
  const visit = (file) => {
    const stat = statSync(file);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const name of SOURCES) if (existsSync(path.join(root, name))) visit(path.join(root, name));
  return newest;
}

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node scripts/launch.mjs <entry, e.g. server/main> [arguments]');
  process.exit(2);
}
const compiled = path.join(root, 'dist', `${entry}.js`);
if (existsSync(path.join(root, 'server'))) {
  const built = existsSync(stampFile) ? statSync(stampFile).mtimeMs : 0;
  if (!existsSync(compiled) || newestSource() > built) {
    console.log('Compiling the forum to dist/ (first start, or the sources changed) …');
    build();
  }
}
// The entry reads its arguments from process.argv as if it had been started itself.
process.argv = [process.argv[0], compiled, ...args];
await import(pathToFileURL(compiled).href);
