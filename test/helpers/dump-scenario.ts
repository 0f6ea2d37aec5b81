import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { updateRole } from '../../server/accounts/queries.js';
import { TestClient, registerMember } from './client.js';
import { expect } from 'vitest';
import { markNoticesRead, postReply, postStory } from './content.js';
import { linkPath, type MailCatcher, type ReceivedMail } from './mail.js';
import { mailDueNotices } from '../../server/email/digests.js';
import { setTimeout as sleep } from 'node:timers/promises';

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
  /** Mail: addresses, follows, links, digests, a reset (only with a MailCatcher). */
  mail?: MailScenario;
}

/**
 * A forum after a bit of everything that touches anonymity: several members, named and anonymous
 * stories and replies, votes, edits, a representative of a vendor granted by an admin, their
 * official responses to anonymous and named stories (one edited, one hidden by a moderator), the
 * authors' resolution marks, notices read and unread, reports, a story held by reports, a
 * suspension through an anonymous post, a vendor merge that brings two anonymous stories of one
 * author together, and an account deletion. Later features add their own steps here, so the
 * dump test covers their tables too.
 *
 * With `smtp` (a MailCatcher whose url the app was built with), members also give addresses,
 * follow vendors, get mail about anonymous stories, and reset passwords (see mailBeforeDeletion
 * and mailAfterDeletion); without it there is nowhere to read the mailed links from, and the
 * scenario sends no mail.
 */
