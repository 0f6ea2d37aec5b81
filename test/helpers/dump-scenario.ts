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

export type Dump = Map<string, Record<string, unknown>[]>;

/** A vendor's official response posted in the scenario. */
export interface KnownResponse {
  id: number;
  threadId: number;
  /** Whether the story it answers is anonymous. */
  anonymousStory: boolean;
  hidden: boolean;
}

/** A story author's resolution mark, with every table just before and just after it. */
export interface KnownMark {
  author: string;
  threadId: number;
  anonymous: boolean;
  resolution: string;
  before: Dump;
  after: Dump;
}

export interface Scenario {
  members: Record<string, { id: number; client: TestClient }>;
  anonymous: KnownPost[];
  /** The member whose account is deleted at the end, and their anonymous posts' pages before. */
  deleted: { username: string; id: number; pagesBefore: Map<string, string> };
  /** Every table just before the account deletion, which re-seals everyone's posts. */
  beforeDeletion: Dump;
  /** Vendors answer: a representative, their official responses, the authors' marks. */
  vendors: {
    representative: string;
    vendorSlug: string;
    /** The representative's own anonymous story about the vendor, told before the grant. */
    representativeAnonymousStory: number;
    grant: { before: Dump; after: Dump };
    responses: KnownResponse[];
    marks: KnownMark[];
  };
}

/**
 * A forum after a bit of everything that touches anonymity: several members, named and anonymous
 * stories and replies, votes, edits, a representative of a vendor granted by an admin, their
 * official responses to anonymous and named stories (one edited, one hidden by a moderator), the
 * authors' resolution marks, notices read and unread, reports, a story held by reports, a
 * suspension through an anonymous post, a vendor merge that brings two anonymous stories of one
 * author together, and an account deletion. Later features add their own steps here, so the
 * dump test covers their tables too.
 */
export async function runDumpScenario(app: FastifyInstance): Promise<Scenario> {
  const members: Scenario['members'] = {};
  for (const name of ['alma', 'bruno', 'carla', 'dmitri', 'eve', 'moderna', 'admina', 'rhea']) {
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
  await updateRole(app.db, 'admina', 'admin');
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
  const almaNamed = await postStory(c('alma'), {
    title: 'Alma under her own name',
    vendors: 'Contoso',
  });
  await anonReply('alma', brunoNamed, 'Alma agrees, anonymously');
  await postReply(c('alma'), brunoNamed, 'Alma agrees, by name');
  const brunoAnon = await anonStory('bruno', 'Bruno on Contoso, quietly', 'Contoso');
  await anonReply('bruno', brunoAnon, 'Bruno answers in his own anonymous story');
  const dmitriReply = await anonReply('dmitri', almaA, 'Dmitri replies anonymously to Alma');
  await postReply(c('eve'), almaA, 'Eve replies by name to Alma');
  await postReply(c('eve'), brunoAnon, 'Eve replies by name to Bruno');
  const eveNamed = await postStory(c('eve'), { title: 'Eve has a story too', vendors: 'Contoso' });
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

  const vendors = await vendorsAnswer(app, members, anonStory, { almaNamed, eveNamed, brunoAnon });

  // Notices: Bruno reads his (Contoso's answer to his anonymous story among them), Alma does
  // not; the representative reads the new stories about Contoso.
  expect((await markNoticesRead(c('bruno'))).statusCode).toBe(303);
  expect((await markNoticesRead(c('rhea'))).statusCode).toBe(303);

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
    vendors,
  };
}

/**
 * Vendors answer: Rhea, who told Contoso stories by name and anonymously before, is made its
 * representative by an admin through the vendor's moderation page; she answers anonymous and
 * named stories about it, edits one answer, and a moderator hides another; the stories' authors,
 * anonymous and named, mark whether Contoso resolved them.
 */
