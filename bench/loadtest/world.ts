import { slugify } from '../../server/vendors/names.js';
import type { WriteRecord } from './ledger.js';
import type { Member } from './members.js';

/** Fictional vendors; the stories name them in varied spellings, as members type them. */
export const VENDORS = [
  'Northwind Networks',
  'Bluepeak Storage',
  'Corvid Security',
  'Helix Compute',
  'Lumen Cloudworks',
  'Orbital Printing',
  'Quartzline Software',
  'Redfern Telecom',
  'Saltmarsh Systems',
  'Tidewater Devices',
  'Umbra Analytics',
  'Vantage Peripherals',
];

export interface Post {
  id: number;
  author: number;
}

/** An anonymous story's claim on (member, vendor), as far as the client knows it. */
type Claim = 'pending' | 'acknowledged' | 'unknown';

/**
 * Everything the load generator knows: the members, the posts it saw acknowledged (targets for
 * reads, replies and votes) and every write it attempted, to check against the database later.
 */
export class World {
  readonly slugs = VENDORS.map((name) => slugify(name));
  readonly threads: Post[] = [];
  readonly replies: Post[] = [];
  readonly writes: WriteRecord[] = [];
  private readonly claims = new Map<string, Claim>();
  private readonly voted = new Set<string>();
  private sequence = 0;

  constructor(
    /** Unique to this run, so markers never match text from another run or the seed. */
    readonly runId: string,
    readonly members: Member[],
  ) {}

  /** Text that exists in one post only, if the forum stores each write exactly once. */
  nextMarker() {
    return `${this.runId}-${++this.sequence}`;
  }

  /** Claims a vendor this member has told no anonymous story about yet, or undefined. */
  claimAnonymousVendor(member: number): number | undefined {
    for (let tries = 0; tries < VENDORS.length; tries++) {
      const vendor = randomIndex(VENDORS.length);
      const key = `${member}:${vendor}`;
      if (!this.claims.has(key)) {
        this.claims.set(key, 'pending');
        return vendor;
      }
    }
    return undefined;
  }

  /** After the answer: only an acknowledged claim is known to hold; others are never reused. */
  settleClaim(member: number, vendor: number, acknowledged: boolean) {
    this.claims.set(`${member}:${vendor}`, acknowledged ? 'acknowledged' : 'unknown');
  }

  /** A vendor this member surely holds an anonymous story about: a second one must be refused. */
  heldAnonymousVendor(member: number): number | undefined {
    for (const [key, claim] of this.claims) {
      const [who, vendor] = key.split(':').map(Number);
      if (who === member && claim === 'acknowledged') return vendor;
    }
    return undefined;
  }

  /**
   * A post this member may vote on and has not voted on in this run: each (member, post) is voted
   * once, so the vote in the database must be exactly the one acknowledged.
   */
  voteTarget(member: number): { kind: 'thread' | 'reply'; post: Post } | undefined {
    for (let tries = 0; tries < 5; tries++) {
      const kind = this.replies.length > 0 && Math.random() < 0.3 ? 'reply' : 'thread';
      const post = pick(kind === 'reply' ? this.replies : this.threads);
      const key = `${kind}:${post?.id}:${member}`;
      if (post && post.author !== member && !this.voted.has(key)) {
        this.voted.add(key);
        return { kind, post };
      }
    }
    return undefined;
  }
}

export function randomIndex(length: number) {
  return Math.floor(Math.random() * length);
}

export function pick<T>(items: readonly T[]): T | undefined {
  return items[randomIndex(items.length)];
}
