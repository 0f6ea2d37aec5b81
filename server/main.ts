import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseBusyError } from './db/lock.js';
import { MigrationError } from './db/migrate.js';
import { WrongSecretError } from './accounts/anonymous-backfill.js';
import { ListenError, listenProblem } from './listen-errors.js';

/**
 * Starts the forum, and stops it on SIGTERM or SIGINT within SHUTDOWN_TIMEOUT_MS whatever its
 * clients do: it stops accepting connections, closes idle keep-alive ones, lets requests in flight
 * finish, then closes the database. At three quarters of the time it cuts the connections still
 * open (a client trickling its request, an answer nobody reads) so the database still closes
 * cleanly; at the full time, or on a second signal, it exits with 1 whatever is left.
 */
async function main() {
  const config = loadConfig();
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  // The first start creates the database and applies every migration: say so, not silence.
  console.log(`Starting Partner Stories: opening ${where} and applying any pending migrations…`);
  const started = Date.now();
  const app = await buildApp(config);
  console.log(`Database ready (${Math.round((Date.now() - started) / 1000)} s); opening the port…`);
  // Answers still being worked on when shutdown begins will say "Connection: close", so that no
  // client sends another request on a connection that is about to be closed.
  const unanswered = new Set<ServerResponse>();
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (response.writableEnded) return;
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    const timeout = config.shutdownTimeoutMs;
    app.log.info({ signal, timeoutMs: timeout }, 'shutting down');
    for (const response of unanswered) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    // Keep-alive connections fall idle as their last answer goes out; close each one then.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    const cut = setTimeout(
      () => {
        app.log.warn('shutdown: closing the connections still open');
        app.server.closeAllConnections();
      },
      Math.floor(timeout * 0.75),
    );
    const deadline = setTimeout(() => {
      app.log.error({ timeoutMs: timeout }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeout);
    for (const timer of [idle, cut, deadline]) timer.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    // Closed first, so the database (and its lock) is left as it was found.
    await app.close();
    throw listenProblem(error, config, 'npm start') ?? error;
  });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`Partner Stories is ready on ${where}. Open http://${shown}:${config.port}/`);
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseBusyError ||
    error instanceof MigrationError ||
    error instanceof WrongSecretError ||
    error instanceof ListenError
  ) {
    console.error(error.message);
  } else {
    console.error('The forum could not start:', error);
  }
  process.exit(1);
});
