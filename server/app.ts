import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.js';
import { backfillAnonymousPosts } from './accounts/anonymous-backfill.js';
import { aboutRoutes } from './about/routes.js';
import { accountRoutes } from './accounts/routes.js';
import { healthRoutes } from './health/routes.js';
import { homeRoutes } from './home/routes.js';
import { databasePlugin } from './plugins/database.js';
import { errorsPlugin } from './plugins/errors.js';
import { backupsPlugin } from './plugins/backups.js';
import { memberColumnsPlugin } from './plugins/member-columns.js';
import { metricsPlugin } from './plugins/metrics.js';
import { loggedUrl, serializeError } from './logging.js';
import { overloadPlugin } from './plugins/overload.js';
import { pageCachePlugin } from './plugins/page-cache.js';
import { openSharedStore } from './plugins/shared-store.js';
import { sessionPlugin } from './accounts/session-plugin.js';
import { typeboxValidatorCompiler } from './plugins/validation.js';
import { viewsPlugin } from './plugins/views.js';
import { assetsPlugin } from './plugins/assets.js';
import { suspensionsPlugin } from './suspensions/plugin.js';
import { vendorSuggestionsPlugin } from './vendors/suggestions.js';
import { createAnonymity } from './security/anonymity.js';
import { csrfPlugin } from './security/csrf.js';
import { inputPlugin } from './security/input.js';
import { editRoutes } from './threads/edit-routes.js';
import { threadRoutes } from './threads/routes.js';
import { userRoutes } from './users/routes.js';
import { vendorRoutes } from './vendor-pages/routes.js';
import { feedRoutes } from './feeds/routes.js';
import { moderationRoutes } from './moderation/routes.js';
import { searchRoutes } from './search/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { voteRoutes } from './votes/routes.js';
import { vendorDeskRoutes } from './vendor-desk/routes.js';
import { vendorProfileRoutes } from './vendor-profiles/routes.js';
import { mailPlugin } from './mail/plugin.js';
import { emailRoutes } from './email/routes.js';
import { followRoutes } from './follows/routes.js';
import { settingsRoutes } from './settings/routes.js';

class TooManyRequestsError extends Error {
  statusCode = 429;
}

/** Builds the whole forum for a configuration; never listens (main.ts and the tests do that). */
export async function buildApp(
  config: Readonly<Config>,
  // Tests read the log lines through this; the forum writes them to stdout.
  { logStream }: { logStream?: { write(line: string): void } } = {},
): Promise<FastifyInstance> {
  const app = createServer(config, logStream);
  await registerEcosystem(app, config);
  await registerForum(app, config);
  await registerFeatures(app, config);
  return app;
}

function createServer(config: Readonly<Config>, logStream?: { write(line: string): void }) {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      // No client addresses or cookies in logs: an address next to the URL of an anonymous
      // post would name its author to whoever reads the logs.
      serializers: {
        req: (request) => ({ method: request.method, url: loggedUrl(request.url) }),
        err: serializeError,
      },
    },
    // Fastify also accepts a number of hops here; its types only list the other forms.
    trustProxy: config.trustProxy as boolean | string,
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    logController: new AnsweredRequestsOnly(),
    // Time limits, so that no client holds a connection for long (a slow-header or slow-body
    // "slowloris" client included): headers within 15 s, the whole request within 30 s, 60 s of
    // silence at most while a request is open. Idle keep-alive connections stay 72 s, longer
    // than a reverse proxy's usual 60 s, so the proxy never reuses one the forum is closing.
    // Node checks the first two every 5 s (connectionsCheckingInterval; its default is 30 s).
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 72_000,
    http: { headersTimeout: 15_000, connectionsCheckingInterval: 5_000 },
    routerOptions: { ignoreTrailingSlash: true },
    // The database plugin opens the embedded database and runs the migrations: on a busy machine,
    // or a large forum, that takes far longer than Fastify's default of 10 s per plugin.
    pluginTimeout: 600_000,
  });
  app.setValidatorCompiler(typeboxValidatorCompiler);
  return app;
}

/** Fastify's own plugins: forms, cookies, security headers, rate limits, static files, views. */
async function registerEcosystem(app: FastifyInstance, config: Readonly<Config>) {
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    // Not "no-referrer": under it browsers send "Origin: null" on our own forms, and the
    // Origin check must see the real origin. "same-origin" still tells other sites nothing.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    // With REDIS_URL, every instance counts against the same limits.
    redis: openSharedStore(app, config.redisUrl),
    nameSpace: `${config.redisPrefix}rate-limit:`,
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `Too many attempts from your address. Please wait ${context.after} and try again.`,
      ),
  });
  await app.register(assetsPlugin);
  await app.register(viewsPlugin, { config });
}

/** The forum's cross-cutting plugins, and the one-off upgrade of anonymous posts at start. */
async function registerForum(app: FastifyInstance, config: Readonly<Config>) {
  await app.register(metricsPlugin, { config });
  await app.register(inputPlugin);
  await app.register(pageCachePlugin, { config });
  app.decorate('anonymity', createAnonymity(config.anonSecret));
  await app.register(databasePlugin, { config });
  await app.register(backupsPlugin, { config });
  try {
    // A one-off upgrade may take longer than a page's statement timeout.
    await app.database.withoutTimeouts((db) => backfillAnonymousPosts(db, app.anonymity));
  } catch (error) {
    await app.close();
    throw error;
  }
  await app.register(overloadPlugin, { config });
  await app.register(sessionPlugin, { config });
  await app.register(memberColumnsPlugin);
  await app.register(suspensionsPlugin);
  await app.register(csrfPlugin, { config });
  await app.register(errorsPlugin);
  await app.register(mailPlugin, { config });
}

/** Every feature's routes. */
async function registerFeatures(app: FastifyInstance, config: Readonly<Config>) {
  await app.register(vendorSuggestionsPlugin);
  await app.register(healthRoutes);
  await app.register(homeRoutes);
  await app.register(aboutRoutes);
  await app.register(accountRoutes, { config });
  await app.register(settingsRoutes, { config });
  await app.register(emailRoutes, { config });
  await app.register(threadRoutes, { config });
  await app.register(editRoutes, { config });
  await app.register(vendorRoutes);
  await app.register(userRoutes);
  await app.register(voteRoutes, { config });
  await app.register(feedRoutes);
  await app.register(moderationRoutes, { config });
  await app.register(searchRoutes, { config });
  await app.register(notificationRoutes, { config });
  await app.register(vendorDeskRoutes);
  await app.register(vendorProfileRoutes, { config });
  await app.register(followRoutes, { config });
}

function cspDirectives(config: Readonly<Config>) {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    ...(config.env === 'production' ? { upgradeInsecureRequests: [] } : {}),
  };
}

/**
 * One log line per request, "request completed" with its method, URL, status and time, instead
 * of Fastify's two (it also logs each request as it comes in): logging was a tenth of a cached
 * page's time. A request that errored keeps Fastify's own "request errored" line.
 */
class AnsweredRequestsOnly extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (error) return super.requestCompleted(error, request, reply);
    reply.log.info(
      { req: request, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
}
