import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError } from '../config.js';

/** Thrown when another process already holds the embedded database's files. */
export class DatabaseBusyError extends Error {
  constructor(readonly pid: number | undefined) {
    super(
      `The embedded database is in use by another process${pid ? ` (pid ${pid})` : ''}, most likely the running forum. ` +
        'Stop it first, then run this command again. (With DATABASE_URL set to a PostgreSQL server, ' +
        'commands can run while the forum runs.)',
    );
    this.name = 'DatabaseBusyError';
  }
}

/** The lock's name in the data directory: a Unix socket while a process holds it. */
export const LOCK_FILE = 'forum.lock';
/** Earlier versions' lock, a pid file; a pid alone cannot tell a live forum from a reused pid. */
const LEGACY_PID_FILE = 'forum.pid';
/** Unix socket paths are limited to 104 bytes on macOS and 108 on Linux, the final NUL included. */
const MAX_SOCKET_PATH = 103;

/**
 * PGlite's files belong to one process at a time; two processes writing them corrupt the data.
 * The holder listens on a Unix socket in the data directory (a named pipe on Windows). The
 * operating system closes it when the process dies however it dies, so the lock is never held by
 * a dead process: a socket file that refuses connections is left over from one, and is replaced.
 * A socket that accepts is a live holder, which answers with its pid for the error message.
 * The returned function releases the lock.
 */
export async function lockDataDir(dir: string): Promise<() => void> {
  mkdirSync(dir, { recursive: true });
  const address = lockAddress(dir);
  for (let attempt = 0; attempt < 5; attempt++) {
    const nonce = randomBytes(12).toString('hex');
    const server = await listen(address, nonce);
    if (server) {
      // Replacing a dead holder's socket races with another process doing the same at that
      // instant; whichever socket the path names afterwards wins, and the other gives way.
      if (attempt > 0 && (await probe(address)).nonce !== nonce) {
        server.close();
        continue;
      }
      rmSync(path.join(dir, LEGACY_PID_FILE), { force: true });
      return hold(server, address);
    }
    const holder = await probe(address);
    if (holder.alive) throw new DatabaseBusyError(holder.pid);
    if (process.platform !== 'win32') rmSync(address, { force: true });
  }
  throw new Error(`Could not lock the embedded database in ${dir}; try again.`);
}

function lockAddress(dir: string): string {
  const real = realpathSync(dir);
  if (process.platform === 'win32') {
    const hash = createHash('sha256').update(real.toLowerCase()).digest('hex').slice(0, 32);
    return `\\\\.\\pipe\\partner-stories-${hash}`;
  }
  const absolute = path.join(real, LOCK_FILE);
  if (Buffer.byteLength(absolute) <= MAX_SOCKET_PATH) return absolute;
  // A long DATA_DIR may still be reachable by a short relative path; the socket is the same file.
  const relative = path.relative(process.cwd(), absolute);
  if (Buffer.byteLength(relative) <= MAX_SOCKET_PATH) return relative;
  throw new ConfigError([
    `DATA_DIR is too long a path for the embedded database's lock (${absolute}); use one under ${MAX_SOCKET_PATH - LOCK_FILE.length} bytes`,
  ]);
}

/** Listens on the lock's address, or resolves undefined when something already is there. */
function listen(address: string, nonce: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.end(`${process.pid} ${nonce}\n`);
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    server.listen(address, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      // The lock must not keep the process alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

interface Holder {
  alive: boolean;
  pid?: number;
  nonce?: string;
}

/** Connects to the lock: refused or gone means nobody holds it. */
function probe(address: string): Promise<Holder> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    let answer = '';
    let connected = false;
    const done = () => {
      socket.destroy();
      const [pid, nonce] = answer.trim().split(' ');
      resolve({ alive: true, pid: Number(pid) > 0 ? Number(pid) : undefined, nonce });
    };
    // A holder that accepts but cannot answer (busy, stopped) is still alive.
    socket.setTimeout(1000, done);
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', done);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) return done();
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve({ alive: false });
      else reject(error);
    });
  });
}

function hold(server: net.Server, address: string): () => void {
  // process.exit() skips closing handles; the socket file then goes with the process.
  const onExit = () => {
    if (process.platform !== 'win32') rmSync(address, { force: true });
  };
  process.once('exit', onExit);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', onExit);
    server.close(); // also removes the socket file
  };
}
