// Runs a compiled entry point of the forum: `node scripts/launch.mjs server/main [args…]` runs
// dist/server/main.js with the arguments. When the sources are here and the build is missing or
// older than any of them, it builds first, so `npm install && npm start` works on a fresh clone
// and after a `git pull`. In the Docker image there are no sources: the build is used as it is.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, root } from './build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node scripts/launch.mjs <entry, e.g. server/main> [arguments]');
  process.exit(2);
}
const compiled = path.join(root, 'dist', `${entry}.js`);
ensureBuild(compiled);
// The entry reads its arguments from process.argv as if it had been started itself.
process.argv = [process.argv[0], compiled, ...args];
await import(pathToFileURL(compiled).href);
