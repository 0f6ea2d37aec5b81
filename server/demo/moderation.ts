// The staff's side of the demo: posts that break the guidelines, members' reports, and the
// moderators' decisions with their reasons, each at its time.

import type { Action } from '../moderation/actions.js';
import type { ReportReason } from '../posts/vocabulary.js';
import { SCENARIO_BY_KEY } from './stories.js';
import {
  DAY,
  HOUR,
  MONTH,
  type Draft,
  type PlannedEvent,
  type PlannedStory,
  type PostRef,
} from './types.js';
import { floorHour, REGULARS, VENDOR, type Writer } from './writer.js';

/** The staff's decisions, on posts written for them: each with its reports, reason and time. */
export function planModeration(writer: Writer, drafts: Draft[], events: PlannedEvent[]) {
  const { now, random } = writer;
  const used = new Set<number>();
  const lastActivity = (draft: PlannedStory) =>
    Math.max(draft.at, draft.replies.at(-1)?.at ?? 0, draft.response?.at ?? 0);
  /** The unused named story closest to `monthsAgo` that fits. */
  const near = (monthsAgo: number, fits: (draft: Draft) => boolean) => {
    const target = now - monthsAgo * MONTH;
    let best = -1;
    drafts.forEach((draft, index) => {
      if (used.has(index) || draft.anonymous || !fits(draft)) return;
      if (best < 0 || Math.abs(draft.at - target) < Math.abs(drafts[best]!.at - target))
        best = index;
    });
    if (best < 0) throw new Error('the demo found no story for a moderation case');
    used.add(best);
    return best;
  };
  /** A named reply after everything else in the thread. */
  const add = (story: number, author: string, body: string, gapHours = 2) => {
    const draft = drafts[story]!;
    const at = lastActivity(draft) + gapHours * HOUR + random.int(50) * 60_000;
    draft.replies.push({ author, body, anonymous: false, at, upvoters: [] });
    return { reply: draft.replies.length - 1, at };
  };
  /**
   * Members who could report at `at`, in a random order: a week a member at least, with a named
   * post of their own by then (so that their reports count), never the post's author.
   */
  const reporters = (at: number, ...except: string[]) =>
    random.shuffle(
      REGULARS.filter(
        (name) =>
          !except.includes(name) &&
          writer.joinedAt(name) < at - 8 * DAY &&
          drafts.some(
            (draft) =>
              (!draft.anonymous && draft.author === name && draft.at < at) ||
              draft.replies.some((r) => !r.anonymous && r.author === name && r.at < at),
          ),
      ),
    );
  const report = (
    at: number,
    post: PostRef,
    reporter: string,
    reason: ReportReason,
    note: string | null,
  ) => events.push({ kind: 'report', at, post, reporter, reason, note });
  const decide = (at: number, post: PostRef, action: Action, reason: string, duration?: string) =>
    events.push({ kind: 'moderate', at, post, action, reason, ...(duration ? { duration } : {}) });

  // A reply that gives a vendor employee's mobile number: hidden for personal data.
  {
    const story = near(20, (draft) => draft.sentiment === 'bad');
    const draft = drafts[story]!;
    const author = writer.pickMember(lastActivity(draft), [draft.author]);
    const { reply, at } = add(
      story,
      author,
      'Call their regional channel manager directly, the tall one who presented at the partner summit. His mobile is 555-0142; tell him we sent you, he sorts these things out in a day.',
    );
    const [reporter] = reporters(at, author);
    report(
      at + 5 * HOUR,
      { story, reply },
      reporter!,
      'personal-data',
      "Posts a vendor employee's private mobile number.",
    );
    decide(
      at + 20 * HOUR,
      { story, reply },
      'hide',
      "Gives a vendor employee's mobile number. Name the role, not the person (guidelines: naming people); the advice itself is welcome without the number.",
    );
  }
  // A story reported as untrue by members who disagree with it: the reports are dismissed.
  {
    const story = near(
      15,
      (draft) => draft.sentiment === 'bad' && draft.vendor !== 'Globex Hardware',
    );
    const draft = drafts[story]!;
    const [first, second] = reporters(draft.at + 2 * DAY, draft.author);
    report(
      draft.at + 2 * DAY,
      { story },
      first!,
      'false-claim',
      'This is not what the program says. The discount was never guaranteed.',
    );
    report(
      draft.at + 3 * DAY,
      { story },
      second!,
      'false-claim',
      'One-sided. We work with them every day and never had this.',
    );
    decide(
      draft.at + 4 * DAY + 3 * HOUR,
      { story },
      'dismiss',
      "Reported as untrue twice. It is the author's own account of their deal, with dates, and keeps to the facts; disagreement belongs in the replies.",
    );
  }
  // A story held after three members' reports, then restored by a moderator.
  {
    const story = near(11, (draft) => draft.scenario.key === 'channel-conflict');
    const draft = drafts[story]!;
    const notes = [
      'Calls their sales team liars.',
      null,
      'Reads like a grudge against one account manager.',
    ];
    reporters(draft.at + 20 * HOUR, draft.author)
      .slice(0, 3)
      .forEach((reporter, index) =>
        report(
          draft.at + (20 + index * 7) * HOUR,
          { story },
          reporter,
          'harassment',
          notes[index] ?? null,
        ),
      );
    decide(
      draft.at + 3 * DAY,
      { story },
      'restore',
      "Held after three reports. It criticises the vendor's direct sales team as a team, names nobody and keeps to what happened: restored.",
    );
  }
  // A partner's price list under NDA, posted as a story: hidden as confidential material.
  {
    const vendor = VENDOR.get('Soylent Software')!;
    const scenario = SCENARIO_BY_KEY.get('discount-withdrawn')!;
    const at = floorHour(now - 9 * MONTH) + 14 * 60_000;
    drafts.push({
      author: 'woodgrove_net',
      title: "Soylent's partner price list, so you can check your quotes",
      body:
        'Our partner manager sent us the full partner price list for this quarter. Here it is, so you can check what you are being charged:\n\n' +
        '| Item | List | Silver | Gold |\n|---|---|---|---|\n' +
        '| Collaboration suite, per user and month | $12.00 | $9.60 | $8.40 |\n' +
        '| Archive add-on, per user and month | $3.00 | $2.55 | $2.25 |\n' +
        '| Premium support, per year | $4,800 | $4,080 | $3,600 |\n\n' +
        'If your prices are higher than this, ask why.',
      vendor: vendor.name,
      sentiment: 'bad',
      tier: 'Silver',
      anonymous: false,
      areas: { discounts: 'bad' },
      at,
      replies: [],
      response: null,
      resolution: null,
      votes: [],
      ctx: writer.context(vendor, scenario),
      scenario,
    });
    const story = drafts.length - 1;
    used.add(story);
    const [reporter] = reporters(at, 'woodgrove_net');
    report(
      at + 3 * HOUR,
      { story },
      reporter!,
      'other',
      'This is their partner price list, which comes under NDA. We got the same one.',
    );
    decide(
      at + 9 * HOUR,
      { story },
      'hide',
      "Publishes the vendor's partner price list, which partners receive under NDA (guidelines: confidential material). The author may post the story again without the figures.",
    );
  }
  // An advert for the poster's own service, in a thread about marketing funds: hidden as spam.
  {
    const story = near(6, (draft) => draft.scenario.main === 'mdf' && draft.sentiment !== 'good');
    const draft = drafts[story]!;
    const author = draft.author === 'relecloud_msp' ? 'lucerne_it' : 'relecloud_msp';
    const { reply, at } = add(
      story,
      author,
      'We handle marketing fund claims for other partners: a fixed fee per claim and a 98% acceptance rate. Send me a message and I will send you our rates.',
    );
    const [reporter] = reporters(at, author);
    report(at + 2 * HOUR, { story, reply }, reporter!, 'spam', 'An advert.');
    decide(
      at + 11 * HOUR,
      { story, reply },
      'hide',
      "Advertising the poster's own claims service. Share the tips, not the offer (guidelines: spam and advertising).",
    );
  }
  // A pricing argument between two resellers: the story is locked.
  const heated = 'humongous_it';
  {
    const story = near(
      4,
      (draft) =>
        draft.scenario.main === 'discounts' &&
        draft.sentiment !== 'good' &&
        draft.author !== heated &&
        draft.replies.length >= 2,
    );
    const draft = drafts[story]!;
    const rival = writer.pickMember(lastActivity(draft), [draft.author, heated]);
    add(
      story,
      heated,
      "With respect, partners who quote at cost are the reason vendors stop protecting anyone's price.",
    );
    add(
      story,
      rival,
      "We quote at cost because the vendor's direct team does. Take it up with them, not with us.",
      1.5,
    );
    const last = add(
      story,
      heated,
      'Funny how the partners who undercut everyone always have a reason.',
      1.5,
    );
    decide(
      last.at + 6 * HOUR,
      { story },
      'lock',
      'The last replies turned into an argument between two resellers about pricing. The story and the useful answers stay readable; new replies are closed.',
    );
  }
  // An insult in a recent thread: the reply is hidden, and its author suspended for a day.
  {
    const story = near(
      0.05,
      (draft) =>
        ['discounts', 'tier'].includes(draft.scenario.main) &&
        draft.sentiment === 'bad' &&
        draft.author !== heated &&
        lastActivity(draft) < now - 14 * HOUR,
    );
    const draft = drafts[story]!;
    const gap = Math.max(1, (now - 12 * HOUR - lastActivity(draft)) / HOUR);
    const { reply, at } = add(
      story,
      heated,
      'If you cannot get a special bid through at that level, maybe the problem is not the vendor. Read the program guide before you cry on a forum.',
      gap,
    );
    const [first, second] = reporters(at, heated, draft.author);
    report(at + HOUR, { story, reply }, first!, 'harassment', 'A personal attack on the author.');
    report(at + 2 * HOUR, { story, reply }, second!, 'harassment', null);
    decide(
      at + 6 * HOUR,
      { story, reply },
      'hide',
      'Insults the author. Argue with the story, not the person.',
    );
    // The suspension runs from now: it is the newest decision.
    decide(
      now - 60_000,
      { story, reply },
      'suspend',
      'A second insulting reply after the pricing thread was locked; a day to cool down.',
      '1',
    );
  }
  // Open reports, for the moderation queue: a disputed story and an off-topic reply.
  {
    const story = near(
      0.2,
      (draft) => draft.scenario.key === 'channel-conflict' && draft.at < now - DAY,
    );
    const draft = drafts[story]!;
    const at = Math.min(draft.at + 9 * HOUR, now - 3 * HOUR);
    const [reporter] = reporters(at, draft.author);
    report(
      at,
      { story },
      reporter!,
      'false-claim',
      'The customer asked the vendor for a direct quote themselves. I know, because we bid on the same tender.',
    );
  }
  {
    const story = near(
      0.3,
      (draft) =>
        draft.sentiment !== 'good' &&
        VENDOR.get(draft.vendor)?.hardware === true &&
        lastActivity(draft) < now - 2 * DAY,
    );
    const draft = drafts[story]!;
    const author = writer.pickMember(lastActivity(draft), [draft.author]);
    const { reply, at } = add(
      story,
      author,
      'Slightly off-topic, but has anyone else had fan failures on the new models? Three in a month here.',
      3,
    );
    const [reporter] = reporters(at, author);
    report(
      Math.min(at + 4 * HOUR, now - HOUR),
      { story, reply },
      reporter!,
      'off-topic',
      'About their hardware, not the partner program.',
    );
  }
}
