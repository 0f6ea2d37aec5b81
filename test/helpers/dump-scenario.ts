import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { updateRole } from '../../server/accounts/queries.js';
import { TestClient, registerMember } from './client.js';
import { expect } from 'vitest';
import { markNoticesRead, postReply, postStory } from './content.js';

const PASSWORD = 'correct horse battery';

/** An anonymous post and who really wrote it: what a dump must not reveal. */
export interface KnownPost {
  kind: 'thread' | 'reply';
  id: number;
  threadId: number;
  author: string;
}

export interface Scenario {
  members: Record<string, { id: number; client: TestClient }>;
  anonymous: KnownPost[];
  /** The member whose account is deleted at the end, and their anonymous posts' pages before. */
  deleted: { username: string; id: number; pagesBefore: Map<string, string> };
  /** Every table just before the account deletion, which re-seals everyone's posts. */
  beforeDeletion: Map<string, Record<string, unknown>[]>;
}

/**
 * A forum after a bit of everything that touches anonymity: several members, named and anonymous
 * stories and replies, votes, edits, notices read and unread, reports, a story held by reports, a
 * suspension through an anonymous post, a vendor merge that brings two anonymous stories of one
 * author together, and an account deletion. Later features add their own steps here, so the
 * dump test covers their tables too.
 */
