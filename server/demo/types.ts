// The demo forum's plan, as data: what plan.ts composes and seed.ts replays.

import type { Action } from '../moderation/actions.js';
import type { AreaRatings, ReportReason, Sentiment } from '../posts/vocabulary.js';
import type { Scenario } from './stories.js';
import type { Ctx } from './text.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MONTH = 30.4 * DAY;
/** How far back the forum goes. */
export const SPAN_DAYS = 730;

export interface PlannedMember {
  username: string;
  role: 'member' | 'moderator' | 'admin';
  joinedAt: number;
  company: string | null;
  bio: string | null;
}

export interface PlannedReply {
  author: string;
  body: string;
  anonymous: boolean;
  at: number;
  /** Members who found it useful. */
  upvoters: string[];
}

export interface PlannedStory {
  author: string;
  title: string;
  body: string;
  vendor: string;
  sentiment: Sentiment;
  tier: string | null;
  anonymous: boolean;
  areas: AreaRatings;
  at: number;
  replies: PlannedReply[];
  /** The vendor's official response, by its representative. */
  response: { author: string; body: string; at: number } | null;
  /** The author's mark on the response. */
  resolution: 'resolved' | 'not-resolved' | null;
  votes: { voter: string; value: 1 | -1 }[];
}

/** A story (by index in `stories`) or one of its replies. */
export interface PostRef {
  story: number;
  reply?: number;
}

export type PlannedEvent =
  | { kind: 'grant'; at: number; vendor: string; username: string; reason: string }
  | { kind: 'describe'; at: number; vendor: string; editor: string }
  | {
      kind: 'program-change';
      at: number;
      vendor: string;
      editor: string;
      changedOn: string;
      summary: string;
      source: string;
    }
  | {
      kind: 'report';
      at: number;
      post: PostRef;
      reporter: string;
      reason: ReportReason;
      note: string | null;
    }
  | {
      kind: 'moderate';
      at: number;
      post: PostRef;
      action: Action;
      reason: string;
      duration?: string;
    };

export interface DemoPlan {
  now: number;
  members: PlannedMember[];
  stories: PlannedStory[];
  /** The staff's and the members' actions besides posting, in time order. */
  events: PlannedEvent[];
}

/** A story as it is composed: its facts and situation, which its replies and answer share. */
export interface Draft extends PlannedStory {
  ctx: Ctx;
  scenario: Scenario;
}

/** Which situation, event and outcome a title tells, by index. */
export type Pins = { situation?: number; happened?: number; consequence?: number };