async function vendorsAnswer(
  app: FastifyInstance,
  members: Scenario['members'],
  anonStory: (author: string, title: string, vendors: string) => Promise<number>,
  stories: { almaNamed: number; eveNamed: number; brunoAnon: number },
): Promise<Scenario['vendors']> {
  const c = (name: string) => members[name]!.client;
  await postStory(c('rhea'), { title: 'Rhea names Contoso, before her grant', vendors: 'Contoso' });
  const rheaAnon = await anonStory('rhea', 'Rhea on Contoso, quietly, before', 'Contoso');

  const beforeGrant = await dumpTables(app);
  await c('admina').get('/mod/vendors/contoso');
  const granted = await c('admina').post('/mod/vendors/contoso/representatives', {
    username: 'rhea',
    reason: 'Partner manager at Contoso',
    action: 'grant',
  });
  expect(granted.statusCode, granted.body.slice(0, 2000)).toBe(303);
  const grant = { before: beforeGrant, after: await dumpTables(app) };

  const eveAnon = await anonStory('eve', 'Eve on Contoso, quietly', 'Contoso');
  const dmitriAnon = await anonStory('dmitri', 'Dmitri on Contoso, quietly', 'Contoso');

  const responses: KnownResponse[] = [];
  const respond = async (threadId: number, anonymousStory: boolean, body: string) => {
    await c('rhea').get(`/threads/${threadId}`);
    const response = await c('rhea').post(`/threads/${threadId}/response`, { body });
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    const id = Number(/#response-(\d+)$/.exec(String(response.headers.location))![1]);
    responses.push({ id, threadId, anonymousStory, hidden: false });
    return id;
  };
  // Bruno's answer first: later replies elsewhere make it no longer the newest reply.
  await respond(stories.brunoAnon, true, 'Contoso here: we are looking into your deal.');
  const toEve = await respond(eveAnon, true, 'Contoso here: sorry about the wait.');
  const toDmitri = await respond(dmitriAnon, true, 'Contoso here: call our hotline.');
  await respond(stories.almaNamed, false, 'Contoso here: fixed, thank you Alma.');
  await respond(stories.eveNamed, false, 'Contoso here: we will call you.');

  await c('rhea').get(`/replies/${toEve}/edit`);
  const edited = await c('rhea').post(`/replies/${toEve}/edit`, {
    body: 'Contoso here: sorry about the wait, your registration is approved now.',
  });
  expect(edited.statusCode).toBe(303);

  const moderator = c('moderna');
  await moderator.get('/mod');
  const hidden = await moderator.post(`/mod/replies/${toDmitri}`, {
    action: 'hide',
    reason: 'an advertisement, not an answer',
    next: '/mod',
  });
  expect(hidden.statusCode).toBe(303);
  responses.find((r) => r.id === toDmitri)!.hidden = true;

  const marks: KnownMark[] = [];
  const mark = async (author: string, threadId: number, anonymous: boolean, resolution: string) => {
    await c(author).get(`/threads/${threadId}`);
    const before = await dumpTables(app);
    const response = await c(author).post(`/threads/${threadId}/resolution`, { resolution });
    expect(response.statusCode, `${author} marks ${threadId}`).toBe(303);
    marks.push({ author, threadId, anonymous, resolution, before, after: await dumpTables(app) });
  };
  await mark('bruno', stories.brunoAnon, true, 'not-resolved');
  await mark('eve', eveAnon, true, 'resolved');
  await mark('alma', stories.almaNamed, false, 'resolved');
  await mark('eve', stories.eveNamed, false, 'not-resolved');
  // The hidden answer does not count: Dmitri has nothing to mark.
  await c('dmitri').get(`/threads/${dmitriAnon}`);
  expect(
    (await c('dmitri').post(`/threads/${dmitriAnon}/resolution`, { resolution: 'resolved' }))
      .statusCode,
  ).toBe(409);

  return {
    representative: 'rhea',
    vendorSlug: 'contoso',
    representativeAnonymousStory: rheaAnon,
    grant,
    responses,
    marks,
  };
}

/** Every table of the forum as a database user would read it, without ANON_SECRET. */
export async function dumpTables(app: FastifyInstance) {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not like 'kysely_%'
    order by table_name`.execute(app.db);
  const dump: Dump = new Map();
  for (const { table_name: table } of tables) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select xmin::text as "$xmin", * from ${sql.table(table)}`.execute(app.db);
    dump.set(table, rows);
  }
  return dump;
}
