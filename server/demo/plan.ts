// The demo forum as a plan: who joined when, every story with its replies, votes and the
// vendor's answer, and the staff's decisions, each with its time over the last two years. A
// pure function of the seed and the moment it starts, so that a test can read the whole plan
// without a database, and seed.ts replays it through the forum's own functions.

import {
  DEMO_ADMIN,
  DEMO_MEMBERS,
  DEMO_MODERATOR,
  DEMO_PROGRAMS,
  DEMO_REPRESENTATIVES,
} from './data.js';
import { planModeration } from './moderation.js';
import { seededRandom, type Random } from './random.js';
import { DAY, HOUR, MONTH, type DemoPlan, type PlannedEvent, type PlannedMember } from './types.js';
import { Writer } from './writer.js';

export * from './types.js';

/** The demo forum as it stands at `now`: the same forum for the same seed, whenever it starts. */
export function planDemo(now = Date.now(), seed = 2024): DemoPlan {
  const random = seededRandom(seed);
  const members = planMembers(now, random);
  const joined = new Map(members.map((member) => [member.username, member.joinedAt]));
  const grants = planGrants(now);
  const writer = new Writer(random, now, joined, grants);
  const drafts = writer.tellStories();
  // A representative is granted once the forum has a story about their vendor.
  for (const [vendor, grant] of grants) {
    const first = Math.min(...drafts.filter((draft) => draft.vendor === vendor).map((d) => d.at));
    grant.at = Math.max(grant.at, first + DAY);
  }
  const events: PlannedEvent[] = [];
  for (const draft of drafts) writer.answer(draft);
  planModeration(writer, drafts, events);
  planPrograms(now, grants, events);
  for (const draft of drafts) draft.votes = writer.votes(draft);
  const order = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.at - b.draft.at);
  const position = new Map(order.map(({ index }, at) => [index, at]));
  for (const event of events)
    if (event.kind === 'report' || event.kind === 'moderate')
      event.post = { ...event.post, story: position.get(event.post.story)! };
  return {
    now,
    members,
    stories: order.map(({ draft: { ctx: _ctx, scenario: _scenario, ...story } }) => story),
    events: events.sort((a, b) => a.at - b.at),
  };
}

function planMembers(now: number, random: Random): PlannedMember[] {
  const staff: PlannedMember[] = [
    { username: DEMO_ADMIN, role: 'admin', joinedAt: now - 26 * MONTH, company: null, bio: null },
    {
      username: DEMO_MODERATOR,
      role: 'moderator',
      joinedAt: now - 25.5 * MONTH,
      company: null,
      bio: 'Volunteer moderator. I run a small MSP myself, and I do not moderate stories about vendors we sell.',
    },
  ];
  const regulars = DEMO_MEMBERS.map((member) => ({
    username: member.username,
    role: 'member' as const,
    joinedAt: now - member.joinedMonthsAgo * MONTH - random.int(20 * 24) * HOUR,
    company: member.company,
    bio: member.bio,
  }));
  const representatives = DEMO_REPRESENTATIVES.map((representative) => ({
    username: representative.username,
    role: 'member' as const,
    joinedAt: now - representative.grantedMonthsAgo * MONTH - 3 * DAY,
    company: representative.vendor,
    bio: `The partner team of ${representative.vendor}, answering for the vendor.`,
  }));
  return [...staff, ...regulars, ...representatives];
}

function planGrants(now: number) {
  return new Map(
    DEMO_REPRESENTATIVES.map((representative) => [
      representative.vendor,
      { username: representative.username, at: now - representative.grantedMonthsAgo * MONTH },
    ]),
  );
}

/** Representatives granted, programs described and their changes recorded, each when it happened. */
function planPrograms(
  now: number,
  grants: Map<string, { username: string; at: number }>,
  events: PlannedEvent[],
) {
  for (const [vendor, grant] of grants) {
    events.push({
      kind: 'grant',
      at: grant.at,
      vendor,
      username: grant.username,
      reason: "Verified through the vendor's partner portal and a call with its channel director.",
    });
  }
  for (const program of DEMO_PROGRAMS) {
    const grant = grants.get(program.vendor);
    const editor = grant?.username ?? DEMO_MODERATOR;
    const described = Math.max(
      now - program.describedMonthsAgo * MONTH,
      (grant?.at ?? 0) + 2 * DAY,
    );
    events.push({ kind: 'describe', at: described, vendor: program.vendor, editor });
    program.changes.forEach((change, index) => {
      const on = new Date(now - change.monthsAgo * MONTH);
      on.setUTCDate(12);
      events.push({
        kind: 'program-change',
        at: Math.min(on.getTime() + (1 + index) * DAY + 10 * HOUR, now - DAY),
        vendor: program.vendor,
        editor: index === 0 ? DEMO_MODERATOR : editor,
        changedOn: on.toISOString().slice(0, 10),
        summary: change.summary,
        source: change.source,
      });
    });
  }
}
