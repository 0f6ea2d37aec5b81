import Fastify from 'fastify';
import { Eta } from 'eta';
import pg from 'pg';

// The bench's baseline, in its own process: the practical ceiling of this stack, a bare Fastify
// route reading 20 rows with one pg query and rendering them with one small Eta template. No
// sessions, no cookies, no logging: each forum page is reported as a share of this.
//
// DATABASE_URL (required), PORT (0: any free port). Prints "Baseline listening at <url>".

const TEMPLATE =
  '<!doctype html><html><body><ol><% for (const t of it.rows) { %><li><a href="/threads/<%= t.id %>"><%= t.title %></a> <%= t.score %></li><% } %></ol></body></html>';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  // As many connections as the forum's pool (DATABASE_POOL_SIZE's default).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const eta = new Eta({ autoEscape: true });
  const template = eta.compile(TEMPLATE);
  const app = Fastify();
  // ?queries=N: N - 1 more round trips to the database before the page's query (one-row
  // lookups by primary key, as a member's session and header are), one after the other: the
  // ceiling of a page that needs that many statements, whatever it renders.
  app.get<{ Querystring: { queries?: string } }>('/', async (request, reply) => {
    const queries = Math.min(20, Math.max(1, Number(request.query.queries ?? 1) || 1));
    for (let i = 1; i < queries; i++)
      await pool.query({
        name: `lookup`,
        text: 'select id, username from users where id = $1',
        values: [i],
      });
    const { rows } = await pool.query(
      'select id, title, score from threads order by id desc limit 20',
    );
    reply.type('text/html; charset=utf-8');
    return template.call(eta, { rows });
  });
  app.addHook('onClose', async () => pool.end());
  const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  console.log(`Baseline listening at ${url}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
