import type { Answer, Client } from './http.js';
import type { Stats } from './stats.js';
import type { World } from './world.js';

/** What every operation of the load works with. */
export interface Context {
  client: Client;
  world: World;
  stats: Stats;
  /** False once the time is up or the request budget spent: no new request, no retry. */
  running(): boolean;
  /** Milliseconds until the load stops (Infinity before it starts). */
  remainingMs(): number;
}

/** The longest a connection waits after a 503, whatever its Retry-After says. */
const MAX_BACK_OFF_MS = 5000;

/**
 * After a 503, the connection waits as long as Retry-After asks (a member reading the "try again
 * in a moment" page), not beyond the end of the load: a client that asks again at once only
 * measures how fast the forum can refuse.
 */
export async function backOff(ctx: Context, answer: Answer) {
  if (answer.status !== 503) return;
  const wait = Math.min((answer.retryAfter ?? 1) * 1000, MAX_BACK_OFF_MS, ctx.remainingMs());
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
