// npm run build: compiles server/ and migrations/ to dist/ with tsc, so production runs plain
// JavaScript with no TypeScript loader. The Markdown worker is JavaScript already and is copied.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const stampFile = path.join(root, 'dist', '.build-stamp');

/** Builds into `outDir` (dist/ by default; it must be inside the project, to find node_modules). */
export function build(outDir = path.join(root, 'dist')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const config = path.join(root, 'tsconfig.build.json');
  const buildInfo = path.join(outDir, '.tsbuildinfo');
  execFileSync(
    process.execPath,
    [tsc, '-p', config, '--outDir', outDir, '--tsBuildInfoFile', buildInfo],
    { stdio: 'inherit' },
  );
  mkdirSync(path.join(outDir, 'server'), { recursive: true });
  copyFileSync(
    path.join(root, 'server', 'markdown-worker.mjs'),
    path.join(outDir, 'server', 'markdown-worker.mjs'),
  );
  writeFileSync(path.join(outDir, '.build-stamp'), `${new Date().toISOString()}\n`);
}

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

/**
 * Builds dist/ when `entry` (e.g. dist/server/main.js) is missing or any source is newer than the
 * last build. Without the sources (the Docker image) the build is used as it is.
 * Returns whether it built.
 */
export function ensureBuild(entry, log = console.log) {
  if (!existsSync(path.join(root, 'server'))) return false;
  const built = existsSync(stampFile) ? statSync(stampFile).mtimeMs : 0;
  if (existsSync(entry) && built >= newestSource()) return false;
  log('Compiling the forum to dist/ (first start, or the sources changed) …');
  build();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('Compiling the forum to dist/ …');
  build();
  console.log('Built dist/.');
}
