import { sql, type Kysely } from 'kysely';
import type { Member } from '../security/member.js';
import { createUser } from '../accounts/queries.js';
import type { DB } from '../db/schema.js';
import type { Sentiment, AreaRatings } from '../posts/vocabulary.js';
import { fileReport } from '../moderation/reports.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import type { Anonymity } from '../security/anonymity.js';
import { SUPPORT_AREAS } from '../posts/vocabulary.js';
import { SecondAnonymousStory } from '../threads/anonymous-voices.js';
import { createReply } from '../threads/replies.js';
import { createOfficialResponse } from '../threads/official-responses.js';
import { appendLog } from '../moderation/queries.js';
import { inTransaction } from '../db/transaction.js';
import { saveVendorProfile } from '../vendors/profile.js';
import { insertProgramChange } from '../vendors/program-changes.js';
import { createStory, type StoryInput } from '../threads/stories.js';
import { castVote } from '../votes/queries.js';
import { hotRankSql } from '../threads/ranking.js';
import { copyToVendorRows } from '../reputation/story-standing.js';
import {
  DEMO_MEMBERS,
  DEMO_PROGRAMS,
  DEMO_REPRESENTATIVES,
  responseText,
  DEMO_TIERS,
  DEMO_VENDORS,
  FIXED_STORIES,
  replyText,
  seededRandom,
  storyText,
} from './data.js';

export interface DemoLogins {
  moderator: string;
  member: string;
  /** Representatives of the two demo vendors that answer stories. */
  representatives: { username: string; vendor: string }[];
}

const STORIES = 260;
const REPLIES = 420;
const VOTES = 1200;
const DAY = 86_400_000;

type Random = ReturnType<typeof seededRandom>;

/**
 * Fills an empty forum with the demo data set through the app's own services, then spreads the
 * stories over the last two years and rebuilds what depends on their dates.
 */
export async function seedDemo(
  db: Kysely<DB>,
  anonymity: Anonymity,
  passwordHash: string,
): Promise<DemoLogins> {
  const random = seededRandom();
  const members = await createMembers(db, passwordHash);
  const writers = members.slice(1);
  const stories = await tellStories(db, anonymity, writers, random);
  for (let i = 0; i < REPLIES; i++) {
    await createReply(db, anonymity, random.pick(writers), random.pick(stories), {
      body: replyText(random),
      anonymous: random.int(4) === 0,
    });
  }
  await castVotes(db, members, stories, random);
  await spreadOverTime(db, stories, random);
  await fileReports(db, anonymity, members, stories);
  await describePrograms(db);
  await answerStories(db, anonymity, passwordHash, random);
  return {
    moderator: 'demo_moderator',
    member: DEMO_MEMBERS[0]!,
    representatives: DEMO_REPRESENTATIVES,
  };
}

async function createMembers(db: Kysely<DB>, passwordHash: string) {
  const members: Member[] = [];
  for (const username of ['demo_moderator', ...DEMO_MEMBERS]) {
    const role = username === 'demo_moderator' ? 'moderator' : 'member';
    members.push(await createUser(db, { username, passwordHash, role }));
  }
  return members;
}

/** The random stories, then the design's two cases, newest. */
async function tellStories(
  db: Kysely<DB>,
  anonymity: Anonymity,
  writers: Member[],
  random: Random,
) {
  const stories: number[] = [];
  for (let i = 0; i < STORIES; i++) {
    const story = await tellStory(db, anonymity, random.pick(writers), randomStory(random, i));
    stories.push(story.id);
  }
  for (const [index, fixed] of FIXED_STORIES.entries()) {
    const story = await tellStory(db, anonymity, writers[index]!, {
      title: fixed.title,
      body: fixed.body,
      vendorNames: [fixed.vendor],
      sentiment: fixed.sentiment,
      tier: fixed.tier,
      anonymous: index === 0,
      areas: fixed.areas,
    });
    stories.push(story.id);
  }
  return stories;
}

function randomStory(random: Random, index: number): StoryInput {
  const sentiment = random.pick<Sentiment>(['good', 'bad', 'bad', 'mixed', 'good']);
  const { title, body } = storyText(random, sentiment);
  const vendors = [
    random.pick(DEMO_VENDORS.slice(0, 12)),
    ...(random.int(5) === 0 ? [random.pick(DEMO_VENDORS)] : []),
  ];
  const areas: AreaRatings = {};
  for (const area of SUPPORT_AREAS)
    if (random.int(4) === 0) areas[area.key] = random.int(2) ? 'good' : 'bad';
  return {
    title: `${title} (${index + 1})`,
    body,
    vendorNames: [...new Set(vendors)],
    sentiment,
    tier: random.int(3) === 0 ? null : random.pick(DEMO_TIERS),
    anonymous: random.int(3) === 0,
    areas,
  };
}

async function castVotes(db: Kysely<DB>, members: Member[], stories: number[], random: Random) {
  for (let i = 0; i < VOTES; i++) {
    const voter = random.pick(members);
    const story = random.pick(stories);
    const author = await db
      .selectFrom('threads')
      .select(['author_id', 'anonymous'])
      .where('id', '=', story)
      .executeTakeFirstOrThrow();
    if (author.author_id === voter.id) continue;
    await castVote(db, 'thread', story, voter.id, random.int(5) === 0 ? -1 : 1);
  }
}

