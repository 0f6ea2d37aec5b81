// What the vendors' representatives answer, and what the story's author writes back once the
// answer has (or has not) made a difference. Built from an opening, an action on the area the
// story is about, and a closing, so that no two answers in a vendor's thread list read alike.

import type { Sentiment } from '../posts/vocabulary.js';
import type { Random } from './random.js';
import type { Ctx, Text } from './text.js';

const OPENINGS: Text[] = [
  () => 'Thank you for raising this, and I am sorry it took a public post to reach us.',
  () => 'This should not have happened, and I want to put it right.',
  () => 'Thanks for the detailed write-up: it made it easy to find your case on our side.',
  () => 'I looked into this with our channel team this week.',
  () => 'I am on the partner team and read every story about us here.',
  () =>
    'You are right to be frustrated, and what you describe matches what I found in our records.',
  () => 'I am sorry. Your emails were in our system, and we did not act on them.',
];

const ACTIONS: Record<string, Text[]> = {
  presales: [
    () =>
      'Pre-sales requests from partners now go to a shared queue with a named owner per region, and the owner answers within two working days.',
    () =>
      'I have asked the regional pre-sales lead to call you this week and to join your next meeting with the customer.',
    () =>
      'Your request was routed to a team that no longer exists; the form has been fixed, and the requests stuck behind it have been assigned.',
  ],
  dealreg: [
    () =>
      'We have reopened the deal registration and backdated the protection to your original submission.',
    () =>
      'The direct account manager involved has been reminded of the rules of engagement, and the channel team now checks every direct quote against open registrations.',
    () =>
      'The registration should not have been approved for an account on the direct list; we have changed the approval check so it cannot happen again.',
  ],
  discounts: [
    () =>
      'The special-bid request is now with our pricing desk, with a commitment to answer within 48 hours.',
    () =>
      'The approved discount will be honoured as written, and the difference has been credited through your distributor.',
    () =>
      'An approved special bid now stays valid for its full period, including changes in quantity.',
  ],
  demos: [
    () => 'We have added the missing demo units to your tier allocation for this quarter.',
    () =>
      'A loan unit is on its way from our central pool; you should have a tracking number by Friday.',
    () =>
      'We are moving part of the demo pool to the distributors, so partners can borrow units within a week.',
  ],
  mdf: [
    () => 'The claim has been paid this week; finance confirmed the transfer.',
    () =>
      'Claims with a complete proof of performance are now paid within 30 days, and I will check yours myself.',
    () =>
      'We accepted the claim after review: it was turned down on a technicality, and it should not have been.',
  ],
  education: [
    () =>
      'Your engineers get the courses and exams of this year at our cost; the partner team will send you the details.',
    () =>
      'Partners at your level now get the instructor-led courses free, backdated to the start of the year.',
  ],
  events: [
    () =>
      'We will fund a replacement event next quarter, and our marketing team will help with the invitations.',
  ],
  beta: [
    () =>
      'The beta team will send you a written summary of what changed because of your reports, and your engineers are invited to the next design review.',
  ],
  tier: [
    (c) =>
      `We have restored your ${c.tier ?? 'previous'} level until the end of the fiscal year, and threshold changes will apply from the next year only.`,
    () =>
      'A certification that lapses during leave no longer downgrades a partner automatically; there is now a 90-day grace period.',
  ],
  portal: [
    () =>
      'Your registrations from the migration have been restored by hand with their original dates; your partner manager has the list.',
    () =>
      'Registrations you can show were submitted before the migration now count from their original date.',
  ],
  'partner-manager': [() => 'I have passed this on to your partner manager and their lead.'],
};

const CLOSINGS: Text[] = [
  () => 'Please message me here if anything is still open.',
  () => 'If this does not fix it, reply below and I will escalate it myself.',
  () => 'We will post an update here once the change is live for every partner.',
  () => 'Thank you for your patience, and for staying with us.',
  () => 'I will check back on this thread at the end of the month.',
];

const THANKS: Text[] = [
  (c) =>
    `Thank you for taking the time to write this. I have shared it with the ${c.short} team in your region; it means a lot to them.`,
  () =>
    'Great to read, thank you. This is how the program is supposed to work, and stories like this help us keep it that way internally.',
  () =>
    'Thanks! I will pass this on to your partner manager and their lead. If anything in the program does not live up to this, tell us here.',
  () =>
    'Thank you. We are glad this went well, and we would like to feature it as a partner case study if you are open to that.',
];

/** A representative's answer to a story of this sentiment about this area. */
export function responseText(random: Random, c: Ctx, sentiment: Sentiment, area: string) {
  if (sentiment === 'good') return random.pick(THANKS)(c);
  const actions = ACTIONS[area] ?? ACTIONS['partner-manager']!;
  return [random.pick(OPENINGS)(c), random.pick(actions)(c), random.pick(CLOSINGS)(c)].join(' ');
}

const RESOLVED: Text[] = [
  () =>
    'Update: this has been sorted since the answer above. Fair play to them for following through.',
  () => 'Update for anyone finding this later: they did what they wrote above, within the week.',
  (c) => `Update: it took ${c.days} more days, but it is fixed. Marking this as resolved.`,
];

const NOT_RESOLVED: Text[] = [
  (c) => `Update: ${c.weeks} weeks after the answer above, nothing has changed. Still waiting.`,
  () =>
    'Nobody called. The answer above reads well, but it has not made a difference for us so far.',
  () => 'Update: we got an apology by email, and the same problem on the next deal.',
];

/** The author's word after the vendor's answer, as the mark they set says it. */
export function followUpText(random: Random, c: Ctx, resolved: boolean) {
  return random.pick(resolved ? RESOLVED : NOT_RESOLVED)(c);
}
