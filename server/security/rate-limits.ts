import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** Per-member limit on writes; visitors are keyed by address (they are sent to log in anyway). */
export function writeLimit(config: Readonly<Config>) {
  return {
    rateLimit: {
      max: config.rateLimits.writes,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) =>
        request.member ? `member:${request.member.id}` : request.ip,
    },
  };
}