/** Three members report two stories, so the moderation queue has work in it. */
async function fileReports(
  db: Kysely<DB>,
  anonymity: Anonymity,
  members: Member[],
  stories: number[],
) {
  for (const [reporter, story] of [
    [3, stories[5]],
    [4, stories[5]],
    [6, stories[17]],
  ] as const) {
    await fileReport(
      db,
      anonymity,
      members[reporter]!,
      {
        kind: 'thread',
        postId: story!,
        reason: 'false-claim',
        note: 'This does not match our experience at all.',
      },
      { autoHideReporters: 3, reporterMinAgeDays: 7 },
    );
  }
}

/** Two vendors' programs: profile, tiers with their promises, and dated changes. */
async function describePrograms(db: Kysely<DB>) {
  for (const program of DEMO_PROGRAMS) {
    const vendor = await db
      .selectFrom('vendors')
      .select(['id', 'name', 'slug'])
      .where('name', '=', program.vendor)
      .executeTakeFirstOrThrow();
    await inTransaction(db, async (trx) => {
      await saveVendorProfile(
        trx,
        vendor.id,
        {
          website: program.website,
          category: program.category,
          programName: program.programName,
          tiers: program.tiers,
        },
        { username: 'demo_moderator', asRepresentative: false },
      );
      for (const change of program.changes) {
        const on = new Date();
        on.setUTCMonth(on.getUTCMonth() - change.monthsAgo, 12);
        await insertProgramChange(
          trx,
          vendor.id,
          { id: 0, username: 'demo_moderator', role: 'moderator' },
          {
            changedOn: on.toISOString().slice(0, 10),
            summary: change.summary,
            sourceUrl: change.source,
          },
        );
        await appendLog(trx, {
          moderator: 'demo_moderator',
          action: 'record-program-change',
          vendor: `${vendor.name} (${vendor.slug})`,
          reason: `${on.toISOString().slice(0, 10)}: ${change.summary}`,
        });
      }
    });
  }
}

/**
 * Two vendors answer: a representative each, an official response to most of their stories some
 * hours to weeks after the story, and their authors' marks, resolved or not, on many of them.
 */
async function answerStories(
  db: Kysely<DB>,
  anonymity: Anonymity,
  passwordHash: string,
  random: Random,
) {
  for (const { vendor: name, username } of DEMO_REPRESENTATIVES) {
    const member = await createUser(db, { username, passwordHash });
    const vendor = await db
      .selectFrom('vendors')
      .select(['id', 'name', 'slug'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('representatives')
      .values({
        user_id: member.id,
        vendor_id: vendor.id,
        since_thread_id: sql<number>`(select max(id) from threads)`,
      })
      .execute();
    await appendLog(db, {
      moderator: 'demo_moderator',
      action: 'grant-representative',
      vendor: `${vendor.name} (${vendor.slug})`,
      member: username,
      reason: "Verified through the vendor's partner portal (demo).",
    });
    const stories = await db
      .selectFrom('thread_vendors')
      .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
      .select(['threads.id', 'threads.created_at'])
      .where('thread_vendors.vendor_id', '=', vendor.id)
      .where('threads.deleted_at', 'is', null)
      .where('threads.hidden_at', 'is', null)
      .orderBy('threads.id')
      .execute();
    for (const story of stories) {
      if (random.int(10) < 3) continue; // about seven in ten answered
      const responseId = await createOfficialResponse(
        db,
        anonymity,
        member,
        story.id,
        { ...vendor },
        responseText(random),
      );
      const hours = 2 + random.int(random.int(3) === 0 ? 24 * 21 : 72);
      await sql`update replies set created_at = least(now(), ${story.created_at}::timestamptz + make_interval(hours => ${hours}))
                where id = ${responseId}`.execute(db);
      const mark = random.int(4);
      if (mark < 3)
        await db
          .updateTable('threads')
          .set({ resolution: mark < 2 ? 'resolved' : 'not-resolved' })
          .where('id', '=', story.id)
          .execute();
    }
  }
  // The answers' times moved: their figures are worked out again from the rows.
  await rebuildAggregates(db);
}

/** Posts a story; a member's second anonymous one about a vendor is told under their name. */
function tellStory(db: Kysely<DB>, anonymity: Anonymity, member: Member, input: StoryInput) {
  return createStory(db, anonymity, member, input).catch((error: unknown) => {
    if (!(error instanceof SecondAnonymousStory)) throw error;
    return createStory(db, anonymity, member, { ...input, anonymous: false });
  });
}

/** Back-dates stories over two years (newest last), then rebuilds ranks, copies and aggregates. */
async function spreadOverTime(db: Kysely<DB>, stories: number[], random: Random) {
  const now = Date.now();
  for (const [index, id] of stories.entries()) {
    const spacing = (720 * DAY) / stories.length;
    const age = Math.round((stories.length - 1 - index) * spacing + random.next() * spacing * 0.5);
    await sql`update threads set created_at = date_trunc('hour', ${new Date(now - age)}::timestamptz) where id = ${id}`.execute(
      db,
    );
  }
  await sql`update threads set hot_rank = ${hotRankSql(sql<number>`score`, sql<Date>`created_at`)}`.execute(
    db,
  );
  await copyToVendorRows(db, 'all');
  await rebuildAggregates(db);
}
