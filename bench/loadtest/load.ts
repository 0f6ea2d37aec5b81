import type { Member } from './members.js';
import type { Context } from './context.js';
import { postAnonymousStory, postNamedStory, postReply, vote } from './operations.js';
import { read, type ReadKind } from './reads.js';
import { VENDORS } from './world.js';

type Operation = (ctx: Context, member: Member) => Promise<void>;
const reading =
  (kind: ReadKind): Operation =>
  (ctx, member) =>
    read(ctx, member, kind);

/** The mix, by weight: 70% page reads, 30% writes. */
export const MIX: [weight: number, name: string, operation: Operation][] = [
  [18, 'front page', reading('front')],
  [24, 'thread page', reading('thread')],
  [18, 'vendor page', reading('vendor')],
  [10, 'search', reading('search')],
  [7, 'named story', postNamedStory],
  [3, 'anonymous story', postAnonymousStory],
  [11, 'reply', postReply],
  [9, 'vote', vote],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

function pickOperation(): Operation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [weight, , operation] of MIX) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return MIX[0]![2];
}

/**
 * One named story per vendor before the clock starts, so that every vendor page, thread page
 * and vote has something to show from the first request. These writes are checked too.
 */
export async function warmUp(ctx: Context, members: Member[]) {
  await Promise.all(
    VENDORS.map((_name, vendor) => postNamedStory(ctx, members[vendor % members.length]!, vendor)),
  );
  if (ctx.world.threads.length === 0) throw new Error('No story was acknowledged in the warm-up.');
}

/**
 * `connections` loops, each with one request in flight at a time, each acting as one of the
 * members (several loops share a member, as several tabs of one browser would). Resolves when
 * every loop has had its last answer.
 */
export async function runLoad(ctx: Context, members: Member[], connections: number) {
  const loop = async (index: number) => {
    const member = members[index % members.length]!;
    while (ctx.running()) await pickOperation()(ctx, member);
  };
  await Promise.all(Array.from({ length: connections }, (_, index) => loop(index)));
}
