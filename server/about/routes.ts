import type { FastifyInstance } from 'fastify';

/** Pages that say how the forum works, for everyone. */
export async function aboutRoutes(app: FastifyInstance) {
  app.get('/about/anonymity', async (_request, reply) =>
    reply.page('about/anonymity', {
      title: 'What anonymity protects, and what it cannot',
    }),
  );
  app.get('/about/scores', async (_request, reply) =>
    reply.page('about/scores', { title: 'How the score works' }),
  );
}