export async function runDumpScenario(
  app: FastifyInstance,
  options: { smtp?: MailCatcher } = {},
): Promise<Scenario> {
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

  const mailing = options.smtp
    ? await mailBeforeDeletion(app, options.smtp, members, anonymous, anonStory, anonReply)
    : undefined;

  // Carla deletes her account.
  const beforeDeletion = await dumpTables(app);
  const visitor = new TestClient(app);
  const pagesBefore = new Map<string, string>();
  for (const id of [carlaAnon, almaA]) {
    const url = `/threads/${id}`;
    pagesBefore.set(url, (await visitor.get(url)).body);
  }
  await c('carla').get('/account');
  const deletion = await c('carla').post('/account/delete', {
    confirm_username: 'carla',
    password: PASSWORD,
  });
  expect(deletion.statusCode).toBe(200);

  const mail = mailing && (await mailAfterDeletion(app, members, mailing));

  return {
    members,
    anonymous,
    deleted: { username: 'carla', id: members.carla!.id, pagesBefore },
    beforeDeletion,
    vendors,
    ...(mail ? { mail } : {}),
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

/** The forum's newest story and reply: what a member's mail marks and follows start from. */
export interface Newest {
  stories: number;
  replies: number;
}

/**
 * The addresses members give: distinctive, local part and domain alike, so that a dump can be
 * searched for them (and for their domains) in any case and encoding.
 */
export const DUMP_ADDRESSES = {
  alma: 'A.Lindqvist@Northwind-Dump-Test.example',
  bruno: 'b.okafor@fabrikam-mailbox-dump.example',
  carla: 'c.ferreira@leaving-member-dump.example',
  dmitri: 'd.volkov@tailspin-dump-test.example',
  dmitriLater: 'dv.second@second-inbox-dump.example',
  eve: 'e.nakamura@eve-private-dump.example',
  rhea: 'r.santos@unconfirmed-dump-test.example',
} as const;

export interface MailScenario {
  smtp: MailCatcher;
  /** Every address each member gave, older ones included, in the order given. */
  addresses: Record<string, string[]>;
  /** The forum's newest story and reply at every moment a member's mail marks were set. */
  newestAt: Newest[];
  /** The forum's newest story and reply when Alma's last mail (refused, still queued) was made. */
  almaLastMail: Newest;
  /** The vendors each member follows (Carla's went with her account). */
  follows: Record<string, string[]>;
  /** The replies Eve's first mail listed: all in her own anonymous stories. */
  eveMailedReplies: number[];
  /** Mail queued for Carla when she deleted her account (none of it may stay). */
  carlaQueued: number;
  /** Mail the SMTP server refused at the end: still queued, to be tried again later. */
  refused: number;
  /** Who still has mail waiting in the queue when the scenario ends. */
  waiting: string[];
}

/** The forum's newest story and reply ids now. */
async function newest(app: FastifyInstance): Promise<Newest> {
  const { rows } = await sql<{ stories: number; replies: number }>`
    select coalesce((select max(id) from threads), 0)::int as stories,
           coalesce((select max(id) from replies), 0)::int as replies`.execute(app.db);
  return { stories: Number(rows[0]!.stories), replies: Number(rows[0]!.replies) };
}

/** Waits, without a fixed sleep, until `condition` holds (work done after a page answered). */
async function until(what: string, condition: () => Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(20);
  }
}

/**
 * Sends what the queue holds until `count` mails have reached `address`, and no more: the mail
 * a member would find in their inbox.
 */
async function receive(
  app: FastifyInstance,
  smtp: MailCatcher,
  address: string,
  count: number,
): Promise<ReceivedMail[]> {
  await until(`${count} mail(s) to ${address}`, async () => {
    const { failed } = await app.mail.drain();
    expect(failed, 'mail the SMTP server refused').toBe(0);
    return smtp.to(address).length >= count;
  });
  const mails = smtp.to(address);
  expect(
    mails.map((mail) => mail.subject),
    `mail to ${address}`,
  ).toHaveLength(count);
  return mails;
}

/**
 * Mail, before Carla leaves: members give addresses and confirm them through the mailed link (one
 * moves to another address), choose how often to be mailed, and follow vendors; then come
 * anonymous stories about followed vendors and replies to anonymous stories, mailed right away
 * to those who want it so, and a day later as daily digests, queued and not yet sent when Carla
 * deletes her account.
 */
async function mailBeforeDeletion(
  app: FastifyInstance,
  smtp: MailCatcher,
  members: Scenario['members'],
  anonymous: KnownPost[],
  anonStory: (author: string, title: string, vendors: string) => Promise<number>,
  anonReply: (author: string, threadId: number, body: string) => Promise<number>,
) {
  const c = (name: string) => members[name]!.client;
  const addresses: Record<string, string[]> = {};
  const newestAt: Newest[] = [];
  const markNewest = async () => {
    const now = await newest(app);
    newestAt.push(now);
    return now;
  };
  const giveAddress = async (name: string, address: string) => {
    await c(name).get('/account');
    const saved = await c(name).post('/account/email', { email: address });
    expect(saved.statusCode, `${name} gives an address`).toBe(303);
    (addresses[name] ??= []).push(address);
  };
  const confirm = async (name: string, address: string, count: number) => {
    const mails = await receive(app, smtp, address, count);
    const mail = mails.filter((m) => m.subject.startsWith('Confirm')).at(-1)!;
    const page = await new TestClient(app).get(linkPath(mail, '/email/confirm/'));
    expect(page.statusCode, `${name} confirms ${address}`).toBe(200);
    expect(page.body).toContain('Your address is confirmed');
    await markNewest();
  };

  // A named story first. The forum's newest story is Dmitri's anonymous one, and a follow (like
  // a mail mark) starts from the forum's newest story: followed now, it would be his own.
  await postStory(c('moderna'), { title: 'Moderna on Tailspin, by name', vendors: 'Tailspin' });

  const given = ['alma', 'bruno', 'carla', 'dmitri', 'eve'] as const;
  for (const name of given) await giveAddress(name, DUMP_ADDRESSES[name]);
  for (const name of given) await confirm(name, DUMP_ADDRESSES[name], 1);
  // Dmitri moves to another address: the old one is told, the new one confirmed.
  await giveAddress('dmitri', DUMP_ADDRESSES.dmitriLater);
  const [, changed] = await receive(app, smtp, DUMP_ADDRESSES.dmitri, 2);
  expect(changed!.subject).toBe('Your address on Partner Stories was changed');
  await confirm('dmitri', DUMP_ADDRESSES.dmitriLater, 1);

  const frequencies = {
    alma: 'immediate',
    bruno: 'daily',
    carla: 'daily',
    dmitri: 'immediate',
    eve: 'immediate',
  };
  for (const [name, frequency] of Object.entries(frequencies)) {
    await c(name).get('/account');
    const chosen = await c(name).post('/account/email/frequency', { frequency });
    expect(chosen.statusCode, `${name} chooses ${frequency}`).toBe(303);
    await markNewest();
  }

  const follows: Record<string, string[]> = {
    alma: ['contoso', 'fabrikam'],
    bruno: ['northwind', 'contoso'],
    carla: ['contoso'],
    dmitri: ['northwind'],
    eve: ['northwind', 'contoso'],
  };
  for (const [name, slugs] of Object.entries(follows))
    for (const slug of slugs) {
      expect((await c(name).get(`/vendors/${slug}`)).statusCode).toBe(200);
      const followed = await c(name).post(`/vendors/${slug}/follow`, { action: 'follow' });
      expect(followed.statusCode, `${name} follows ${slug}`).toBe(303);
    }
  await markNewest();

  // News: anonymous stories about followed vendors (Eve and Dmitri follow Northwind: their own
  // stories about it are no news to them), replies to anonymous stories.
  const eveAnon = anonymous.find((p) => p.kind === 'thread' && p.author === 'eve')!.id;
  const eveNorthwind = await anonStory('eve', 'Eve on Northwind, quietly', 'Northwind');
  const dmitriNorthwind = await anonStory('dmitri', 'Dmitri on Northwind, quietly', 'Northwind');
  const brunoFabrikam = await anonStory('bruno', 'Bruno on Fabrikam, quietly', 'Fabrikam');
  await anonStory('admina', 'Admina on Contoso, quietly', 'Contoso');
  const toEve = await postReply(c('bruno'), eveAnon, 'Bruno asks Eve how it went, by name');
  const toEveAgain = await anonReply('dmitri', eveNorthwind, 'Dmitri has seen it too, anonymously');
  await postReply(c('eve'), dmitriNorthwind, 'Eve answers Dmitri by name');
  await postReply(c('rhea'), brunoFabrikam, 'Rhea answers Bruno by name');
  // The forum's newest story and reply are named ones, about a vendor nobody follows: a mail
  // mark set to the last reply a mail listed, not the forum's newest, would differ from them.
  const closing = await postStory(c('admina'), {
    title: 'Admina closes the day',
    vendors: 'Tailspin',
  });
  await postReply(c('admina'), closing, 'Admina adds a note to her own story');

  // Right away: Alma, Dmitri and Eve.
  expect(await mailDueNotices(app)).toBe(3);
  await markNewest();
  const [, toAlma] = await receive(app, smtp, DUMP_ADDRESSES.alma, 2);
  expect(toAlma!.subject).toBe('2 new stories: your Partner Stories news');
  const [, toDmitri] = await receive(app, smtp, DUMP_ADDRESSES.dmitriLater, 2);
  expect(toDmitri!.subject).toBe('1 new story and 1 new reply: your Partner Stories news');
  expect(toDmitri!.text).toContain(`/threads/${eveNorthwind}\n`);
  expect(toDmitri!.text).not.toContain(`/threads/${dmitriNorthwind}\n`);
  const [, toEveMail] = await receive(app, smtp, DUMP_ADDRESSES.eve, 2);
  expect(toEveMail!.subject).toBe('2 new stories and 2 new replies: your Partner Stories news');
  expect(toEveMail!.text).toContain(`/threads/${dmitriNorthwind}\n`);
  expect(toEveMail!.text).not.toContain(`/threads/${eveNorthwind}\n`);
  for (const reply of [toEve, toEveAgain]) expect(toEveMail!.text).toContain(`/replies/${reply}\n`);

  // A day later, the daily digests of Bruno and Carla: queued, not yet sent when Carla leaves.
  expect(await mailDueNotices(app, new Date(Date.now() + 25 * 3_600_000))).toBe(2);
  await markNewest();
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from mail_queue
    where recipient = ${app.anonymity.mailRecipient(members.carla!.id)}`.execute(app.db);
  const carlaQueued = Number(rows[0]!.n);
  expect(carlaQueued).toBe(1);

  return {
    smtp,
    addresses,
    newestAt,
    follows,
    eveMailedReplies: [toEve, toEveAgain],
    carlaQueued,
  };
}

/**
 * Mail, after Carla left: Bruno's digest goes (hers went with her account); Eve resets her
 * password by her address; Alma's next mail is refused by the SMTP server and waits in the queue
 * with Dmitri's reset link, which he asked for by username, and the confirmation link of an
 * address Rhea gives last.
 */
async function mailAfterDeletion(
  app: FastifyInstance,
  members: Scenario['members'],
  before: Awaited<ReturnType<typeof mailBeforeDeletion>>,
): Promise<MailScenario> {
  const { smtp, addresses, newestAt } = before;
  const c = (name: string) => members[name]!.client;

  const [, digest] = await receive(app, smtp, DUMP_ADDRESSES.bruno, 2);
  expect(digest!.subject).toBe('3 new stories and 1 new reply: your Partner Stories daily digest');
  expect(smtp.to(DUMP_ADDRESSES.carla).map((mail) => mail.subject)).toEqual([
    'Confirm your address on Partner Stories',
  ]);

  // Eve forgot her password: she asks with her address, in capitals, and sets a new one.
  const visitor = new TestClient(app);
  await visitor.get('/password/forgot');
  const asked = await visitor.post('/password/forgot', { login: DUMP_ADDRESSES.eve.toUpperCase() });
  expect(asked.statusCode).toBe(200);
  expect(asked.body).toContain('Check your mail');
  const reset = (await receive(app, smtp, DUMP_ADDRESSES.eve, 3))[2]!;
  const resetPath = linkPath(reset, '/password/reset/');
  expect((await visitor.get(resetPath)).statusCode).toBe(200);
  const changed = await visitor.post(resetPath, { password: 'eve chose a new password' });
  expect(changed.statusCode).toBe(200);
  expect(changed.body).toContain('Your password is changed');
  const told = (await receive(app, smtp, DUMP_ADDRESSES.eve, 4))[3]!;
  expect(told.subject).toBe('Your password on Partner Stories was changed');
  expect((await c('eve').get('/account')).statusCode, "Eve's old session").toBe(303);

  // A named story about Fabrikam is news to Alma only; her mail is refused for now.
  await postStory(c('admina'), { title: 'Admina on Fabrikam, by name', vendors: 'Fabrikam' });
  expect(await mailDueNotices(app)).toBe(1);
  const almaLastMail = await newest(app);
  newestAt.push(almaLastMail);
  smtp.refuse = {
    code: 451,
    message: `4.2.2 Mailbox ${DUMP_ADDRESSES.alma} is over quota, try again later`,
  };
  const refused = await app.mail.drain();
  smtp.refuse = null;
  expect(refused).toEqual({ sent: 0, failed: 1 });

  // Dmitri asks for a reset link by username; the mail waits in the queue.
  await visitor.get('/password/forgot');
  const dmitriAsked = await visitor.post('/password/forgot', { login: 'dmitri' });
  expect(dmitriAsked.body).toContain('Check your mail');
  await until("Dmitri's reset link", async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from email_tokens
      where user_id = ${members.dmitri!.id} and purpose = 'reset'`.execute(app.db);
    return Number(rows[0]!.n) > 0;
  });

  // Rhea gives an address and has not confirmed it yet.
  await c('rhea').get('/account');
  const saved = await c('rhea').post('/account/email', { email: DUMP_ADDRESSES.rhea });
  expect(saved.statusCode).toBe(303);
  (addresses.rhea ??= []).push(DUMP_ADDRESSES.rhea);

  return {
    ...before,
    almaLastMail,
    refused: refused.failed,
    waiting: ['alma', 'dmitri', 'rhea'],
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
