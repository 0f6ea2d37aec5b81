import { backOff, type Context } from './context.js';
import type { Request } from './http.js';
import { read } from './reads.js';
import {
  classify,
  isUnknown,
  type Expectation,
  type WriteKind,
  type WriteRecord,
} from './ledger.js';
import type { Member } from './members.js';
import { VENDORS, pick, randomIndex } from './world.js';

const STORY_LOCATION = /^\/threads\/(\d+)\/[^#?]*$/;
const REPLY_LOCATION = /^\/threads\/\d+\/[^#]*#reply-(\d+)$/;
const THREAD_VOTE_LOCATION = /^\/threads\/(\d+)\/[^#]*#story$/;
const REPLY_VOTE_LOCATION = /^\/replies\/(\d+)$/;
const SENTIMENTS = ['good', 'mixed', 'bad', 'bad'];
const TIERS = ['', 'Gold', 'gold ', 'Silver', 'Premier partner', 'Registered'];
const AREAS = ['presales', 'beta', 'demos', 'discounts', 'dealreg', 'mdf'];

/**
 * Sends a write and records its outcome. A write that got no answer, or a 503, is sent once
 * more, exactly as before, as a member pressing the button again would: the database check then
 * shows whether that double submit made two posts.
 */
async function submit(
  ctx: Context,
  label: string,
  record: Omit<WriteRecord, 'outcomes'>,
  request: Request,
  expect: Expectation,
): Promise<number | undefined> {
  const write: WriteRecord = { ...record, outcomes: [] };
  ctx.world.writes.push(write);
  for (;;) {
    const answer = await ctx.client.send(request);
    ctx.stats.record(label, request.path, answer);
    const result = classify(answer, expect);
    write.outcomes.push(result.outcome);
    write.detail = result.detail;
    await backOff(ctx, answer);
    const again = isUnknown(result.outcome) || result.outcome === 'shed';
    if (!again || write.outcomes.length === 2 || !ctx.running()) return result.id;
  }
}

/** A story form as the browser sends it, with the marker in title and body. */
function storyForm(member: Member, marker: string, vendors: string, anonymous: boolean) {
  const form: Record<string, string> = {
    _csrf: member.csrf,
    title: `Load test story ${marker}`,
    body: `Asked for a **special bid** and waited three weeks. Marker ${marker}.`,
    vendors,
    sentiment: pick(SENTIMENTS)!,
    tier: pick(TIERS)!,
  };
  for (const area of AREAS) if (Math.random() < 0.3) form[`area_${area}`] = pick(['good', 'bad'])!;
  if (anonymous) form.anonymous = 'on';
  return form;
}

/** The vendor as one member or another types it: case, spaces and a stray full stop vary. */
function spelled(vendor: number) {
  const name = VENDORS[vendor]!;
  return pick([name, name.toUpperCase(), ` ${name.toLowerCase()}.`, name])!;
}

/** A named story about one vendor, or two in either order (the order rows get locked in). */
export async function postNamedStory(
  ctx: Context,
  member: Member,
  vendor = randomIndex(VENDORS.length),
) {
  const names = [spelled(vendor)];
  const other = (vendor + 1 + randomIndex(VENDORS.length - 1)) % VENDORS.length;
  if (Math.random() < 0.25) names.push(spelled(other));
  const marker = ctx.world.nextMarker();
  const form = storyForm(member, marker, names.join(', '), false);
  const id = await submit(
    ctx,
    'POST /threads (named)',
    { kind: 'story', marker, member: member.index },
    { method: 'POST', path: '/threads', cookie: member.cookie, form },
    { location: STORY_LOCATION },
  );
  if (id !== undefined) ctx.world.threads.push({ id, author: member.index });
}

/**
 * An anonymous story about a vendor the member has none about; now and then, on purpose, a
 * second one about a vendor they have, which the one-anonymous-voice rule refuses with 409.
 */
export async function postAnonymousStory(ctx: Context, member: Member) {
  const held = Math.random() < 0.2 ? ctx.world.heldAnonymousVendor(member.index) : undefined;
  const vendor = held ?? ctx.world.claimAnonymousVendor(member.index);
  if (vendor === undefined) return postNamedStory(ctx, member);
  const marker = ctx.world.nextMarker();
  const id = await submit(
    ctx,
    held === undefined ? 'POST /threads (anonymous)' : 'POST /threads (second anonymous)',
    { kind: 'story', marker, member: member.index, mustBeRefused: held !== undefined },
    {
      method: 'POST',
      path: '/threads',
      cookie: member.cookie,
      form: storyForm(member, marker, spelled(vendor), true),
    },
    held === undefined ? { location: STORY_LOCATION } : { location: STORY_LOCATION, refusal: 409 },
  );
  if (held === undefined) ctx.world.settleClaim(member.index, vendor, id !== undefined);
  if (id !== undefined) ctx.world.threads.push({ id, author: member.index });
}

export async function postReply(ctx: Context, member: Member) {
  const thread = pick(ctx.world.threads);
  if (!thread) return;
  const marker = ctx.world.nextMarker();
  const form: Record<string, string> = {
    _csrf: member.csrf,
    body: `Same here: no call back on a *big deal*. Marker ${marker}.`,
  };
  if (Math.random() < 0.25) form.anonymous = 'on';
  const id = await submit(
    ctx,
    'POST /threads/:id/replies',
    { kind: 'reply', marker, member: member.index },
    { method: 'POST', path: `/threads/${thread.id}/replies`, cookie: member.cookie, form },
    { location: REPLY_LOCATION },
  );
  if (id !== undefined) ctx.world.replies.push({ id, author: member.index });
}

export async function vote(ctx: Context, member: Member) {
  const target = ctx.world.voteTarget(member.index);
  if (!target) return read(ctx, member, 'thread');
  const value = Math.random() < 0.75 ? 1 : -1;
  const kind: WriteKind = target.kind === 'thread' ? 'thread-vote' : 'reply-vote';
  const path = `/${target.kind === 'thread' ? 'threads' : 'replies'}/${target.post.id}/vote`;
  await submit(
    ctx,
    `POST /${target.kind === 'thread' ? 'threads' : 'replies'}/:id/vote`,
    {
      kind,
      marker: `${path} by ${member.index}`,
      member: member.index,
      postId: target.post.id,
      value,
    },
    {
      method: 'POST',
      path,
      cookie: member.cookie,
      form: { _csrf: member.csrf, value: value === 1 ? 'up' : 'down' },
    },
    { location: target.kind === 'thread' ? THREAD_VOTE_LOCATION : REPLY_VOTE_LOCATION },
  );
}
