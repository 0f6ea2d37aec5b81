import { sql, type Kysely } from 'kysely';
import { createUser, updateProfile } from '../accounts/queries.js';
import type { DB } from '../db/schema.js';
import { HttpError } from '../http-errors.js';
import { inTransaction } from '../db/transaction.js';
import { ACTIONS, moderatePost } from '../moderation/actions.js';
import { appendLog } from '../moderation/queries.js';
import { fileReport, type ReportPolicy } from '../moderation/reports.js';
import { grantRepresentative } from '../moderation/representatives.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import { copyToVendorRows } from '../reputation/story-standing.js';
import type { Anonymity } from '../security/anonymity.js';
import type { Member, VendorRef } from '../security/member.js';
import { SecondAnonymousStory } from '../threads/anonymous-voices.js';
import { createOfficialResponse, setResolution } from '../threads/official-responses.js';
import { hotRankSql } from '../threads/ranking.js';
import { createReply } from '../threads/replies.js';
import { createStory } from '../threads/stories.js';
import { saveVendorProfile } from '../vendors/profile.js';
import { insertProgramChange } from '../vendors/program-changes.js';
import { castVote } from '../votes/queries.js';
import {
  DEMO_ADMIN,
  DEMO_MODERATOR,
  DEMO_PROGRAMS,
  DEMO_REPRESENTATIVES,
  FIXED_STORIES,
} from './data.js';
import {
  HOUR,
  planDemo,
  type PlannedEvent,
  type PlannedMember,
  type PlannedStory,
  type PostRef,
} from './plan.js';

/** Who can log in to the demo forum, all with the same password. */
export interface DemoLogins {
  admin: string;
  moderator: string;
  representatives: { username: string; vendor: string }[];
  members: { username: string; note: string | null }[];
}

export interface DemoSummary {
  logins: DemoLogins;
  /** Places worth a look, as paths: [path, what it shows]. */
  places: [string, string][];
  counts: { stories: number; replies: number; responses: number; votes: number; decisions: number };
}

export interface SeedOptions {
  /** When members' reports hide a post; the forum's own setting. */
  reportPolicy: ReportPolicy;
  /** Told each step as it ends, as a line for a newcomer. */
  progress?: (line: string) => void;
  /** The moment the demo forum is "now"; its two years end here. */
  now?: number;
}

type Step = (line: string) => void;

/**
 * Fills an empty forum with the demo plan (plan.ts) through the forum's own functions, in the
 * order things happened: members join, stories, replies and vendors' answers are posted, reports
 * are filed and moderators decide. Each is then dated to its time in the plan, and what depends
 * on the dates (ranks, the vendors' figures) is worked out again.
 */
export async function seedDemo(
  db: Kysely<DB>,
  anonymity: Anonymity,
  passwordHash: string,
  options: SeedOptions,
): Promise<DemoSummary> {
  const progress: Step = options.progress ?? (() => {});
  const started = Date.now();
  const plan = planDemo(options.now ?? started);
  const replay = new Replay(db, anonymity, plan.stories, options.reportPolicy, started);

  await replay.join(plan.members, passwordHash);
  progress(`  members… ${plan.members.length}`);

  await replay.tell(plan.events, progress);
  const replies = plan.stories.reduce((sum, story) => sum + story.replies.length, 0);
  const responses = plan.stories.filter((story) => story.response).length;
  progress(`  stories… ${plan.stories.length}, replies… ${replies}, vendor answers… ${responses}`);
  const { decisions, open } = await replay.moderation();
  progress(`  moderation… ${decisions} decisions in the log, ${open} reports open in the queue`);

  const votes = await replay.vote();
  progress(`  votes… ${votes}`);

  await replay.date();
  const since = new Date(plan.stories[0]!.at).toISOString().slice(0, 10);
  progress(`  dates and vendor figures… from ${since} to today`);

  return {
    logins: logins(plan.members, plan.events, plan.stories),
    places: replay.places(),
    counts: { stories: plan.stories.length, replies, responses, votes, decisions },
  };
}