export async function runDumpScenario(app: FastifyInstance): Promise<Scenario> {
  const members: Scenario['members'] = {};
  for (const name of ['alma', 'bruno', 'carla', 'dmitri', 'eve', 'moderna']) {
    const client = new TestClient(app);
    await registerMember(client, name, PASSWORD);
    const { id } = await app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', name)
      .executeTakeFirstOrThrow();
    members[name] = { id, client };
  }
  await updateRole(app.db, 'moderna', 'moderator');
  // Established reporters (older than a week, with a post) can hold a story for review.
  await sql`update users set created_at = now() - interval '30 days'`.execute(app.db);
  const c = (name: string) => members[name]!.client;
  const anonymous: KnownPost[] = [];
  const anonStory = async (author: string, title: string, vendors: string) => {
    const id = await postStory(c(author), { title, vendors, anonymous: true, tier: 'Gold' });
    anonymous.push({ kind: 'thread', id, threadId: id, author });
    return id;
  };
  const anonReply = async (author: string, threadId: number, body: string) => {
    const id = await postReply(c(author), threadId, body, true);
    anonymous.push({ kind: 'reply', id, threadId, author });
    return id;
  };

  const brunoNamed = await postStory(c('bruno'), {
    title: 'Bruno names the vendor',
    vendors: 'Northwind',
  });
  const almaA = await anonStory('alma', 'Alma on Northwind, quietly', 'Northwind');
  const almaB = await anonStory('alma', 'Alma on Northwind Systems, quietly', 'Northwind Systems');
  await postStory(c('alma'), { title: 'Alma under her own name', vendors: 'Contoso' });
  await anonReply('alma', brunoNamed, 'Alma agrees, anonymously');
  await postReply(c('alma'), brunoNamed, 'Alma agrees, by name');
  const brunoAnon = await anonStory('bruno', 'Bruno on Contoso, quietly', 'Contoso');
  await anonReply('bruno', brunoAnon, 'Bruno answers in his own anonymous story');
  const dmitriReply = await anonReply('dmitri', almaA, 'Dmitri replies anonymously to Alma');
  await postReply(c('eve'), almaA, 'Eve replies by name to Alma');
  await postReply(c('eve'), brunoAnon, 'Eve replies by name to Bruno');
  await postStory(c('eve'), { title: 'Eve has a story too', vendors: 'Contoso' });
  await postStory(c('dmitri'), { title: 'Dmitri has a story too', vendors: 'Contoso' });

  // Carla leaves later: a named story, an anonymous one, and anonymous replies.
  await postStory(c('carla'), { title: 'Carla names a vendor', vendors: 'Fabrikam' });
  const carlaAnon = await anonStory('carla', 'Carla on Fabrikam, quietly', 'Fabrikam');
  await anonReply('carla', brunoNamed, 'Carla adds something anonymously');
  await anonReply('carla', carlaAnon, 'Carla follows up in her own story');

  // Votes, an edit.
  for (const [voter, path] of [
    ['eve', `/threads/${almaA}`],
    ['dmitri', `/threads/${almaA}`],
    ['bruno', `/threads/${almaB}`],
    ['alma', `/threads/${brunoAnon}`],
    ['carla', `/threads/${brunoNamed}`],
  ] as const) {
    await c(voter).get(path);
    await c(voter).post(`${path}/vote`, { value: 'up' });
  }
  await c('alma').get(`/threads/${almaB}/edit`);
  await c('alma').post(`/threads/${almaB}/edit`, {
    title: 'Alma on Northwind Systems, edited',
    body: 'Edited anonymously.',
    vendors: 'Northwind Systems',
    sentiment: 'bad',
    action: 'post',
  });

  // Notices: Bruno reads his, Alma does not.
  expect((await markNoticesRead(c('bruno'))).statusCode).toBe(303);

  // Reports: three established members hold Bruno's anonymous story for review.
  for (const reporter of ['eve', 'dmitri', 'carla']) {
    await c(reporter).get(`/threads/${brunoAnon}/report`);
    await c(reporter).post(`/threads/${brunoAnon}/report`, { reason: 'false-claim', note: '' });
  }

  // A report on an anonymous reply, dismissed by a moderator.
  await c('eve').get(`/replies/${dmitriReply}/report`);
  await c('eve').post(`/replies/${dmitriReply}/report`, { reason: 'other', note: 'hm' });
  await c('moderna').get('/mod');
  await c('moderna').post(`/mod/replies/${dmitriReply}`, { action: 'dismiss', reason: 'fine' });

  // A suspension through one of Alma's anonymous posts; a lock on another.
  const moderator = c('moderna');
  await moderator.get('/mod');
  await moderator.post(`/mod/threads/${almaB}`, {
    action: 'suspend',
    duration: '7',
    reason: 'too personal',
    next: '/mod',
  });
  await moderator.get('/mod');
  await moderator.post(`/mod/threads/${almaA}`, { action: 'lock', reason: 'heated', next: '/mod' });
  // A lock on Bruno's named story: the one kind of notice that is stored.
  await moderator.get('/mod');
  await moderator.post(`/mod/threads/${brunoNamed}`, {
    action: 'lock',
    reason: 'settled',
    next: '/mod',
  });

  // Northwind Systems is Northwind: the merge brings Alma's two anonymous stories together.
  await moderator.get('/mod');
  await moderator.post('/mod/vendors/merge', {
    from: 'northwind-systems',
    into: 'northwind',
    reason: 'same company',
  });

  // Carla deletes her account.
  const beforeDeletion = await dumpTables(app);
  const visitor = new TestClient(app);
  const pagesBefore = new Map<string, string>();
  for (const id of [carlaAnon, almaA]) {
    const url = `/threads/${id}`;
    pagesBefore.set(url, (await visitor.get(url)).body);
  }
  await c('carla').get('/account');
  await c('carla').post('/account/delete', { confirm_username: 'carla', password: PASSWORD });

  return {
    members,
    anonymous,
    deleted: { username: 'carla', id: members.carla!.id, pagesBefore },
    beforeDeletion,
  };
}

/** Every table of the forum as a database user would read it, without ANON_SECRET. */
export async function dumpTables(app: FastifyInstance) {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not like 'kysely_%'
    order by table_name`.execute(app.db);
  const dump = new Map<string, Record<string, unknown>[]>();
  for (const { table_name: table } of tables) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select xmin::text as "$xmin", * from ${sql.table(table)}`.execute(app.db);
    dump.set(table, rows);
  }
  return dump;
}
