import { backOff, type Context } from './context.js';
import type { Member } from './members.js';
import { pick, type World } from './world.js';

const WORDS = ['support', 'discount', 'demo', 'partner', 'deal', 'training', 'Northwind'];

export type ReadKind = 'front' | 'thread' | 'vendor' | 'search';

/** A page read, half the time by a member (rendered for them), half by a cookieless visitor. */
export async function read(ctx: Context, member: Member, kind: ReadKind) {
  const path = readPath(ctx.world, kind);
  const cookie = Math.random() < 0.5 ? member.cookie : undefined;
  const answer = await ctx.client.send({ method: 'GET', path, cookie });
  const label = { front: 'GET /', thread: 'GET /threads/:id', vendor: 'GET /vendors/:slug' };
  ctx.stats.record(kind === 'search' ? 'GET /search' : label[kind], path, answer);
  await backOff(ctx, answer);
}

function readPath(world: World, kind: ReadKind): string {
  switch (kind) {
    case 'front':
      return pick(['/', '/?sort=new', '/?sort=top'])!;
    case 'thread':
      return `/threads/${pick(world.threads)!.id}`;
    case 'vendor':
      return `/vendors/${pick(world.slugs)}`;
    case 'search':
      return `/search?q=${encodeURIComponent(pick(WORDS)!)}`;
  }
}