/** The plan played through the forum's functions, remembering the ids and times it gave. */
class Replay {
  private readonly members = new Map<string, Member>();
  private readonly joined = new Map<number, number>();
  private readonly threadIds: number[] = [];
  private readonly replyIds: number[][] = [];
  /** The log's entries with their times in the plan, dated at the end (the log is append-only). */
  private readonly logTimes: { id: number; at: number }[] = [];
  private readonly revisionTimes: { vendorId: number; at: number }[] = [];
  private lastLogId = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly anonymity: Anonymity,
    private readonly stories: PlannedStory[],
    private readonly policy: ReportPolicy,
    /** When the replay began: what the forum stamps from then on is "now", to be dated back. */
    private readonly started: number,
  ) {}

  async join(members: PlannedMember[], passwordHash: string) {
    for (const planned of members) {
      const member = await createUser(this.db, {
        username: planned.username,
        passwordHash,
        role: planned.role,
      });
      if (planned.company || planned.bio)
        await updateProfile(this.db, member.id, { company: planned.company, bio: planned.bio });
      this.members.set(planned.username, member);
      this.joined.set(member.id, planned.joinedAt);
    }
    await this.setTimes(
      'users',
      'created_at',
      [...this.joined].map(([id, at]) => ({ id, at })),
    );
  }

  private member(username: string) {
    const member = this.members.get(username);
    if (!member) throw new Error(`the demo has no member ${username}`);
    return member;
  }

  /** Every post and decision of the plan, in the order they happened. */
  async tell(events: PlannedEvent[], progress: Step) {
    type Moment =
      | { at: number; kind: 'story'; story: number }
      | { at: number; kind: 'reply'; story: number; reply: number }
      | { at: number; kind: 'response'; story: number }
      | { at: number; kind: 'event'; event: PlannedEvent };
    const moments: Moment[] = [];
    this.stories.forEach((story, index) => {
      moments.push({ at: story.at, kind: 'story', story: index });
      story.replies.forEach((reply, r) =>
        moments.push({ at: reply.at, kind: 'reply', story: index, reply: r }),
      );
      if (story.response) moments.push({ at: story.response.at, kind: 'response', story: index });
    });
    for (const event of events) moments.push({ at: event.at, kind: 'event', event });
    // In time order; of two moments at the same time, the one planned first (sort is stable).
    moments.sort((a, b) => a.at - b.at);
    let told = 0;
    let nextQuarter = 1;
    for (const moment of moments) {
      if (moment.kind === 'story') {
        await this.story(moment.story);
        told++;
        if (told >= (this.stories.length * nextQuarter) / 4 && nextQuarter < 4) {
          progress(`  stories… ${told} of ${this.stories.length}`);
          nextQuarter++;
        }
      } else if (moment.kind === 'reply') await this.reply(moment.story, moment.reply);
      else if (moment.kind === 'response') await this.respond(moment.story);
      else await this.event(moment.event);
    }
    await this.setTimes(
      'threads',
      'created_at',
      this.stories.map((story, index) => ({ id: this.threadIds[index]!, at: story.at })),
    );
    await this.setTimes(
      'replies',
      'created_at',
      this.stories.flatMap((story, index) => [
        ...story.replies.map((reply, r) => ({ id: this.replyIds[index]![r]!, at: reply.at })),
      ]),
    );
  }

  private async story(index: number) {
    const story = this.stories[index]!;
    const member = this.member(story.author);
    const input = {
      title: story.title,
      body: story.body,
      vendorNames: [story.vendor],
      sentiment: story.sentiment,
      tier: story.tier,
      anonymous: story.anonymous,
      areas: story.areas,
    };
    const created = await createStory(this.db, this.anonymity, member, input).catch(
      (error: unknown) => {
        // The plan gives each member one anonymous voice per vendor; should it not, named.
        if (!(error instanceof SecondAnonymousStory)) throw error;
        story.anonymous = false;
        return createStory(this.db, this.anonymity, member, { ...input, anonymous: false });
      },
    );
    this.threadIds[index] = created.id;
    this.replyIds[index] = [];
  }

  private async reply(index: number, r: number) {
    const reply = this.stories[index]!.replies[r]!;
    this.replyIds[index]![r] = await createReply(
      this.db,
      this.anonymity,
      this.member(reply.author),
      this.threadIds[index]!,
      { body: reply.body, anonymous: reply.anonymous },
    );
  }

  /** The vendor's official response, dated when the plan says, and the author's mark on it. */
  private async respond(index: number) {
    const story = this.stories[index]!;
    const response = story.response!;
    const vendor = await this.vendor(story.vendor);
    const member = { ...this.member(response.author), represents: vendor };
    const id = await createOfficialResponse(
      this.db,
      this.anonymity,
      member,
      this.threadIds[index]!,
      vendor,
      response.body,
    );
    await this.setTimes('replies', 'created_at', [{ id, at: response.at }]);
    if (story.resolution) await setResolution(this.db, this.threadIds[index]!, story.resolution);
  }

  private async vendor(name: string): Promise<VendorRef> {
    return this.db
      .selectFrom('vendors')
      .select(['id', 'name', 'slug'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  }

  private post(ref: PostRef) {
    return ref.reply === undefined
      ? { kind: 'thread' as const, postId: this.threadIds[ref.story]! }
      : { kind: 'reply' as const, postId: this.replyIds[ref.story]![ref.reply]! };
  }

  private async event(event: PlannedEvent) {
    switch (event.kind) {
      case 'grant': {
        const vendor = await this.vendor(event.vendor);
        await grantRepresentative(this.db, this.member(DEMO_ADMIN), {
          vendor,
          username: event.username,
          reason: event.reason,
        });
        this.members.set(event.username, { ...this.member(event.username), represents: vendor });
        await sql`update representatives set granted_at = ${new Date(event.at)}
                  where user_id = ${this.member(event.username).id}`.execute(this.db);
        break;
      }
      case 'describe':
        await this.describe(event);
        break;
      case 'program-change': {
        const vendor = await this.vendor(event.vendor);
        const editor = this.member(event.editor);
        await inTransaction(this.db, async (trx) => {
          await insertProgramChange(trx, vendor.id, editor, {
            changedOn: event.changedOn,
            summary: event.summary,
            sourceUrl: event.source,
          });
          await appendLog(trx, {
            moderator: editor.username,
            action: 'record-program-change',
            vendor: `${vendor.name} (${vendor.slug})`,
            detail: editor.role === 'member' ? "by the vendor's representative" : null,
            reason: `${event.changedOn}: ${event.summary}`,
          });
        });
        await sql`update vendor_program_changes set created_at = ${new Date(event.at)}
                  where vendor_id = ${vendor.id} and changed_on = ${event.changedOn}`.execute(
          this.db,
        );
        break;
      }
      case 'report':
        await fileReport(
          this.db,
          this.anonymity,
          this.member(event.reporter),
          { ...this.post(event.post), reason: event.reason, note: event.note },
          this.policy,
        );
        break;
      case 'moderate':
        await moderatePost(this.db, this.anonymity, this.member(DEMO_MODERATOR), {
          ...this.post(event.post),
          action: event.action,
          reason: event.reason,
          ...(event.duration ? { duration: event.duration } : {}),
        }).catch((error: unknown) => {
          // Refused as it would be on the page (a forum set to hide posts after more reports
          // than the demo files has nothing to restore): the demo goes on without it.
          if (!(error instanceof HttpError && error.statusCode === 409)) throw error;
        });
        break;
    }
    await this.dateDecision(event);
  }

  /** A vendor's program described by its representative, as the profile form would save it. */
  private async describe(event: Extract<PlannedEvent, { kind: 'describe' }>) {
    const program = DEMO_PROGRAMS.find((candidate) => candidate.vendor === event.vendor)!;
    const vendor = await this.vendor(event.vendor);
    const editor = this.member(event.editor);
    const asRepresentative = editor.represents?.id === vendor.id;
    await inTransaction(this.db, async (trx) => {
      const summary = await saveVendorProfile(
        trx,
        vendor.id,
        {
          website: program.website,
          category: program.category,
          programName: program.programName,
          tiers: program.tiers,
        },
        { username: editor.username, asRepresentative },
      );
      await appendLog(trx, {
        moderator: editor.username,
        action: 'edit-vendor-profile',
        vendor: `${vendor.name} (${vendor.slug})`,
        detail: asRepresentative ? "by the vendor's representative" : null,
        reason: `Described the partner program from its public guide (changed: ${summary}).`,
      });
    });
    await sql`update vendor_profiles set updated_at = ${new Date(event.at)} where vendor_id = ${vendor.id}`.execute(
      this.db,
    );
    this.revisionTimes.push({ vendorId: vendor.id, at: event.at });
  }

  /**
   * What the event stamped "now" on, dated to the plan's time: reports filed or settled, posts
   * hidden or locked, notices sent; the log entries are collected and dated at the end (the log
   * is append-only). An anonymous post's times stay to the hour, as the forum keeps them.
   */
  private async dateDecision(event: PlannedEvent) {
    const at = new Date(event.at);
    const since = new Date(this.started);
    const hour = sql`date_trunc('hour', ${at}::timestamptz)`;
    const stamp = sql`case when anonymous then ${hour} else ${at}::timestamptz end`;
    if (event.kind === 'report' || event.kind === 'moderate') {
      for (const table of ['threads', 'replies'] as const)
        await sql`update ${sql.table(table)} set hidden_at = ${stamp} where hidden_at >= ${since}`.execute(
          this.db,
        );
      await sql`update threads set locked_at = ${stamp} where locked_at >= ${since}`.execute(
        this.db,
      );
      await sql`update reports set created_at = ${at} where created_at >= ${since}`.execute(
        this.db,
      );
      await sql`update reports set resolved_at = ${at} where resolved_at >= ${since}`.execute(
        this.db,
      );
      await sql`update notifications set created_at = ${hour}
                where created_at >= date_trunc('hour', ${since}::timestamptz)`.execute(this.db);
    }
    const logged = await this.db
      .selectFrom('moderation_log')
      .select(['id', 'thread_id', 'reply_id'])
      .where('id', '>', this.lastLogId)
      .orderBy('id')
      .execute();
    for (const entry of logged) {
      const anonymous = await this.anonymousPost(entry.thread_id, entry.reply_id);
      this.logTimes.push({
        id: entry.id,
        at: anonymous ? Math.floor(event.at / HOUR) * HOUR : event.at,
      });
      this.lastLogId = entry.id;
    }
  }

  private async anonymousPost(threadId: number | null, replyId: number | null) {
    if (replyId !== null) {
      const row = await this.db
        .selectFrom('replies')
        .select('anonymous')
        .where('id', '=', replyId)
        .executeTakeFirst();
      return row?.anonymous ?? false;
    }
    if (threadId === null) return false;
    const row = await this.db
      .selectFrom('threads')
      .select('anonymous')
      .where('id', '=', threadId)
      .executeTakeFirst();
    return row?.anonymous ?? false;
  }

  /** The moderators' decisions in the log, and the reports left for the queue. */
  async moderation() {
    const decisions = await this.db
      .selectFrom('moderation_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', 'in', [...ACTIONS])
      .executeTakeFirstOrThrow();
    const open = await sql<{
      n: number;
    }>`select count(distinct coalesce(reply_id, -thread_id))::int as n
      from reports where resolved_at is null`.execute(this.db);
    return { decisions: Number(decisions.n), open: open.rows[0]!.n };
  }

  /** Members' votes on stories and on the replies they found useful. */
  async vote() {
    let votes = 0;
    for (const [index, story] of this.stories.entries()) {
      for (const { voter, value } of story.votes) {
        await castVote(this.db, 'thread', this.threadIds[index]!, this.member(voter).id, value);
        votes++;
      }
      for (const [r, reply] of story.replies.entries())
        for (const voter of reply.upvoters) {
          await castVote(this.db, 'reply', this.replyIds[index]![r]!, this.member(voter).id, 1);
          votes++;
        }
    }
    return votes;
  }

  /**
   * The last dates: the log's entries and the profiles' revisions (append-only for the forum, so
   * their guards step aside for this one transaction), vendors as old as their first story; then
   * the ranks and every figure that depends on a story's date, worked out from the rows.
   */
  async date() {
    await inTransaction(this.db, async (trx) => {
      await sql`alter table moderation_log disable trigger moderation_log_append_only`.execute(trx);
      await sql`alter table vendor_profile_revisions disable trigger vendor_profile_revisions_append_only`.execute(
        trx,
      );
      await this.setTimes('moderation_log', 'created_at', this.logTimes, trx);
      for (const { vendorId, at } of this.revisionTimes)
        await sql`update vendor_profile_revisions set created_at = ${new Date(at)}
                  where vendor_id = ${vendorId} and created_at >= ${new Date(this.started)}`.execute(
          trx,
        );
      await sql`alter table vendor_profile_revisions enable trigger vendor_profile_revisions_append_only`.execute(
        trx,
      );
      await sql`alter table moderation_log enable trigger moderation_log_append_only`.execute(trx);
    });
    await sql`update vendors v set created_at = date_trunc('hour', f.first)
              from (select tv.vendor_id, min(t.created_at) as first
                    from thread_vendors tv join threads t on t.id = tv.thread_id
                    group by tv.vendor_id) f
              where v.id = f.vendor_id`.execute(this.db);
    await sql`update threads set hot_rank = ${hotRankSql(sql<number>`score`, sql<Date>`created_at`)}`.execute(
      this.db,
    );
    await copyToVendorRows(this.db, 'all');
    await rebuildAggregates(this.db);
  }

  /** Sets a time column row by row from the plan, in one statement per table. */
  private async setTimes(
    table: 'users' | 'threads' | 'replies' | 'moderation_log',
    column: 'created_at',
    rows: { id: number; at: number }[],
    db: Kysely<DB> = this.db,
  ) {
    for (let start = 0; start < rows.length; start += 1000) {
      const values = rows
        .slice(start, start + 1000)
        .map(({ id, at }) => sql`(${id}::int, ${new Date(at)}::timestamptz)`);
      await sql`update ${sql.table(table)} t set ${sql.ref(column)} = v.at
                from (values ${sql.join(values)}) as v(id, at) where t.id = v.id`.execute(db);
    }
  }

  /** Pages worth opening first: a vendor that answers, an answered story, the staff pages. */
  places(): [string, string][] {
    const path = (index: number) => `/threads/${this.threadIds[index]}`;
    const answered = this.stories.findLastIndex(
      (story) => story.resolution === 'resolved' && story.replies.length >= 3,
    );
    const newest = this.stories.findIndex((story) => story.title === FIXED_STORIES[1]!.title);
    const places: [string, string][] = [
      ['/', 'the front page: hot stories, newest with ?sort=new'],
      [
        `/vendors/globex-hardware`,
        `a vendor that answers: score, areas, tiers, trend with its program's changes`,
      ],
      ['/vendors', 'every vendor with its reputation'],
    ];
    if (newest >= 0)
      places.push([path(newest), 'the newest story, anonymous, with an official answer']);
    if (answered >= 0) places.push([path(answered), 'a story the vendor answered and resolved']);
    places.push(
      ['/search?q=deal+registration', 'search'],
      ['/mod/log', 'the moderation log (as demo_moderator)'],
      ['/mod', 'the moderation queue (as demo_moderator)'],
    );
    return places;
  }
}

/** Every login, the staff first; a member's note when something about them is worth knowing. */
function logins(
  members: { username: string; role: Member['role'] }[],
  events: PlannedEvent[],
  stories: PlannedStory[],
): DemoLogins {
  const suspended = new Set(
    events.flatMap((event) => {
      if (event.kind !== 'moderate' || event.action !== 'suspend') return [];
      const story = stories[event.post.story]!;
      return [
        event.post.reply === undefined ? story.author : story.replies[event.post.reply]!.author,
      ];
    }),
  );
  const representatives = new Map<string, string>(
    DEMO_REPRESENTATIVES.map((representative) => [representative.username, representative.vendor]),
  );
  return {
    admin: members.find((member) => member.role === 'admin')!.username,
    moderator: members.find((member) => member.role === 'moderator')!.username,
    representatives: [...representatives].map(([username, vendor]) => ({ username, vendor })),
    members: members
      .filter((member) => member.role === 'member' && !representatives.has(member.username))
      .map(({ username }) => ({
        username,
        note: suspended.has(username)
          ? 'suspended for a day by a moderator: the banner says why'
          : null,
      })),
  };
}
