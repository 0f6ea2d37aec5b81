import type { Answer } from './http.js';

/**
 * What the client knows about a write. `timeout` and `reset` mean the client never learned the
 * outcome: the server may or may not have committed it.
 */
export type Outcome =
  'acknowledged' | 'refused' | 'refused-expected' | 'shed' | 'error' | 'timeout' | 'reset';

export type WriteKind = 'story' | 'reply' | 'thread-vote' | 'reply-vote';

export interface WriteRecord {
  kind: WriteKind;
  /** Unique text in the title and body of a post; for a vote, the post and member. */
  marker: string;
  member: number;
  /**
   * One per attempt. A write that got no answer, or a 503, is sent once more, as a member would
   * press the button again: a double submit, which must still make one post.
   */
  outcomes: Outcome[];
  /** The voted post and the vote. */
  postId?: number;
  value?: 1 | -1;
  /** Sent to be refused (a second anonymous story about one vendor): stored, it breaks a rule. */
  mustBeRefused?: boolean;
  /** Status and location of an unexpected answer, for the report. */
  detail?: string;
}

export interface Expectation {
  /** Where a successful write redirects; the first group is the new or voted post's id. */
  location: RegExp;
  /** A refusal that the rules make on purpose (the second anonymous story: 409). */
  refusal?: number;
}

/** Sorts an answer into an outcome, with the id a successful write redirected to. */
export function classify(answer: Answer, expect: Expectation) {
  const { status } = answer;
  if (status === 'timeout' || status === 'reset') return { outcome: status as Outcome };
  if (status === 303) {
    const match = expect.location.exec(answer.location ?? '');
    if (match) return { outcome: 'acknowledged' as Outcome, id: Number(match[1]) };
    // A 303 to /login means the session was not recognised: the write was not done.
    return { outcome: 'refused' as Outcome, detail: `303 → ${answer.location}` };
  }
  if (status === 503) return { outcome: 'shed' as Outcome };
  if (status >= 500) return { outcome: 'error' as Outcome, detail: String(status) };
  if (status === expect.refusal) return { outcome: 'refused-expected' as Outcome };
  return { outcome: 'refused' as Outcome, detail: String(status) };
}

/** An outcome the client cannot know: the write may be stored once, or not at all. */
export function isUnknown(outcome: Outcome) {
  return outcome === 'timeout' || outcome === 'reset';
}

/**
 * What the database may hold of a write: acknowledged (exactly once); unanswered at some
 * attempt and never acknowledged (at most once); otherwise its last answer (not at all).
 */
export function finalOutcome(write: WriteRecord): Outcome | 'unanswered' {
  const last = write.outcomes.at(-1)!;
  if (last !== 'acknowledged' && write.outcomes.some(isUnknown)) return 'unanswered';
  return last;
}
