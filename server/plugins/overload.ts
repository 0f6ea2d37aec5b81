import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { Config } from '../config.js';

/** Probes and metrics answer under any load: an orchestrator must see the process live. */
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);
const RETRY_AFTER_SECONDS = 5;
/** How often the pool's queue is looked at; event loop and heap are sampled every second. */
const POOL_CHECK_INTERVAL_MS = 100;

class OverloadedError extends Error {
  readonly statusCode = 503;
  readonly code = 'FST_UNDER_PRESSURE';
  constructor(reason: string) {
    super(`Overloaded: ${reason}`);
    this.name = 'OverloadedError';
  }
}

/**
 * Sheds requests early, with 503 and Retry-After, while the event loop lags, the heap is nearly
 * full, or more queries wait for a database connection than config.overload allows: a client
 * told at once to come back costs less than one that waits, gives up, and is served anyway.
 * Registered before the session plugin, so that a shed request does not touch the database.
 */
export const overloadPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const limits = config.overload;
    await app.register(underPressure, {
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      maxHeapUsedBytes: limits.maxHeapUsedBytes,
      healthCheck: async () => app.database.stats().waiting <= limits.maxPoolWaiting,
      healthCheckInterval: POOL_CHECK_INTERVAL_MS,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: async (request, reply, type) => {
        if (EXEMPT.has(request.routeOptions.url ?? '')) return;
        reply.header('retry-after', RETRY_AFTER_SECONDS);
        throw new OverloadedError(type === 'healthCheck' ? 'database pool queue' : type);
      },
    });
  },
  { name: 'overload', dependencies: ['database'] },
);
