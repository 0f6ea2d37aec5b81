import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';

/**
 * The Redis connection that several instances share their rate limits through, when REDIS_URL
 * is set; none otherwise (limits then count per process, in memory). It fails fast: a Redis
 * that does not answer within half a second makes the limits skip, not the forum stop.
 */
export function openSharedStore(app: FastifyInstance, redisUrl: string | undefined) {
  if (!redisUrl) return undefined;
  const redis = new Redis(redisUrl, {
    connectTimeout: 500,
    maxRetriesPerRequest: 1,
    connectionName: 'partner-stories',
  });
  // Reconnection is ioredis's job; an error here must not take the process down.
  redis.on('error', (error: Error) => app.log.warn({ err: error }, 'redis unavailable'));
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
