import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase, type Database, type DB } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { onReplica } from '../db/replica.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    database: Database;
  }
}

/** Set after a write: until then, this browser's pages are read from the primary. */
export const READ_PRIMARY_COOKIE = 'read_primary_until';

/** Opens the database, brings its schema up to date, and closes it after the last request. */
export const databasePlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      replicaUrl: config.databaseReplicaUrl,
      dataDir: config.dataDir,
      onQueryError: (error) => app.log.error({ err: error }, 'query failed'),
      // The SQL text shows which query; its parameters are members' data and stay out of logs.
      slowQueryMs: config.slowQueryMs,
      onSlowQuery: (sql, durationMs) => app.log.warn({ sql, durationMs }, 'slow query'),
      limits: config.database,
      // The request whose query it broke, if any, is answered 503 and logged on its own.
      onConnectionLost: (error) => app.log.warn({ err: error }, 'database connection lost'),
    });
    try {
      // A migration may take longer than a page's statement timeout allows.
      await database.withoutTimeouts(migrateToLatest);
    } catch (error) {
      await database.close();
      throw error;
    }
    app.decorate('database', database);
    app.decorate('db', database.db);
    app.addHook('onClose', async () => database.close());
    if (config.databaseReplicaUrl) routeReadsToReplica(app, config.replicaLagMs);
  },
  { name: 'database' },
);

/**
 * Sends the page queries of GET requests to the read replica, and everything else to the
 * primary: writes, the session lookup (it runs before the handler), and a browser's pages for
 * `lagMs` after it wrote anything, so members see their own post, vote or setting at once
 * (read-your-writes) even while the replica is up to `lagMs` behind.
 */
function routeReadsToReplica(app: Parameters<typeof databasePlugin>[0], lagMs: number) {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.every((method) => method === 'GET' || method === 'HEAD')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const call = () => handler.call(this as never, request, reply);
      return wroteLately(request) ? call() : onReplica(call);
    } as RouteHandlerMethod;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (write && reply.statusCode < 400) {
      const until = Date.now() + lagMs;
      reply.setCookie(READ_PRIMARY_COOKIE, String(until), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        expires: new Date(until),
      });
    }
    return payload;
  });
}

function wroteLately(request: FastifyRequest): boolean {
  const until = Number(request.cookies[READ_PRIMARY_COOKIE]);
  return Number.isFinite(until) && until > Date.now();
}
