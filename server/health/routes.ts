import type { FastifyInstance } from 'fastify';

const READY_TIMEOUT_MS = 2000;

export async function healthRoutes(app: FastifyInstance) {
  // Liveness: the process answers. Says nothing about the database on purpose, so that an
  // orchestrator does not restart a healthy process during a database outage.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Readiness: the database answers in time. The check has a connection of its own, so it does
  // not queue behind page queries, and it follows the database back without a restart.
  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(app.database.ping(), READY_TIMEOUT_MS);
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply
        .code(503)
        .header('retry-after', 5)
        .send({ status: 'unavailable', message: 'The database does not answer.' });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
