import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * How `npm run backup` gets a consistent copy of the embedded database while the forum runs.
 * PGlite's files belong to the one process holding the lock, and copying them under it would
 * catch pages mid-write; only that process can take the copy, between two statements. So the
 * forum listens on a local socket in DATA_DIR, and answers a request that carries a key it wrote
 * to a file only its own user can read. Whoever can read that key can read the database files
 * anyway: the channel gives nobody anything more.
 */
const SOCKET = 'forum.backup.sock';
const KEY_FILE = 'forum.backup.key';
/** Unix socket paths are limited to 104 bytes on macOS and 108 on Linux. */
const MAX_SOCKET_PATH = 103;

/** No forum is listening: the database may be opened directly (after taking its lock). */
export class NoRunningForumError extends Error {}

function address(dataDir: string): string | undefined {
  const real = realpathSync(dataDir);
  if (process.platform === 'win32') {
    const hash = createHash('sha256').update(real.toLowerCase()).digest('hex').slice(0, 32);
    return `\\\\.\\pipe\\partner-stories-backup-${hash}`;
  }
  const absolute = path.join(real, SOCKET);
  if (Buffer.byteLength(absolute) <= MAX_SOCKET_PATH) return absolute;
  const relative = path.relative(process.cwd(), absolute);
  return Buffer.byteLength(relative) <= MAX_SOCKET_PATH ? relative : undefined;
}

function sameKey(given: string, key: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(key));
}

/**
 * Serves backups made by `dump` to `requestBackup` callers, one at a time. Call only while
 * holding the data directory's lock. Resolves to a function that stops serving, or to undefined
 * when DATA_DIR is too long a path for a socket (backups then need the forum stopped).
 */
export async function serveBackups(
  dataDir: string,
  dump: () => Promise<Blob>,
  onError: (error: unknown) => void,
): Promise<(() => Promise<void>) | undefined> {
  const where = address(dataDir);
  if (!where) return undefined;
  const key = randomBytes(32).toString('hex');
  const keyFile = path.join(dataDir, KEY_FILE);
  rmSync(keyFile, { force: true });
  writeFileSync(keyFile, key + '\n', { mode: 0o600, flag: 'wx' });
  // We hold the lock: a socket file left here is a dead forum's.
  if (process.platform !== 'win32') rmSync(where, { force: true });

  let queue: Promise<void> = Promise.resolve();
  const server = net.createServer((socket) =>
    readRequest(socket, key, () => {
      queue = queue.then(() => sendDump(socket, dump, onError));
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', onError);
  if (process.platform !== 'win32') chmodSync(where, 0o600);
  server.unref();
  return async () => {
    rmSync(keyFile, { force: true });
    await new Promise((resolve) => server.close(resolve));
    await queue;
  };
}

/**
 * Asks the forum running on `dataDir` for a backup: the gzipped tarball of its database files.
 * Fails with NoRunningForumError when no forum listens there.
 */
export async function requestBackup(dataDir: string): Promise<Buffer> {
  const where = address(dataDir);
  let key: string;
  try {
    key = readFileSync(path.join(dataDir, KEY_FILE), 'utf8').trim();
  } catch {
    throw new NoRunningForumError();
  }
  if (!where) throw new NoRunningForumError();
  const answer = await new Promise<Buffer>((resolve, reject) => {
    const socket = net.connect(where);
    const chunks: Buffer[] = [];
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      socket.write(`backup ${key}\n`);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const gone = error.code === 'ECONNREFUSED' || error.code === 'ENOENT';
      reject(!connected && gone ? new NoRunningForumError() : error);
    });
  });
  const end = answer.indexOf('\n');
  const head = answer.subarray(0, Math.max(end, 0)).toString('utf8');
  const body = answer.subarray(end + 1);
  if (head.startsWith('ok ') && Number(head.slice(3)) === body.length) return body;
  if (head.startsWith('error ')) throw new Error(head.slice(6));
  throw new Error('The running forum sent an incomplete backup; try again.');
}

/** Reads one request line (at most 200 bytes, within 10 s); `onBackup` when it carries the key. */
function readRequest(socket: net.Socket, key: string, onBackup: () => void) {
  socket.on('error', () => {});
  socket.setTimeout(10_000, () => socket.destroy());
  let request = '';
  const onData = (chunk: Buffer) => {
    request += chunk.toString('latin1');
    if (request.length > 200) return socket.destroy();
    const end = request.indexOf('\n');
    if (end < 0) return;
    socket.off('data', onData);
    socket.setTimeout(0);
    if (!sameKey(request.slice(0, end), `backup ${key}`))
      return void socket.end('error This request does not carry the forum key.\n');
    onBackup();
  };
  socket.on('data', onData);
}

async function sendDump(
  socket: net.Socket,
  dump: () => Promise<Blob>,
  onError: (error: unknown) => void,
) {
  try {
    const bytes = Buffer.from(await (await dump()).arrayBuffer());
    socket.write(`ok ${bytes.length}\n`);
    socket.end(bytes);
  } catch (error) {
    onError(error);
    socket.end(`error The forum could not copy its database: ${(error as Error).message}\n`);
  }
}
