import type { FastifyInstance } from 'fastify';

const ABOUT =
  "Who Partner Stories is for and how it works: providers' stories about vendors' partner programs, anonymous when needed, adding up to an honest reputation.";

/** Pages that say how the forum works, for everyone. */
export async function aboutRoutes(app: FastifyInstance) {
  app.get('/about/anonymity', async (_request, reply) =>
    reply.page('about/anonymity', {
      title: 'What anonymity protects, and what it cannot',
    }),
  );
  app.get('/about', async (_request, reply) =>
    reply.page('about/about', { title: 'About', description: ABOUT }),
  );
  app.get('/guidelines', async (_request, reply) =>
    reply.page('about/guidelines', {
      title: 'Community guidelines',
      description:
        'What may be posted about a vendor, what gets removed, and why people are never named.',
    }),
  );
  app.get('/privacy', async (_request, reply) =>
    reply.page('about/privacy', {
      title: 'Privacy',
      description: 'What the forum stores about you, who sees it, and what anonymity covers.',
    }),
  );
  app.get('/terms', async (_request, reply) =>
    reply.page('about/terms', { title: 'Terms of use' }),
  );
  app.get('/about/scores', async (_request, reply) =>
    reply.page('about/scores', { title: 'How the score works' }),
  );
}
