// The situations the demo's stories are told from: for each, how partners title it, the
// situation, what was promised, what happened, what it cost or brought, and how others answer
// (questions the author answers, similar experiences, advice, a dissenting voice). Every text
// is written for its situation; plan.ts picks and fills them so no two stories read alike.

import type { AreaRatings, Sentiment } from '../posts/vocabulary.js';
import { an, article, asPartner, bare, cap, number, type Text } from './text.js';

/**
 * A detail a story's body may tell, by a name its scenario gives it ("logo-rule", "payment-months"):
 * a reply that refers to it needs a body that tells it.
 */
export type Detail = string;

/** A sentence or two of a story's body, and the details it tells (`gives`). */
export type Part = Text | { text: Text; gives: readonly Detail[] };

/** A reply, and the details of the story it refers to (`needs`): none, for a general one. */
export type Line = Text | { text: Text; needs: readonly Detail[] };

export interface Question {
  ask: Text;
  /** The story's author answers it. */
  answer: Text;
  /** The details of the story the question or its answer refers to. */
  needs?: readonly Detail[];
}

export const textOf = (item: Part | Line): Text => (typeof item === 'function' ? item : item.text);

export const givesOf = (part: Part): readonly Detail[] =>
  typeof part === 'function' ? [] : part.gives;

export const needsOf = (item: Line | Question): readonly Detail[] =>
  typeof item === 'function' ? [] : (item.needs ?? []);

/** A title, or one that tells a particular situation, event or outcome (by index). */
export type Title =
  Text | { text: Text; situation?: number; happened?: number; consequence?: number };

export interface Scenario {
  key: string;
  sentiment: Sentiment;
  /** The support areas the story rates, as its text tells them. */
  areas: AreaRatings;
  /** The area a vendor's answer addresses (responses.ts). */
  main: string;
  /** The story needs a tier with a level below it (a downgrade). */
  needsLowerTier?: boolean;
  /** Only about vendors that sell hardware (demo units). */
  hardwareOnly?: boolean;
  /** How common it is, besides a vendor's leaning (1 when absent). */
  weight?: number;
  titles: Title[];
  situation: Part[];
  promise: Part[];
  happened: Part[];
  /** In a mixed story: what went well, told between the promise and what went wrong. */
  also?: Part[];
  consequence: Part[];
  questions: Question[];
  similar: Line[];
  advice: Line[];
  dissent: Line[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'presales-absent',
    sentiment: 'bad',
    areas: { presales: 'bad' },
    main: 'presales',
    titles: [
      (c) => `Pre-sales help for a ${c.amount} ${c.product} never came`,
      {
        text: (c) => `Asked ${c.short} for a systems engineer three times, got a slide deck`,
        happened: 0,
      },
      (c) => `No pre-sales engineer for our ${bare(c.customer)} pitch`,
      (c) => `${c.short}'s pre-sales support exists only in the tier brochure`,
      (c) => `Lost a ${c.amount} deal waiting for ${c.short} pre-sales`,
      { text: (c) => `Workshop with ${c.customer}, and ${c.short} did not show up`, happened: 1 },
      (c) => `Where were ${c.short}'s engineers when ${c.customer} asked for them?`,
      () => 'Pre-sales support on paper, voicemail in practice',
      { text: (c) => `${c.short} pre-sales: three requests, zero engineers`, happened: 0 },
      {
        text: (c) => `${cap(number(c.weeks))} weeks in "triage": our ${c.short} pre-sales ticket`,
        happened: 2,
      },
      (c) => `Our ${c.tier ?? 'partner'} level promises pre-sales help; ${c.short} did not deliver`,
      {
        text: (c) =>
          `The ${bare(c.customer)} wanted ${c.short}'s engineers in the room. Nobody came`,
        happened: 1,
      },
      {
        text: (c) => `An engineer for our ${c.month} meeting, "reallocated" two days before`,
        happened: 4,
      },
      (c) => `${c.amount} on the table and ${c.short} could not find us one engineer`,
    ],
    situation: [
      (c) =>
        `We were shortlisted for a ${c.amount} ${c.product} at ${c.customer}, and the customer wanted to hear from the vendor's own engineers before signing.`,
      {
        text: (c) =>
          `${cap(c.customer)} asked us for a design workshop on ${an(c.product)}, with someone from ${c.vendor} in the room.`,
        gives: ['workshop'],
      },
      (c) =>
        `Our biggest opportunity this year was ${an(c.product)} for ${c.customer}, worth about **${c.amount}** in hardware and services.`,
      (c) =>
        `We had ${an(c.product)} for ${c.customer} in the final round, and the customer's IT manager asked for a technical session with the vendor.`,
      (c) =>
        `${cap(c.customer)} had narrowed a ${c.amount} ${c.product} down to two vendors and wanted a technical deep dive from each.`,
    ],
    promise: [
      (c) =>
        `As ${asPartner(c)} we are entitled to pre-sales support, and our partner manager confirmed by email that an engineer would join.`,
      {
        text: (c) =>
          `We filed the request in the partner portal ${number(c.weeks)} weeks ahead, exactly as the program guide says.`,
        gives: ['lead-time'],
      },
      (c) =>
        `On the kick-off call in ${c.month} the channel team said a solutions engineer would be assigned within two days.`,
      (c) =>
        `The registration for the ${c.product} was approved in ${c.days} days, and pre-sales support comes with an approved registration.`,
    ],
    happened: [
      {
        text: (c) =>
          `Nobody was assigned. After ${c.days} days and two reminders we got a generic slide deck and a link to a webinar.`,
        gives: ['slide-deck'],
      },
      {
        text: (c) =>
          `The engineer who was assigned cancelled the evening before the workshop with the ${bare(c.customer)}, and no one stood in.`,
        gives: ['workshop', 'cancelled'],
      },
      (c) =>
        `The ticket sat in the portal for ${number(c.weeks)} weeks with the status "triage", and the only reply was an automated survey.`,
      (c) =>
        `Our partner manager stopped answering after the first call, and the regional pre-sales inbox bounced for ${c.days} days in a row.`,
      {
        text: (c) =>
          `An engineer was promised for the ${c.month} meeting, then "reallocated to a strategic account" two days before it.`,
        gives: ['cancelled'],
      },
    ],
    consequence: [
      {
        text: (c) =>
          `We ran the session on our own. The ${bare(c.customer)} noticed the vendor was missing and went with a competitor whose engineer was on site within a week.`,
        gives: ['lost'],
      },
      {
        text: (c) =>
          `The ${bare(c.customer)} postponed the ${c.product} "until the vendor shows interest", and it has not come back.`,
        gives: ['postponed'],
      },
      {
        text: (c) =>
          `We kept the deal, but only because our own engineer spent ${c.days} unpaid days on a design the vendor should have checked.`,
        gives: ['did-the-design'],
      },
      {
        text: (c) =>
          `The ${c.amount} went to a partner of ${c.other}, whose pre-sales people were there the next morning.`,
        gives: ['lost'],
      },
      {
        text: (c) =>
          `We won it in the end, but ${number(c.engineers)} of our engineers spent ${number(c.weeks)} weeks doing the vendor's design work for free.`,
        gives: ['did-the-design'],
      },
    ],
    questions: [
      {
        ask: () => 'Did you escalate to the regional channel director, or only through the portal?',
        answer: () =>
          "Both. The director's assistant promised a call back, which never came either.",
      },
      {
        ask: () => 'Was the pre-sales request tied to the deal registration, or filed separately?',
        answer: () => 'Tied to it, with the registration number. It made no difference.',
      },
      {
        ask: () => 'How much notice did you give them?',
        answer: (c) =>
          `${cap(number(c.weeks))} weeks, through the portal, the way the program guide asks for it.`,
        needs: ['lead-time'],
      },
      {
        ask: () => 'Did the customer say what it would take to restart the project?',
        answer: (c) =>
          `A session with a ${c.short} engineer, nothing more. We are still trying to get one.`,
        needs: ['postponed'],
      },
    ],
    similar: [
      () =>
        'Same here last quarter. As far as we can tell the pre-sales queue is one engineer for the whole region.',
      (c) =>
        `We stopped asking ${c.short} for engineers and now budget our own pre-sales time into every quote.`,
      (c) =>
        `Identical story with ${an(c.product)} last spring: promised on the call, never scheduled.`,
      {
        text: (c) =>
          `The slide deck instead of an engineer is a classic. We got the same ${c.short} deck twice this year.`,
        needs: ['slide-deck'],
      },
      {
        text: () =>
          'Ours cancelled the night before as well. I am starting to think it is how they manage the queue.',
        needs: ['cancelled'],
      },
    ],
    advice: [
      () =>
        "Ask for the engineer's name in writing when you register the deal. In our experience that is the only thing that gets a calendar slot.",
      (c) =>
        `Their distributor has pre-sales people too, and they answered us faster than ${c.short} ever did.`,
      {
        text: () =>
          'Next time you do their design work, send them a bill for the days. It will not be paid, but it will be read.',
        needs: ['did-the-design'],
      },
    ],
    dissent: [
      (c) =>
        `Our experience with ${c.short} pre-sales this year has been fine, but we always book them through the distributor.`,
      {
        text: (c) =>
          `To be fair, ${number(c.weeks)} weeks is short notice for a workshop with a vendor engineer in some regions. Was a minimum in the guide?`,
        needs: ['workshop', 'lead-time'],
      },
    ],
  },
  {
    key: 'presales-great',
    sentiment: 'good',
    areas: { presales: 'good', presentations: 'good' },
    main: 'presales',
    titles: [
      (c) => `${c.short}'s engineer saved our ${bare(c.customer)} workshop`,
      {
        text: () => 'A pre-sales engineer who stayed until the design was signed off',
        happened: 1,
      },
      (c) => `Proper pre-sales help on a ${c.amount} ${c.product}`,
      (c) => `${c.short} pre-sales: fast, honest and on site`,
      (c) => `${c.short} sent an engineer, not a brochure`,
      (c) => `Credit to ${c.short}'s systems engineers on the ${bare(c.customer)} tender`,
      () => 'The pre-sales support the brochure promises, for once',
      {
        text: (c) =>
          `A ${c.short} engineer called back in ${c.days} days and read the whole tender`,
        happened: 0,
      },
      {
        text: (c) => `Written design and bill of materials for our ${c.product}, overnight`,
        happened: 2,
      },
      {
        text: (c) =>
          `We won ${c.amount} at the ${bare(c.customer)} thanks to ${c.short}'s pre-sales`,
        consequence: 0,
      },
      (c) => `Smallest partner in the room, and ${c.short} still sent its best engineer`,
      (c) => `What ${c.tier ?? 'partner'}-level pre-sales support should look like`,
      (c) => `Two hours of hard questions on ${an(c.product)}, answered by ${c.short}`,
    ],
    situation: [
      (c) =>
        `We had a tight deadline on ${an(c.product)} for ${c.customer}, and the customer's architect had a long list of hard questions.`,
      (c) =>
        `${cap(c.customer)} invited three vendors' partners to present ${an(c.product)}, and we were the smallest of the three.`,
      (c) =>
        `${cap(c.customer)} was moving away from a competitor's product and wanted proof that ${an(c.product)} would fit their setup.`,
      (c) =>
        `We were bidding for a ${c.amount} ${c.product} at ${c.customer}, with a design review on the tender timetable.`,
      (c) =>
        `${cap(c.customer)} wanted a workshop on ${an(c.product)} in ${c.month}, and we had nobody who had built one that size.`,
    ],
    promise: [
      (c) =>
        `We asked ${c.short} for pre-sales help through the portal on a Monday, not expecting much.`,
      (c) =>
        `Our partner manager offered an engineer for the ${bare(c.customer)} workshop before we had even asked.`,
      (c) =>
        `The program promises pre-sales support to ${c.tier ?? 'registered'} partners, and this time it was there.`,
      (c) =>
        `The request went in with the deal registration for the ${c.product}, as the guide asks.`,
    ],
    happened: [
      {
        text: (c) =>
          `A systems engineer called back within ${c.days} days, read the tender documents and joined the customer meeting in person.`,
        gives: ['read-tender'],
      },
      (c) =>
        `The engineer presented the ${c.product}, answered the architect for two hours and then stayed for the design review, which was not in the plan.`,
      {
        text: (c) =>
          `They sent a written design with a bill of materials the next morning, and it matched our ${c.amount} quote almost line for line.`,
        gives: ['written-design'],
      },
      (c) =>
        `The engineer joined ${number(c.engineers)} calls with the ${bare(c.customer)} in ${c.month}, including one at seven in the morning for the board.`,
      {
        text: (c) =>
          `Their engineer built a small lab of the ${c.product} for us and walked our team through it in ${c.days} days.`,
        gives: ['lab'],
      },
    ],
    consequence: [
      (c) => `We won the ${c.amount} deal, and the customer named the workshop as the reason.`,
      (c) =>
        `The ${bare(c.customer)} signed within the month, and our own engineers learned a lot from the session.`,
      (c) =>
        `We did not win that one, but the ${bare(c.customer)} has invited us to the next tender directly.`,
      (c) =>
        `The ${c.product} went live ${number(c.weeks)} weeks later, and the customer still asks for "the engineer from ${c.short}" by name.`,
      (c) =>
        `We closed at ${c.amount} against two bigger partners, and ${number(c.engineers)} of our people now know the product properly.`,
    ],
    questions: [
      {
        ask: () => 'Did you go through the portal, or straight to the engineer?',
        answer: () =>
          'Portal first, then our partner manager put us in touch directly. Both worked.',
      },
      {
        ask: () => 'Did they charge for the design work?',
        answer: () => 'Not a cent. It is part of the program at our level, apparently.',
        needs: ['written-design'],
      },
      {
        ask: () => 'Was the lab on their hardware or on yours?',
        answer: (c) => `Theirs, remote, for ${c.days} days. We could break it as much as we liked.`,
        needs: ['lab'],
      },
    ],
    similar: [
      (c) =>
        `Same experience with ${c.short}'s engineers in our region: good people, quick to help.`,
      () => 'We had an engineer from them at a hospital tender last year. Excellent.',
      (c) =>
        `Their engineers are the best part of ${c.short}, in our experience. The process around them is another matter.`,
    ],
    advice: [
      {
        text: () =>
          'Send the engineer the tender documents before the meeting. They clearly read yours, and it showed.',
        needs: ['read-tender'],
      },
      () => 'Write to their manager when it goes well, too. It is how good engineers get kept.',
      (c) =>
        `Ask for the same engineer on the next ${c.product}. Continuity matters more than seniority.`,
    ],
    dissent: [
      (c) =>
        `Good for you. In our region ${c.short} pre-sales is a lottery: one great engineer and a queue in front of them.`,
      () => 'Nice, but I suspect it depends on the size of the deal more than anyone admits.',
    ],
  },
  {
    key: 'dealreg-honoured',
    sentiment: 'good',
    areas: { dealreg: 'good' },
    main: 'dealreg',
    titles: [
      {
        text: (c) => `${c.short} honoured our deal registration against their own direct team`,
        happened: 0,
      },
      (c) => `Deal registration actually protected us on a ${c.amount} ${c.product}`,
      (c) => `Registered first, and ${c.short} stood by it`,
      {
        text: (c) => `Direct rep went after our ${bare(c.customer)} deal; the channel team said no`,
        happened: 0,
      },
      (c) => `A deal registration that was worth the form: ${c.product} for ${c.customer}`,
      (c) => `${c.short}'s channel team protected our registration, no questions asked`,
      {
        text: (c) => `Our registration beat a cheaper quote, and ${c.short} backed us`,
        happened: 1,
      },
      {
        text: (c) => `${c.short} extended our registration when the ${bare(c.customer)} stalled`,
        happened: 2,
      },
      (c) => `Registered in ${c.month}, protected until the order: ${c.short} kept its word`,
      {
        text: (c) => `Another reseller undercut us by ${c.percent}%, and the registration held`,
        happened: 1,
      },
      (c) => `The day a ${c.amount} registration was worth more than a lower price`,
    ],
    situation: [
      (c) =>
        `We registered a ${c.amount} ${c.product} for ${c.customer} on the day of our first meeting with them.`,
      (c) =>
        `${cap(c.customer)} has been our customer for years, and this spring they asked us to quote ${an(c.product)} worth about ${c.amount}.`,
      (c) =>
        `We found the opportunity ourselves: ${c.customer} needed ${an(c.product)} and had never bought ${c.short} before.`,
      (c) =>
        `In ${c.month} we registered ${an(c.product)} for ${c.customer}, after ${number(c.weeks)} weeks of workshops with their IT team.`,
    ],
    promise: [
      (c) =>
        `The program says an approved registration protects the partner's price and position for 90 days, including against ${c.short}'s own field sales.`,
      (c) =>
        `The registration was approved within ${c.days} working days, with the registration discount on top of our ${c.tier ?? 'standard'} pricing.`,
      (c) =>
        `Our partner manager told us at registration that the ${bare(c.customer)} deal was ours unless the customer said otherwise.`,
    ],
    happened: [
      {
        text: (c) =>
          `A few weeks later a direct account manager from ${c.short} called the ${bare(c.customer)} with a lower quote. We sent the registration number to our partner manager, and the direct quote was withdrawn within ${c.days + 2} hours.`,
        gives: ['direct-rep', 'escalated'],
      },
      {
        text: (c) =>
          `Another reseller turned up with a quote ${c.percent}% below ours from the same distributor. ${c.short}'s channel team checked the dates, confirmed our registration and refused the other partner's special price on the ${c.product}.`,
        gives: ['other-partner'],
      },
      {
        text: (c) =>
          `When the ${bare(c.customer)} delayed the decision past the 90 days, our partner manager extended the registration by ${number(c.weeks)} weeks without us having to ask twice.`,
        gives: ['extended'],
      },
      {
        text: (c) =>
          `${c.short}'s enterprise team tried to move the ${bare(c.customer)} to a direct contract in ${c.month}. The channel director stepped in within ${c.days} days and confirmed the deal was ours.`,
        gives: ['direct-rep', 'escalated'],
      },
    ],
    consequence: [
      (c) =>
        `We won the ${c.product} at the price we had quoted, and the ${bare(c.customer)} never saw a price war.`,
      (c) =>
        `It closed in ${c.month}, the margin held, and we have registered two more opportunities since.`,
      (c) =>
        `That is what a partner program is for, and it is the main reason we are renewing with ${c.short} at ${c.tier ?? 'our current'} level.`,
      (c) => `The ${c.amount} order came in through us, with the registration discount intact.`,
      (c) =>
        `The ${bare(c.customer)} signed in ${c.month}, and we now register every ${c.short} opportunity on day one.`,
    ],
    questions: [
      {
        ask: () => 'How long did it take them to sort it out once you escalated?',
        answer: () => 'Same day. Our partner manager had it sorted before we had finished lunch.',
        needs: ['escalated'],
      },
      {
        ask: () => 'Was the other partner told why their price was refused?',
        answer: () =>
          'As far as we know, yes: the distributor told them the deal was registered to someone else.',
        needs: ['other-partner'],
      },
      {
        ask: () => 'Did the extension need a new approval, or was it automatic?',
        answer: () => 'A new approval, but our partner manager filed it for us.',
        needs: ['extended'],
      },
    ],
    similar: [
      (c) =>
        `Good to hear. ${c.short} did the same for us on a smaller deal last year, so it is not a one-off.`,
      {
        text: () => 'Same here: the registration held, even against their own enterprise team.',
        needs: ['direct-rep'],
      },
      (c) =>
        `Our ${c.short} registrations have held too, for what it is worth. The paperwork is dull, but it works.`,
    ],
    advice: [
      () =>
        'Register on the day of the first meeting, always. The date is what wins these arguments.',
      () => 'Keep the approval email with the registration number. We needed ours twice.',
      {
        text: () =>
          'Put a reminder in the calendar a fortnight before the 90 days run out. Extensions are easy if you ask early.',
        needs: ['extended'],
      },
    ],
    dissent: [
      (c) =>
        `Our registration with ${c.short} was "approved" and we still lost the deal to their direct team, so I think it depends a lot on the region.`,
      () => 'Good outcome, but it should not take a partner manager stepping in every time.',
    ],
  },
  {
    key: 'channel-conflict',
    sentiment: 'bad',
    areas: { dealreg: 'bad' },
    main: 'dealreg',
    titles: [
      (c) => `${c.short}'s direct team went around us to a customer we registered`,
      (c) => `Registered the deal, lost it to ${c.short}'s own sales rep`,
      (c) =>
        `Channel conflict on a ${c.amount} ${c.product}: our registration was approved, then ignored`,
      (c) => `${c.short} undercut its own partners on a tender for ${c.customer}`,
      (c) => `Our registration meant nothing once ${c.short}'s enterprise team noticed the deal`,
      {
        text: (c) => `${c.short}'s direct offer came in ${c.percent}% under our registered price`,
        happened: 0,
      },
      {
        text: (c) => `"Named account", apparently: ${c.short} took a deal we had registered`,
        happened: 2,
      },
      {
        text: (c) =>
          `${c.short} quoted ${c.customer} directly, on their letterhead, with our design`,
        happened: 1,
      },
      (c) => `${cap(number(c.weeks))} weeks of design work, then ${c.short} sold it direct`,
      (c) => `Approved registration, ${c.amount} deal, and the vendor's own rep took it`,
      (c) => `We introduced ${c.short} to the ${bare(c.customer)}. They thanked us by going direct`,
    ],
    situation: [
      (c) =>
        `We spent ${number(c.weeks)} weeks with ${c.customer} on the requirements for ${an(c.product)}, and registered the opportunity with ${c.short} at the start.`,
      (c) =>
        `${cap(c.customer)} asked us to run their tender for ${an(c.product)}, about ${c.amount} in total.`,
      (c) =>
        `We introduced ${c.short} to ${c.customer} ourselves, after a year of looking after their network and servers.`,
      (c) =>
        `We registered a ${c.amount} ${c.product} for ${c.customer} in ${c.month} and had the approval within ${c.days} days.`,
    ],
    promise: [
      () =>
        "The registration was approved, and the program promises that an approved registration is not contested by the vendor's direct sales.",
      (c) =>
        `Our partner manager told us in writing that ${c.short} would "stay out of it" as long as we were registered.`,
      (c) =>
        `The rules of engagement on ${c.short}'s portal say the direct team does not quote a registered opportunity.`,
    ],
    happened: [
      (c) =>
        `Two weeks before the deadline, ${c.short}'s own account manager contacted the finance director of the ${bare(c.customer)} with a direct offer ${c.percent}% below our price.`,
      (c) =>
        `The ${bare(c.customer)} forwarded us a quote from ${c.short}'s direct team, on their letterhead, for the exact ${c.product} configuration we had designed.`,
      {
        text: (c) =>
          `When we complained, the answer was that the ${bare(c.customer)} was "a named account", which nobody had mentioned when approving the registration.`,
        gives: ['named-account'],
      },
      (c) =>
        `In ${c.month} ${c.short}'s enterprise rep invited the customer's CIO to lunch and left with a verbal order for the ${c.product}.`,
    ],
    consequence: [
      {
        text: (c) =>
          `The ${bare(c.customer)} bought direct. We were left with ${number(c.weeks)} weeks of design work and no deal.`,
        gives: ['design-work'],
      },
      (c) =>
        `We kept the ${bare(c.customer)} by matching the price, which left us almost no margin on a ${c.amount} project that took months.`,
      (c) =>
        `The ${bare(c.customer)} now asks why they should buy through us at all, and honestly we do not have a good answer.`,
      (c) =>
        `We have taken ${c.short} off our standard proposals until someone explains what a ${c.amount} registration is worth.`,
      (c) =>
        `The ${c.amount} went direct, and the ${c.other} partner down the road has been telling the story to every customer since.`,
    ],
    questions: [
      {
        ask: () => 'Did you get the "named account" rule in writing anywhere before this?',
        answer: (c) => `No. It appeared in the program guide in ${c.month}, after the fact.`,
        needs: ['named-account'],
      },
      {
        ask: () => 'Did the channel team at least compensate you for the design work?',
        answer: () => 'They offered a marketing voucher. We did not take it.',
        needs: ['design-work'],
      },
      {
        ask: () => 'Did your partner manager know the direct team was quoting?',
        answer: () => 'They say not. I believe them, which is almost worse.',
      },
    ],
    similar: [
      (c) =>
        `Happened to us with ${c.short} too. The registration protects you until their own team wants the deal.`,
      () =>
        'Same story at a hospital tender last year. We stopped registering anything above a certain size with them.',
      (c) =>
        `We lost a ${c.product} the same way. The direct rep's quote even had our design notes in it.`,
    ],
    advice: [
      () =>
        "Ask your partner manager to confirm in writing that the account is not on the direct team's list before you register.",
      () =>
        'Get the customer to insist on buying through you in the tender documents. It is the only protection that worked for us.',
      () =>
        'Send the registration number and the approval date to the channel director, not just the partner manager. It is their target too.',
    ],
    dissent: [
      {
        text: () =>
          "Devil's advocate: if the customer was on their named-account list, the registration should never have been approved. That is a process failure, not a conspiracy.",
        needs: ['named-account'],
      },
      () =>
        'Sometimes the customer calls the vendor directly and asks for a price. Are you sure that is not what happened here?',
    ],
  },
  {
    key: 'discount-withdrawn',
    sentiment: 'bad',
    areas: { discounts: 'bad' },
    main: 'discounts',
    titles: [
      {
        text: () => 'Discount promised, then withdrawn after the customer asked for a second quote',
        happened: 0,
      },
      {
        text: (c) => `${c.short} pulled a ${c.percent}% special price two days before the order`,
        happened: 1,
      },
      {
        text: (c) => `Special bid approved in writing, then "recalculated" by ${c.short}`,
        happened: 0,
      },
      { text: (c) => `${c.percent}% project discount vanished at quarter end`, happened: 1 },
      (c) => `Quoted ${c.customer} with an approved discount, ${c.short} took it back`,
      {
        text: (c) => `${c.short} approved ${c.percent}% off, and the distributor never saw it`,
        happened: 2,
      },
      (c) => `An approved special bid is worth little at ${c.short}`,
      (c) => `${c.amount} ${c.product}, approved price, then a "change in pricing policy"`,
      {
        text: (c) =>
          `Distributor invoiced our ${c.product} at list: the special bid "never arrived"`,
        happened: 2,
      },
      (c) => `Our ${c.tier ?? 'partner'} discount disappeared between quote and order`,
      (c) => `Day ${c.days + 30} of a 60-day special bid, and ${c.short} withdrew it`,
      (c) => `We ate the difference on a ${c.amount} deal after ${c.short} withdrew a discount`,
    ],
    situation: [
      (c) =>
        `We quoted ${an(c.product)} for ${c.customer} with a project discount of ${c.percent}% that ${c.short} had approved for the deal.`,
      (c) =>
        `After ${number(c.weeks)} weeks of negotiation, ${c.customer} was ready to order ${an(c.product)}, about ${c.amount} at list price.`,
      (c) =>
        `${cap(c.customer)} chose ${c.short} for ${an(c.product)} after a long comparison, largely because of the project price we could offer.`,
      (c) =>
        `In ${c.month} we won ${c.customer} over to ${an(c.product)}, about ${c.amount}, on a special price ${c.short} had signed off.`,
    ],
    promise: [
      {
        text: (c) =>
          `The special bid was approved by email in ${c.month}, valid for 60 days, with our partner manager in copy.`,
        gives: ['sixty-days'],
      },
      (c) =>
        `As ${asPartner(c)} we get a fixed project discount on registered deals, and we had the approval number.`,
      (c) => `Our partner manager wrote: "${c.percent}% is approved, go ahead and quote."`,
    ],
    happened: [
      {
        text: (c) =>
          `When the ${bare(c.customer)} asked for a second quote with more capacity, the approval was suddenly "no longer valid", and the new discount was half of the ${c.percent}% agreed.`,
        gives: ['second-quote'],
      },
      (c) =>
        `Two days before the purchase order, ${c.short} told us the ${c.percent}% had been withdrawn because of "a change in pricing policy for the quarter".`,
      {
        text: (c) =>
          `The distributor invoiced the ${c.product} at standard price and said the special bid had never reached their system.`,
        gives: ['distributor'],
      },
      (c) =>
        `${c.short} "recalculated" the bid ${c.days} days before the order, and the new price was ${c.percent}% higher than the one we had quoted.`,
    ],
    consequence: [
      (c) =>
        `We had to go back to the ${bare(c.customer)} with a higher price, and they have questioned every quote of ours since.`,
      (c) =>
        `We absorbed the difference on the ${c.amount} to keep our word, which cost us most of the margin.`,
      (c) =>
        `The ${bare(c.customer)} cancelled the ${c.product} and bought a competing product from a direct seller.`,
      (c) =>
        `The order went through ${c.days} days late at the old price, after our managing director called ${c.short}'s channel director twice.`,
      (c) =>
        `We lost the ${c.amount} order to ${an(c.other)} partner, and with it our best reference in the region.`,
    ],
    questions: [
      {
        ask: () => 'Did the approval email have an expiry date on it?',
        answer: (c) => `Sixty days, and we were on day ${c.days + 30}.`,
        needs: ['sixty-days'],
      },
      {
        ask: () => 'Did the distributor confirm they had received the special bid at the time?',
        answer: () => 'They did, by phone. Lesson learned: get it in writing from them too.',
        needs: ['distributor'],
      },
      {
        ask: () => 'Did anyone at the vendor put the reason in writing?',
        answer: () => 'A one-line email from a pricing mailbox. No name on it.',
      },
    ],
    similar: [
      (c) =>
        `Exactly the same with ${c.short} at the end of last year. It seems to happen whenever a quarter looks bad for them.`,
      () => 'We have seen this too. An approval is not worth much if it can be "recalculated".',
      (c) =>
        `Had a special price on ${an(c.product)} withdrawn in the last week of a quarter too. Never got a reason.`,
    ],
    advice: [
      () =>
        'Put the special-bid number on the quote to the customer. When it is in front of the customer, vendors tend to honour it.',
      () =>
        'Ask the distributor to confirm the bid is loaded before you send any quote. It takes a day and saves weeks.',
    ],
    dissent: [
      {
        text: () =>
          'A second quote with more capacity is a new deal in most programs, so the first approval would not cover it anywhere. Annoying, but not unusual.',
        needs: ['second-quote'],
      },
      () =>
        'Special prices are always conditional on the quarter at most vendors. Painful, but it is in the small print.',
    ],
  },
  {
    key: 'special-bid-fast',
    sentiment: 'good',
    areas: { discounts: 'good' },
    main: 'discounts',
    titles: [
      (c) => `Special bid approved in ${c.days} days for a ${c.amount} ${c.product}`,
      (c) => `${c.short} matched a competitor's price on a tender for ${c.customer}`,
      (c) => `Fast, fair special pricing from ${c.short}`,
      (c) => `${c.short}'s deal desk made a ${c.amount} deal possible`,
      (c) => `${c.short}'s pricing desk answered before our customer did`,
      {
        text: (c) => `A quick ${c.short} special bid got us inside ${c.customer}'s budget`,
        situation: 1,
      },
      {
        text: (c) => `${c.short} closed a ${c.percent}% price gap for us in an afternoon`,
        happened: 1,
      },
      (c) => `Special pricing on ${an(c.product)} that arrived before the deadline`,
      (c) => `The ${c.month} tender we won because ${c.short}'s deal desk was quick`,
      {
        text: (c) =>
          `${c.short} extended our special bid when the board of the ${bare(c.customer)} was late`,
        happened: 2,
      },
    ],
    situation: [
      {
        text: (c) =>
          `We were up against a direct seller on ${an(c.product)} for ${c.customer}, and our price was ${c.percent}% too high.`,
        gives: ['price-gap'],
      },
      (c) =>
        `${cap(c.customer)} had a fixed budget for their ${c.product}, and our standard partner price was above it.`,
      (c) =>
        `A competitor offered ${c.customer} ${an(c.product)} at a price we could not reach with our standard discount.`,
      {
        text: (c) =>
          `In ${c.month} ${c.customer} asked for a final price on a ${c.amount} ${c.product}, and we were ${c.percent}% above ${an(c.other)} offer.`,
        gives: ['price-gap'],
      },
    ],
    promise: [
      {
        text: (c) =>
          `We sent a special-bid request for the ${c.product} with the competing quote attached, not expecting much.`,
        gives: ['competing-quote'],
      },
      (c) =>
        `${c.short}'s program promises an answer to special-bid requests within three working days.`,
      (c) =>
        `Our partner manager had said special bids for ${c.tier ?? 'registered'} partners get a same-week answer.`,
    ],
    happened: [
      (c) =>
        `The deal desk answered within ${c.days} days and approved the price we asked for, with a note on how to position the support contract.`,
      (c) =>
        `Our partner manager called the same afternoon to ask what price would win at the ${bare(c.customer)}, and the approval came back for exactly that.`,
      {
        text: (c) =>
          `They even extended the validity by ${number(c.weeks)} weeks when the ${bare(c.customer)} needed board approval.`,
        gives: ['extended'],
      },
      (c) =>
        `The approval came back in ${c.days} days, already loaded at the distributor, for ${c.percent}% off list.`,
    ],
    consequence: [
      (c) =>
        `We won the ${c.product} with a healthy margin, and the ${bare(c.customer)} has since ordered an expansion.`,
      (c) =>
        `Deal closed at ${c.amount}, and the distributor had the price loaded before the order came in.`,
      (c) =>
        `The ${bare(c.customer)} was surprised how quickly we came back, and said so to their board.`,
      (c) => `The ${c.amount} order came in in ${c.month}, and we kept our full services margin.`,
    ],
    questions: [
      {
        ask: () => 'Did you have to register the deal first, or is the special bid separate?',
        answer: () => 'Registered first. The special bid refers to the registration number.',
      },
      {
        ask: () => 'Did they ask for the competing quote itself, or just the price?',
        answer: () => 'The quote itself, with the customer name blacked out. That was enough.',
        needs: ['competing-quote'],
      },
    ],
    similar: [
      (c) => `Our special bids with ${c.short} have been quick too, usually within the week.`,
      () => 'Same experience this year. Their deal desk is the best part of the program.',
    ],
    advice: [
      {
        text: () =>
          'Attaching the competing quote makes a big difference in our experience. Without it the answer takes twice as long.',
        needs: ['competing-quote'],
      },
      () => "Ask for the validity to cover the customer's board dates from the start.",
    ],
    dissent: [
      (c) =>
        `Lucky you. Our last three bids with ${c.short} took over two weeks each, at ${c.tier ?? 'the same'} level.`,
      {
        text: (c) =>
          `${c.percent}% is a big gap to close. I would be curious what it did to the price for everyone else's deals.`,
        needs: ['price-gap'],
      },
    ],
  },
  {
    key: 'great-partner-manager',
    sentiment: 'good',
    areas: { presales: 'good', dealreg: 'good' },
    main: 'partner-manager',
    titles: [
      (c) => `Our partner manager at ${c.short} is the reason we stay`,
      (c) => `A partner manager who picks up the phone: credit to ${c.short}`,
      (c) => `Credit where it is due: ${c.short}'s channel manager for our region`,
      { text: (c) => `New partner manager turned ${c.short} around for us`, situation: 1 },
      {
        text: (c) =>
          `${c.months + 20} months with the same ${c.short} partner manager, and it shows`,
        situation: 0,
      },
      (c) => `What a good partner manager looks like, at ${c.short}`,
      {
        text: (c) => `Our ${c.short} partner manager got a ${c.amount} registration unstuck`,
        happened: 2,
      },
      {
        text: (c) => `An engineer in the room within ${c.days} days, thanks to our partner manager`,
        happened: 1,
      },
      (c) => `The ${c.tier ?? 'partner'} benefit that matters most: a partner manager who answers`,
      (c) => `Why ${c.short} is now the first vendor we propose`,
    ],
    situation: [
      (c) =>
        `We have worked with ${c.short} for about ${c.months + 20} months, and for most of that time our partner manager has been the one constant.`,
      (c) =>
        `We were close to dropping ${c.short} last year, after ${number(c.weeks)} weeks without an answer on a single deal. Then a new partner manager took over our region in ${c.month}.`,
      (c) =>
        `Most of what we post here about ${c.short} is what went wrong, so here is what went right in ${c.month}.`,
      (c) =>
        `We are a ${c.tier ?? 'small'} partner of ${c.short} with ${number(c.engineers)} certified engineers, not the kind that usually gets attention.`,
    ],
    promise: [
      () =>
        'At our first meeting they asked for our pipeline and promised a call every two weeks, which I did not believe.',
      () =>
        'They said they would rather tell us "no" early than let a deal die in a queue, and they meant it.',
      (c) => `They promised to review our open ${c.short} deals with us once a month.`,
    ],
    happened: [
      (c) =>
        `They answer the same day, join customer calls when we ask, and told us honestly in ${c.month} that a special bid would not fly.`,
      (c) =>
        `On a ${c.amount} ${c.product} for ${c.customer} they got an engineer into the room within ${c.days} days and followed the registration through the deal desk themselves.`,
      {
        text: (c) =>
          `When our registration for ${c.customer} got stuck in the portal, they called the deal desk and had it approved before the customer meeting.`,
        gives: ['stuck-registration'],
      },
      (c) =>
        `They sat in on ${number(c.engineers)} customer meetings this year, including one with ${c.customer} that we would have lost without them.`,
    ],
    consequence: [
      (c) => `Our sales with ${c.short} have roughly doubled since ${c.month}.`,
      (c) =>
        `It sounds small, but since ${c.month} it has been the difference between a vendor we recommend and one we only quote when asked. ${c.short} is now the first kind.`,
      (c) =>
        `${cap(number(c.engineers))} of our engineers now ask to work on ${c.short} projects, which tells you something.`,
      (c) =>
        `The ${bare(c.customer)} deal closed at ${c.amount}, and we have three more ${c.short} proposals out.`,
    ],
    questions: [
      {
        ask: () => 'Which region is that? Ours has had three partner managers in two years.',
        answer: () => 'I would rather not say, they would be easy to identify. Sorry.',
      },
      {
        ask: () => 'Was the portal problem ever explained?',
        answer: () => 'A sync issue with the distributor, apparently. It has not happened since.',
        needs: ['stuck-registration'],
      },
    ],
    similar: [
      () => 'Same here: one good partner manager makes up for a lot of program bureaucracy.',
      (c) =>
        `Agreed, our partner manager at ${c.short} is also excellent. It is the portal and the processes around them that let them down.`,
    ],
    advice: [
      () =>
        'Tell their manager, in writing. In every vendor we work with, good partner managers get moved to bigger territories unless partners speak up.',
      () => 'Keep a shared list of open deals with them. It makes the good ones even better.',
    ],
    dissent: [
      () =>
        'Good for you, but a program that only works when you have the right person is not a good program.',
    ],
  },
  {
    key: 'mdf-late',
    sentiment: 'bad',
    areas: { mdf: 'bad' },
    main: 'mdf',
    titles: [
      {
        text: (c) => `Marketing funds for our ${c.month} event paid ${c.months} months late`,
        situation: 0,
        happened: 0,
      },
      (c) => `${c.short} marketing funds: approved, spent, and still unpaid`,
      {
        text: (c) => `${c.short} rejected our MDF claim over a missing logo on one photo`,
        happened: 1,
      },
      { text: () => 'Proof of performance accepted, money nowhere', happened: 0 },
      {
        text: (c) => `Co-funded seminar in ${c.month}, still chasing ${c.short} for the money`,
        situation: 0,
        happened: 0,
      },
      {
        text: (c) =>
          `${cap(number(c.months))} months and counting for ${an(c.short)} marketing fund payout`,
        happened: 0,
      },
      { text: (c) => `Marketing funds expired before ${c.short} paid them`, happened: 2 },
      {
        text: (c) => `${c.count} attendees, one photo without a logo, claim rejected`,
        situation: 0,
        happened: 1,
      },
      {
        text: (c) => `Our ${c.month} webinar series is still waiting for ${c.short}'s share`,
        situation: 2,
        happened: 0,
      },
      {
        text: (c) => `"Finance has a backlog": ${c.months} months of the same answer`,
        happened: 2,
      },
      {
        text: (c) => `Half-year marketing plan approved by ${c.short}, claim still pending`,
        situation: 1,
        happened: 3,
      },
    ],
    situation: [
      (c) =>
        `We ran a customer seminar in ${c.month} with ${c.count} attendees, co-funded by ${c.short}'s marketing development funds.`,
      (c) =>
        `Our ${c.short} marketing plan for the half year was approved: two webinars and a mailing to ${c.count * 10} contacts, half paid by the vendor.`,
      (c) =>
        `${c.short} offered us marketing funds for a webinar series in ${c.month}, and we ran all four sessions with ${c.count} sign-ups.`,
      (c) =>
        `We held a ${c.line} launch breakfast in ${c.month} for ${c.count} customers, with half of the cost promised from ${c.short}'s marketing funds.`,
    ],
    promise: [
      () => 'The claim rules say payment within 45 days of an accepted proof of performance.',
      (c) =>
        `The partner manager approved the budget in writing in ${c.month}, before we booked anything.`,
      () => 'The approval email said the claim would be settled in the same quarter.',
    ],
    happened: [
      {
        text: (c) =>
          `We sent invoices, the list of ${c.count} attendees and photos within a week. The claim was accepted in ${c.days} days, then sat in "payment pending" for ${number(c.months)} months.`,
        gives: ['payment-months'],
      },
      {
        text: (c) =>
          `The claim was rejected because one of ${c.count} photos did not show the ${c.short} logo on the banner, although the logo was on every slide.`,
        gives: ['logo-rule'],
      },
      {
        text: (c) =>
          `Every month for ${number(c.months)} months the answer was that finance had a backlog, and in the end the funds expired with the fiscal year.`,
        gives: ['expired'],
      },
      {
        text: (c) =>
          `The claim went in ${c.days} days after the event. Since then it has been "with finance", and we have answered the same questions ${number(c.engineers)} times.`,
        gives: ['same-questions'],
      },
    ],
    consequence: [
      (c) =>
        `We paid the venue and catering for ${c.count} people ourselves, money we had counted on for a new hire.`,
      (c) =>
        `We are not running another co-funded event with ${c.short} until the ${c.month} one is paid.`,
      (c) =>
        `For a company of ${c.engineers + 10} people that is real money, and it has soured our view of the whole ${c.short} program.`,
      (c) =>
        `Our marketing budget for the rest of the year went into pre-financing ${c.short}'s half, and the ${c.product} campaign we planned is on hold.`,
      (c) =>
        `${cap(number(c.engineers))} leads came out of the event, so it was not wasted. The money still is.`,
    ],
    questions: [
      {
        ask: () => 'Did you submit the claim through the portal or by email?',
        answer: () => 'Portal, with everything attached. We have the confirmation numbers.',
      },
      {
        ask: () => 'Were the funds approved against a specific campaign ID?',
        answer: () => 'Yes, and the ID is on every invoice we sent.',
      },
      {
        ask: () => 'Did they say which questions were still open, at least?',
        answer: () => 'The same three every time: invoices, attendee list, photos.',
        needs: ['same-questions'],
      },
    ],
    similar: [
      {
        text: (c) =>
          `Our last ${c.short} MDF claim took ${number(c.months)} months too. It does get paid eventually, in our case.`,
        needs: ['payment-months'],
      },
      () => 'Same, and every time a different person asks for the same documents again.',
      {
        text: () =>
          'We lost a claim to the fiscal year end as well. Nobody warned us it could expire.',
        needs: ['expired'],
      },
    ],
    advice: [
      {
        text: () =>
          'Take photos of every banner and every slide with the logo, even if it feels silly. We learned that the hard way.',
        needs: ['logo-rule'],
      },
      () =>
        'Ask the distributor whether they can pre-finance the claim. Ours does it for a small fee.',
      () => 'Screenshot the claim status every week. It helps when the history "disappears".',
    ],
    dissent: [
      {
        text: () =>
          'The logo rule is in the claim guide, to be fair. It is petty, but it is written down.',
        needs: ['logo-rule'],
      },
      () => 'Most of our claims with them are paid within two months. Maybe it is your region.',
    ],
  },
  {
    key: 'mdf-paid',
    sentiment: 'good',
    areas: { mdf: 'good', events: 'good' },
    main: 'mdf',
    titles: [
      { text: (c) => `${c.short} paid our marketing funds in ${c.days + 12} days`, happened: 0 },
      (c) => `Co-funded ${c.month} seminar with ${c.short}: smooth from start to finish`,
      () => 'An MDF claim that just worked',
      { text: (c) => `${c.short} marketing funds: paid on time, with one question`, happened: 0 },
      (c) => `Our first marketing fund claim with ${c.short} went better than expected`,
      (c) => `Credit to ${c.short}'s marketing team for an easy co-funded event`,
      {
        text: (c) => `Marketing funds for our ${c.month} breakfast: claimed, paid, done`,
        situation: 0,
      },
      {
        text: (c) => `A ${c.short} webinar series on the ${c.line}, half paid by ${c.short}`,
        situation: 1,
      },
      { text: (c) => `MDF claim approved in ${c.days} days, paid with the next run`, happened: 2 },
      (c) => `${c.count} customers at a co-funded event, and ${c.short} paid its half quickly`,
      {
        text: (c) => `${c.short} sent a speaker to our ${c.month} event and paid the claim too`,
        happened: 1,
      },
    ],
    situation: [
      (c) =>
        `We organised a breakfast seminar in ${c.month} for ${c.count} customers, with ${c.short} paying half of the cost from marketing funds.`,
      (c) =>
        `${c.short} offered us marketing funds for a webinar series on their ${c.line}, ${number(c.engineers)} sessions in all.`,
      (c) =>
        `We used ${c.short}'s marketing funds for a direct mailing and a customer lunch in ${c.month}.`,
      (c) =>
        `In ${c.month} we ran a ${c.line} open day for ${c.count} guests, half of it paid from ${c.short}'s marketing funds.`,
    ],
    promise: [
      () =>
        'The rules were one page long: agree the plan, run the event, send invoices and an attendee count.',
      () => 'Payment within 30 days of the claim, according to the program guide.',
      () => 'Our partner manager walked us through the claim form before the event, which helped.',
    ],
    happened: [
      {
        text: (c) =>
          `We sent the claim on a Friday, got one question about the catering invoice on Monday, and the money arrived ${c.days + 12} days later.`,
        gives: ['catering-question'],
      },
      {
        text: (c) =>
          `Their marketing team even sent a speaker on the ${c.line} to our ${c.month} event, and printed material at no extra cost.`,
        gives: ['speaker'],
      },
      (c) => `The claim was approved in ${c.days} days and paid with the next payment run.`,
      (c) =>
        `The claim for the ${c.month} event took one form and ${c.days} days, and the money was in our account before the venue's invoice was due.`,
    ],
    consequence: [
      (c) => `${cap(number(c.engineers))} of the attendees have since asked for quotes.`,
      (c) =>
        `We have already booked the next one with ${c.short}, for ${c.count + 20} guests this time.`,
      (c) =>
        `${cap(number(Math.min(c.engineers, 4)))} customers from the event have ordered since, one of them ${an(c.product)}.`,
      (c) => `One attendee, ${c.customer}, has since asked us for a ${c.amount} quote.`,
    ],
    questions: [
      {
        ask: () => 'Did you need a minimum tier for the funds?',
        answer: (c) =>
          c.tier
            ? `We are ${c.tier}, and it was offered to us without asking.`
            : 'Apparently not. We are at the entry level, and it was offered to us without asking.',
      },
      {
        ask: () => 'Did the speaker cost anything?',
        answer: () => 'Nothing, not even travel. They asked for the attendee list afterwards.',
        needs: ['speaker'],
      },
    ],
    similar: [
      (c) => `Same with ${c.short} for us last autumn. Their MDF process is painless.`,
      (c) => `Our ${c.month} claim with them went just as smoothly, for what it is worth.`,
    ],
    advice: [
      () =>
        'Send the attendee list with the claim even if they do not ask for it; it speeds things up.',
      {
        text: () =>
          'Itemise the catering invoice before you send it. That is the question they always ask.',
        needs: ['catering-question'],
      },
    ],
    dissent: [() => 'Our experience was slower, about two months, but it did get paid in full.'],
  },
  {
    key: 'demo-units-missing',
    hardwareOnly: true,
    sentiment: 'bad',
    areas: { demos: 'bad' },
    main: 'demos',
    titles: [
      { text: () => 'Demo units "on backorder" for a whole quarter', happened: 0 },
      (c) => `No demo gear from ${c.short}, no proof of concept, no deal`,
      {
        text: (c) => `Waited ${number(c.weeks)} weeks for ${article(c.short)} ${c.short} demo unit`,
        happened: 0,
      },
      (c) => `${c.short}'s demo pool: one unit for the whole country?`,
      {
        text: (c) => `Proof of concept for ${c.customer} died waiting for ${c.short} hardware`,
        situation: 0,
      },
      {
        text: (c) => `Partner day without the product: ${c.short}'s demo unit never arrived`,
        situation: 2,
        happened: 0,
      },
      { text: (c) => `A two-generation-old demo unit from ${c.short}, months late`, happened: 1 },
      {
        text: (c) => `A "special demo price" on ${an(c.product)} that was our normal price`,
        happened: 2,
      },
      (c) => `${c.tier ?? 'Partner'} level, demo units included, none delivered`,
      {
        text: (c) => `Our ${c.month} proof of concept for ${an(c.product)} never had hardware`,
        situation: 0,
      },
      {
        text: (c) => `${c.count} customers booked for a demo day, and no ${c.short} demo unit`,
        situation: 2,
      },
      (c) => `A ${c.amount} project on hold for want of one ${c.short} demo unit`,
      {
        text: (c) => `${c.short} demo unit "reserved for a bigger partner" after ${c.weeks} weeks`,
        happened: 0,
      },
    ],
    situation: [
      (c) =>
        `${cap(c.customer)} wanted a two-week proof of concept before committing to ${an(c.product)}.`,
      (c) =>
        `We needed a demo unit for our lab to train our engineers and show customers the ${c.product} in action, ahead of a ${c.amount} bid.`,
      (c) =>
        `We wanted to show ${c.short}'s ${c.line} at a partner day with ${c.count} of our customers in ${c.month}.`,
      (c) =>
        `${cap(c.customer)} asked to see the ${c.product} running before their ${c.month} budget meeting.`,
    ],
    promise: [
      (c) =>
        `Our ${c.tier ?? 'partner'} level includes demo equipment on loan, and the partner manager said a unit would ship "next week".`,
      (c) =>
        `The program guide promises demo units to partners who have certified engineers, and we have ${c.engineers}.`,
      (c) =>
        `The demo request for the ${c.product} was approved in the portal within ${c.days} days.`,
    ],
    happened: [
      {
        text: (c) =>
          `"Next week" turned into ${number(c.weeks)} weeks. The ${c.product} was on backorder, then "reserved for a bigger partner" in ${c.month}.`,
        gives: ['backorder'],
      },
      {
        text: (c) =>
          `The unit that finally arrived after ${number(c.weeks)} weeks was two generations old and did not support the feature the customer wanted to test.`,
        gives: ['old-unit'],
      },
      {
        text: (c) =>
          `We were told to buy a demo ${c.product} at a "special demo price", which was the same as our normal partner price.`,
        gives: ['buy-demo'],
      },
      (c) =>
        `The portal showed the unit as shipped for ${c.days} days. It had never left the warehouse.`,
    ],
    consequence: [
      (c) =>
        `The ${bare(c.customer)} ran a proof of concept with a competitor instead, and bought from them.`,
      (c) =>
        `We delayed the ${c.product} by a quarter and lost some of our credit with the ${bare(c.customer)} on the way.`,
      (c) =>
        `We now only propose ${c.short} products we can show from our own lab, which rules out the ${c.product}.`,
      (c) =>
        `The ${c.amount} bid went to ${an(c.other)} partner who had a unit in their rack the next day.`,
      (c) =>
        `We ran the ${c.month} session with slides only, and ${c.count} customers went home without seeing the product.`,
    ],
    questions: [
      {
        ask: () => "Did you try the distributor's demo pool?",
        answer: () => 'Yes. Same answer: everything reserved until the end of the quarter.',
      },
      {
        ask: () => 'Did they say which partner got the unit instead?',
        answer: () => 'No, only that it was "a strategic partner". Which we apparently are not.',
        needs: ['backorder'],
      },
    ],
    similar: [
      (c) =>
        `Same with ${c.short} for us. We gave up on their demo pool and bought our own lab kit.`,
      () => 'We waited two months last year. When it came, it was missing the rails.',
      {
        text: () =>
          'The "special demo price" that is the normal price: we were offered that one too.',
        needs: ['buy-demo'],
      },
    ],
    advice: [
      () =>
        'Ask the customer whether a remote lab would do. Some vendors have hosted labs that are far easier to get than hardware.',
      {
        text: () =>
          'Check the firmware version before you accept a demo unit. Old units are sent out more than you would think.',
        needs: ['old-unit'],
      },
    ],
    dissent: [
      () =>
        'With the supply situation at the time, I am not sure anyone had demo hardware to spare.',
    ],
  },
  {
    key: 'demo-loan',
    hardwareOnly: true,
    sentiment: 'good',
    areas: { demos: 'good' },
    main: 'demos',
    titles: [
      { text: (c) => `${c.short} shipped a proof-of-concept kit in four days`, happened: 0 },
      (c) => `A demo unit when we needed it: ${c.short} delivered`,
      (c) => `Loan hardware from ${c.short} won us ${c.customer}`,
      (c) => `${c.short}'s demo loan made our proof of concept`,
      (c) => `Three-week proof of concept on ${c.short} hardware, no paperwork`,
      (c) => `Credit to ${c.short}'s demo pool`,
      { text: (c) => `A ${c.short} demo loan, extended without a form`, happened: 1 },
      (c) => `${cap(an(c.product))} on loan turned into a ${c.amount} order`,
      (c) =>
        `Our ${c.month} proof of concept for the ${bare(c.customer)} ran on ${c.short} hardware`,
    ],
    situation: [
      (c) =>
        `${cap(c.customer)} would only sign for ${an(c.product)} after seeing it run with their own data.`,
      (c) =>
        `We pitched ${an(c.product)} to ${c.customer}, and their IT manager wanted to try it in their own rack first.`,
      (c) =>
        `We had a workshop with ${c.customer} booked for ${c.month} and no ${c.short} hardware to show.`,
    ],
    promise: [
      () => 'We asked our partner manager for a demo unit for a three-week proof of concept.',
      (c) => `${c.short}'s program includes demo loans for partners with a registered opportunity.`,
      (c) =>
        `The portal form for the ${c.product} loan asked for a date and a reason, nothing more.`,
    ],
    happened: [
      (c) =>
        `The kit arrived four days later, with a pre-sales engineer booked for the installation at the ${bare(c.customer)}.`,
      {
        text: (c) =>
          `When the proof of concept ran over, they extended the loan by ${number(c.weeks)} weeks without any paperwork.`,
        gives: ['extended'],
      },
      (c) => `A courier delivered the ${c.product} on the day we asked for, set up and tested.`,
    ],
    consequence: [
      (c) => `The ${bare(c.customer)} signed for the full ${c.amount} deal a week after the test.`,
      (c) =>
        `The ${bare(c.customer)} bought, and the demo unit went on to the next partner in the region.`,
      (c) =>
        `The ${c.month} workshop went well, and the loan made us look like a much bigger partner than we are.`,
    ],
    questions: [
      {
        ask: () => 'Did you pay for shipping?',
        answer: () => 'No, both ways were on them.',
      },
      {
        ask: () => 'Did the extension count against your loan allowance?',
        answer: () => 'Not as far as we can see. Nobody mentioned one.',
        needs: ['extended'],
      },
    ],
    similar: [
      (c) => `Good to hear. ${c.short}'s demo loans have been reliable for us too.`,
      () => 'Same for us with a proof of concept in spring. Quick and no fuss.',
    ],
    advice: [
      () => 'Register the deal before asking; the loan request form wants the registration number.',
    ],
    dissent: [() => 'That was our experience two years ago, but the pool seems smaller now.'],
  },
  {
    key: 'tier-downgrade',
    weight: 0.7,
    sentiment: 'bad',
    areas: { discounts: 'bad' },
    main: 'tier',
    needsLowerTier: true,
    titles: [
      {
        text: (c) =>
          `Downgraded from ${c.tier} to ${c.lowerTier} after ${c.short} moved the revenue target`,
        happened: 0,
      },
      { text: (c) => `${c.short} changed tier thresholds in the middle of the year`, happened: 0 },
      { text: (c) => `Lost ${c.tier} status over one expired certification`, happened: 1 },
      { text: (c) => `${c.tier} one year, ${c.lowerTier} the next, same revenue`, happened: 2 },
      { text: (c) => `${c.short} downgraded us to ${c.lowerTier} without warning`, happened: 1 },
      (c) => `Demoted to ${c.lowerTier} by ${c.short} in the middle of live deals`,
      {
        text: (c) => `${c.short} raised the ${c.tier} threshold by 40% in ${c.month}`,
        happened: 0,
      },
      {
        text: (c) => `Downgraded to ${c.lowerTier} while an engineer was on parental leave`,
        happened: 1,
      },
      {
        text: (c) => `Two quarters counted, ${c.tier} gone: a new partner manager's review`,
        happened: 2,
      },
      (c) => `The ${c.lowerTier} price on a ${c.amount} quote we made at ${c.tier}`,
      (c) => `From ${c.tier} to ${c.lowerTier} overnight, with ${c.customer} mid-project`,
    ],
    situation: [
      (c) =>
        `We had been ${article(c.tier ?? '')} ${c.tier} partner of ${c.short} for ${number(c.engineers + 1)} years, with the revenue and certifications the level requires.`,
      (c) =>
        `Our ${c.short} revenue grew this year, mostly from ${an(c.product)} for ${c.customer}.`,
      (c) =>
        `We reached ${c.tier} with ${c.short} two years ago and planned our hiring around it, ${number(c.engineers)} certified engineers included.`,
      (c) =>
        `We had ${c.tier} status with ${c.short} and a ${c.amount} ${c.product} for ${c.customer} in the middle of delivery.`,
    ],
    promise: [
      () =>
        'The thresholds are published once a year, and the program says they apply from the next fiscal year.',
      () => 'Our partner manager told us in the spring that we were comfortably above the target.',
      () => 'The partner agreement says a partner keeps its level until the annual review.',
    ],
    happened: [
      {
        text: (c) =>
          `In ${c.month} the revenue threshold for ${c.tier} was raised by 40%, effective immediately, and we were moved down to ${c.lowerTier}.`,
        gives: ['mid-year'],
      },
      {
        text: (c) =>
          `One engineer's certification expired during parental leave in ${c.month}, and the system downgraded us to ${c.lowerTier} overnight, with no warning.`,
        gives: ['certification'],
      },
      (c) =>
        `A new partner manager reviewed the numbers in ${c.month}, counted only the last two quarters, and moved us to ${c.lowerTier}.`,
      {
        text: (c) =>
          `${c.short} changed the ${c.tier} rules in ${c.month} to count only new customers, and the next morning the portal showed us as ${c.lowerTier}.`,
        gives: ['mid-year'],
      },
    ],
    consequence: [
      (c) =>
        `We lost ${c.percent > 20 ? 'six' : 'four'} points of discount on every open quote, including the ${c.product} already promised to the ${bare(c.customer)}.`,
      (c) =>
        `Our registered deals lost their tier discount, and the ${bare(c.customer)} got a price increase in the middle of a project.`,
      (c) =>
        `We are now re-earning ${c.tier}, ${number(c.months)} months of paperwork at least, while competing against partners who kept theirs.`,
      (c) =>
        `The ${c.lowerTier} price on the ${c.amount} we had quoted left us ${c.percent > 20 ? 'no margin at all' : 'a few hundred dollars of margin'}.`,
      (c) =>
        `We put the hire we had planned for ${c.month} on hold, because ${c.lowerTier} margins do not pay for another engineer.`,
    ],
    questions: [
      {
        ask: () => 'Did they offer a grace period at all?',
        answer: () => 'Thirty days to "show a recovery plan". We sent one; nobody has read it yet.',
      },
      {
        ask: () => 'Did you get the new thresholds in writing before they applied?',
        answer: (c) => `A portal banner, the week it changed in ${c.month}. Nothing else.`,
        needs: ['mid-year'],
      },
    ],
    similar: [
      (c) => `${c.short} did the same to two partners we know this year.`,
      {
        text: () =>
          'A mid-year change to the thresholds is the one thing we never expected. Thanks for the warning.',
        needs: ['mid-year'],
      },
    ],
    advice: [
      {
        text: () =>
          'Keep one more certified engineer than the level needs. We learned it after a resignation.',
        needs: ['certification'],
      },
      () => 'Ask for the thresholds in the contract annex, not just on the portal.',
    ],
    dissent: [
      {
        text: () =>
          'Were the new thresholds really mid-year? Ours were announced in the partner newsletter months before.',
        needs: ['mid-year'],
      },
      () =>
        'Levels are reviewed on numbers, and numbers are unforgiving. It is the same everywhere.',
    ],
  },
  {
    key: 'portal-outage',
    weight: 0.5,
    sentiment: 'bad',
    areas: { dealreg: 'bad' },
    main: 'portal',
    titles: [
      (c) => `${c.short}'s partner portal was down for the last week of the quarter`,
      { text: (c) => `Portal outage cost us the registration on a ${c.amount} deal`, happened: 1 },
      (c) => `Locked out of ${c.short}'s portal at quarter end`,
      (c) => `${c.short}'s portal went dark at quarter end, and so did our registrations`,
      (c) => `Quarter-end outage at ${c.short}: registrations lost, no apology`,
      {
        text: (c) =>
          `${c.days} days without ${c.short}'s partner portal, in the week that mattered`,
        happened: 0,
      },
      {
        text: (c) => `The portal took our ${bare(c.customer)} registration, then dropped it`,
        happened: 2,
      },
      (c) => `Lost the ${c.product} for ${c.customer} to a portal outage`,
      {
        text: (c) => `Another partner's timestamp beat ours while ${c.short}'s portal was down`,
        happened: 1,
      },
    ],
    situation: [
      (c) =>
        `We had ${number(c.engineers + 2)} opportunities to register with ${c.short} before quarter end, including ${an(c.product)} for ${c.customer}.`,
      (c) =>
        `We wanted to register ${an(c.product)} for ${c.customer} in ${c.short}'s partner portal in the last week of the quarter.`,
      (c) =>
        `At the end of ${c.month} we had a ${c.amount} ${c.product} for ${c.customer} ready to register, with the customer meeting the week after.`,
    ],
    promise: [
      () =>
        'The program says registrations are first come, first served, by the time of submission.',
      () =>
        'Support promised that the outage would not affect any registration submitted during it.',
      (c) =>
        `On the first of ${number(c.days)} days offline, the status page said the portal would be back "within hours".`,
    ],
    happened: [
      {
        text: (c) =>
          `The portal was unreachable for ${c.days} days, and the support line told us to "try again later".`,
        gives: ['outage-days'],
      },
      (c) =>
        `Another partner registered the ${bare(c.customer)} while we were locked out, and their registration won on the timestamp.`,
      {
        text: (c) =>
          `The portal accepted our submission for the ${c.product} during the outage and then silently dropped it.`,
        gives: ['dropped'],
      },
      {
        text: (c) =>
          `For ${c.days} days every login ended on an error page, and the registration for the ${bare(c.customer)} missed the quarter's cut-off.`,
        gives: ['outage-days'],
      },
    ],
    consequence: [
      (c) =>
        `We spent ${number(c.weeks)} weeks re-registering deals by email, and lost the ${bare(c.customer)} one for good.`,
      (c) =>
        `We had to explain to the ${bare(c.customer)} why our quoted price had gone up by the registration discount.`,
      (c) =>
        `The ${c.amount} went to the partner with the earlier timestamp, and ${c.short} says there is nothing it can do.`,
      (c) =>
        `We kept the ${c.product}, at ${c.percent}% less margin, after ${number(c.weeks)} weeks of emails.`,
    ],
    questions: [
      {
        ask: () => 'Did you keep screenshots of the errors?',
        answer: () => 'Yes, with times. Support said screenshots "cannot be accepted as proof".',
      },
      {
        ask: () => 'Did the dropped submission leave any trace, a confirmation email or so?',
        answer: () => 'A confirmation number that the portal now says does not exist.',
        needs: ['dropped'],
      },
    ],
    similar: [
      () => 'We lost a whole afternoon of submissions on the last day of the quarter.',
      (c) => `Same outage here. ${c.short}'s status page said everything was fine the whole time.`,
    ],
    advice: [
      () =>
        'Email the registration to your partner manager at the same time as you submit it. It gives you a timestamp they cannot argue with.',
    ],
    dissent: [
      {
        text: (c) =>
          `The outage was a day and a half for us, not ${c.days} days. Annoying, but I would not call it lost deals.`,
        needs: ['outage-days'],
      },
    ],
  },
  {
    key: 'portal-migration',
    weight: 0.4,
    sentiment: 'bad',
    areas: { dealreg: 'bad' },
    main: 'portal',
    titles: [
      (c) => `${c.short}'s new partner portal lost our deal registrations`,
      () => 'Registrations vanished in the partner portal migration',
      (c) => `${c.short} portal migration: our open deals did not make it`,
      (c) => `After ${c.short}'s portal migration, our registrations start from zero`,
      {
        text: (c) => `The new portal moved our ${bare(c.customer)} registration, minus its date`,
        happened: 0,
      },
      (c) => `A ${c.amount} registration lost between ${c.short}'s old and new portal`,
      {
        text: (c) => `Migrated "as new": our ${c.product} registration now clashes with another`,
        happened: 1,
      },
      (c) => `${c.count} registrations before the switch, half of them after`,
      (c) => `The ${c.month} portal switch cost us the ${c.product} for the ${bare(c.customer)}`,
      {
        text: (c) => `Portal migration: ${c.short}'s support and migration team blame each other`,
        consequence: 0,
      },
      (c) => `Our ${c.tier ?? 'partner'} account in the new portal: no history, no registrations`,
      (c) => `Re-registering ${c.count} deals by hand after a portal migration`,
    ],
    situation: [
      (c) =>
        `${c.short} moved its partners to a new portal in ${c.month}, and we had ${c.count} open registrations at the time.`,
      (c) =>
        `We had a dozen open registrations with ${c.short} when they switched to the new partner portal, including ${an(c.product)} for ${c.customer}.`,
      (c) =>
        `The week ${c.short}'s new portal went live, our largest open registration was a ${c.amount} ${c.product} for ${c.customer}.`,
      (c) =>
        `${cap(c.customer)} was ${number(c.weeks)} weeks from ordering ${an(c.product)} when ${c.short} switched its partner portal.`,
    ],
    promise: [
      () =>
        'The migration notice promised that all open registrations would move across automatically.',
      (c) => `Our partner manager told us in ${c.month} there was nothing to do on our side.`,
      () => 'The webinar about the new portal said "your history comes with you".',
    ],
    happened: [
      (c) =>
        `Half of our open registrations did not make it to the new portal, and the ${bare(c.customer)} one that did had lost its approval date.`,
      {
        text: (c) =>
          `Our registrations came across as "new", so the ${c.product} for the ${bare(c.customer)} now clashes with a later registration by another partner.`,
        gives: ['clash'],
      },
      (c) =>
        `The new portal shows ${Math.floor(c.count / 3)} of our ${c.count} registrations, all dated the day of the migration.`,
      (c) =>
        `Our account came across without its ${c.tier ?? 'partner'} level, so every registration we filed in the first ${number(c.weeks)} weeks was priced at list.`,
    ],
    consequence: [
      (c) =>
        `Nobody at the vendor seems to own the problem: support blames the migration team, and the migration team was disbanded in ${c.month}.`,
      (c) =>
        `We spent ${number(c.weeks)} weeks re-registering deals by email, and lost the ${c.amount} one for good.`,
      (c) =>
        `The ${bare(c.customer)} ordered through the other partner, on the strength of a registration that was ${number(c.weeks)} weeks younger than ours.`,
      (c) =>
        `Our sales team has spent ${c.days} working days on portal tickets since ${c.month} instead of selling.`,
      (c) =>
        `We now keep our own register of every ${c.short} deal, with screenshots, which is absurd for a partner of ${c.engineers + 10} people.`,
    ],
    questions: [
      {
        ask: () => 'Did you export your registrations from the old portal before the switch?',
        answer: () => 'We did, luckily. Support still will not accept the export as proof.',
      },
      {
        ask: () => 'Has anyone at the vendor sorted out which registration came first?',
        answer: () => 'They asked both partners for "evidence". We sent ours in a day.',
        needs: ['clash'],
      },
    ],
    similar: [
      (c) => `Same here. Our ${c.short} registrations from before the migration are still missing.`,
      (c) =>
        `We lost the approval dates too. ${cap(number(c.engineers))} of our deals now look newer than they are.`,
    ],
    advice: [
      () =>
        'Send your partner manager the list of registrations with their old numbers and dates, and ask for a written confirmation.',
      () => 'Ask the distributor for their copy of your registrations. Ours had all of them.',
    ],
    dissent: [
      () =>
        'The new portal is slow, but everything of ours came across. Maybe check with the distributor?',
    ],
  },
  {
    key: 'training-good',
    sentiment: 'good',
    areas: { education: 'good' },
    main: 'education',
    titles: [
      {
        text: (c) =>
          `${c.short}'s free exam vouchers got ${number(c.engineers)} of our engineers certified`,
        happened: 0,
      },
      { text: () => 'Training vouchers that were actually worth it', happened: 0 },
      (c) => `Good hands-on labs from ${c.short}, free for partners`,
      (c) => `${c.short} training: the best part of the program`,
      (c) => `Free, practical and well run: ${c.short}'s partner training`,
      (c) => `${c.short}'s labs taught our engineers more than paid courses elsewhere`,
      { text: (c) => `An instructor-led ${c.short} course that was worth every hour`, happened: 1 },
      (c) => `${cap(number(c.engineers))} engineers certified on the ${c.line} in one quarter`,
      {
        text: (c) => `From zero to ${c.tier ?? 'certified'} on ${c.short}'s free training`,
        situation: 0,
      },
      (c) => `Browser labs for the ${c.line} that actually work`,
      (c) => `The ${c.month} ${c.short} class that fixed our support tickets`,
      { text: (c) => `Switching our engineers to ${c.short} took one quarter`, situation: 2 },
    ],
    situation: [
      (c) =>
        `We needed ${number(c.engineers)} certified engineers to reach ${c.tier ?? 'the next'} level, and training budgets are tight for a company our size.`,
      (c) =>
        `We started selling ${c.short}'s ${c.line} in ${c.month} and had nobody who knew it well.`,
      (c) =>
        `Two of our engineers needed to move from another vendor's products to ${c.short}'s ${c.line} before the ${c.product} for ${c.customer} started.`,
      (c) =>
        `We won a ${c.amount} ${c.product} for ${c.customer} and had ${number(c.weeks)} weeks to get our engineers ready for it.`,
    ],
    promise: [
      {
        text: (c) =>
          `The ${c.short} program includes free online courses and exam vouchers for partners.`,
        gives: ['vouchers'],
      },
      (c) =>
        `Our partner manager offered seats in an instructor-led class in ${c.month} at no cost.`,
      (c) => `${c.short} offers a learning path per role, with labs, for partners at every level.`,
    ],
    happened: [
      {
        text: (c) =>
          `The courses were practical, with real lab environments instead of slides, and the ${number(c.engineers)} vouchers arrived within ${c.days} days of asking.`,
        gives: ['vouchers'],
      },
      (c) =>
        `The instructor knew the ${c.line} inside out and stayed after class to go through our ${c.product} design for the ${bare(c.customer)}.`,
      (c) =>
        `The ${c.line} labs stayed open for ${c.days} days after the course, and the trainer answered questions on the forum within a day.`,
      (c) =>
        `The ${c.month} class had ${c.count > 50 ? 'twelve' : 'eight'} people, a real ${c.line} to break and an instructor who let us break it.`,
    ],
    consequence: [
      (c) =>
        `${cap(number(c.engineers))} engineers passed, and we reached the level two months earlier than planned.`,
      (c) =>
        `Our engineers now fix in an hour what used to take a ${c.short} support ticket and a day, and the ${bare(c.customer)} has noticed.`,
      (c) => `It is the best free training we have had from any vendor, ${c.other} included.`,
      (c) =>
        `The ${c.product} for the ${bare(c.customer)} went live on time, built by people who had been on the course.`,
      (c) =>
        `We have booked ${number(c.engineers)} more seats for ${c.month}, and I do not say that about many vendors.`,
    ],
    questions: [
      {
        ask: () => 'Were the vouchers for the associate or the professional exams?',
        answer: () => 'Both. Professional ones needed a passed associate exam first.',
        needs: ['vouchers'],
      },
      {
        ask: () => 'Are the labs available after the course, or only during it?',
        answer: () => 'Thirty days after, which was enough to prepare for the exam.',
      },
    ],
    similar: [
      (c) =>
        `Agreed. ${c.short}'s labs are better than the paid courses we did with another vendor.`,
      (c) => `Our engineers did the ${c.line} track this year too. Well worth the time.`,
    ],
    advice: [
      {
        text: () =>
          'Book exam slots as soon as the vouchers arrive. They expire faster than you think.',
        needs: ['vouchers'],
      },
      () => 'Do the labs in pairs. Our engineers learned twice as much that way.',
    ],
    dissent: [
      () => 'Good training, but we would rather have the discounts the level is supposed to bring.',
    ],
  },
  {
    key: 'vouchers-wasted',
    sentiment: 'bad',
    areas: { education: 'bad' },
    main: 'education',
    titles: [
      { text: () => 'Exam vouchers expired before the exam portal worked', happened: 0 },
      {
        text: (c) => `${c.short} requires certifications, then charges for the training`,
        happened: 1,
      },
      {
        text: (c) => `${cap(number(c.engineers))} exam vouchers from ${c.short}, zero usable`,
        happened: 0,
      },
      { text: (c) => `Paid ${c.short} training, outdated by two product versions`, happened: 2 },
      (c) => `${c.short}'s certification rules cost us a year's training budget`,
      { text: (c) => `Exam vouchers from ${c.short}: late, rejected, expired`, happened: 0 },
      {
        text: (c) => `A "free" ${c.short} course that was a recorded webinar`,
        happened: 1,
      },
      {
        text: (c) => `Certification exam on the ${c.line} asks about features it no longer has`,
        happened: 2,
      },
      (c) => `${c.month} exams cancelled: ${c.short}'s vouchers arrived ${c.weeks} weeks late`,
      (c) => `Still one ${c.short} certification short of ${c.tier ?? 'our level'}`,
      {
        text: (c) => `${c.short}'s lab course for the exam costs full price, even for partners`,
        happened: 1,
      },
    ],
    situation: [
      (c) =>
        `Our level requires ${number(c.engineers)} certified engineers, so we planned the exams for ${c.month}.`,
      (c) =>
        `${c.short} announced new certification requirements for all partners this year, with ${c.month} as the deadline.`,
      (c) =>
        `We wanted ${number(c.engineers)} engineers certified on ${c.short}'s ${c.line} before a large tender for ${c.customer}.`,
      (c) =>
        `Keeping ${c.tier ?? 'our'} level with ${c.short} means ${number(c.engineers)} current certifications, and two of ours were due in ${c.month}.`,
    ],
    promise: [
      {
        text: (c) => `Partners get free exam vouchers, according to ${c.short}'s program guide.`,
        gives: ['vouchers'],
      },
      {
        text: (c) =>
          `The partner manager promised ${number(c.engineers)} vouchers and free course seats for the whole team.`,
        gives: ['vouchers'],
      },
      (c) => `Free training seats for partners are listed on ${c.short}'s program page.`,
    ],
    happened: [
      {
        text: (c) =>
          `The vouchers arrived ${number(c.weeks)} weeks late, the exam booking site rejected them, and by the time support fixed it they had expired.`,
        gives: ['vouchers', 'booking-site'],
      },
      {
        text: (c) =>
          `The "free" ${c.line} course turned out to be ${c.days} hours of recorded webinar; the lab course needed for the exam costs full price.`,
        gives: ['paid-course'],
      },
      {
        text: (c) =>
          `${c.count > 60 ? 'Over half' : 'Half'} of the ${c.count} exam questions were about ${c.line} features the product no longer has, and ${number(Math.min(c.engineers, 2))} of our engineers failed on them.`,
        gives: ['outdated-exam'],
      },
      {
        text: (c) =>
          `The vouchers came with ${c.days} days of validity, and the first free exam slot was ${number(c.weeks)} weeks away.`,
        gives: ['vouchers'],
      },
    ],
    consequence: [
      (c) => `We paid for the exams ourselves to keep ${c.tier ?? 'our'} level.`,
      (c) =>
        `${cap(number(c.engineers))} engineers lost a week each, and we are still one certification short.`,
      (c) =>
        `The training budget for the year is gone by ${c.month}, and the requirement is still not met.`,
      (c) =>
        `We went into the ${bare(c.customer)} tender without the certifications, and it showed in the scoring.`,
    ],
    questions: [
      {
        ask: () => 'Did support extend the vouchers in the end?',
        answer: () => 'They offered new ones valid for thirty days, during the summer holidays.',
        needs: ['vouchers'],
      },
      {
        ask: () => 'What does the lab course cost, if you do not mind saying?',
        answer: (c) =>
          `Full list, about ${c.engineers * 600} dollars a seat. No partner price at all.`,
        needs: ['paid-course'],
      },
    ],
    similar: [
      {
        text: () =>
          'Same problem with the exam booking site here. The vouchers look valid and are not.',
        needs: ['booking-site'],
      },
      {
        text: () =>
          'The exam is years behind the product, agreed. Our engineers now study the old manuals for it.',
        needs: ['outdated-exam'],
      },
      (c) => `${c.short}'s certification track has been a mess for us too this year.`,
    ],
    advice: [
      {
        text: () =>
          'Book the exam the day the voucher arrives, even if it is months ahead. You can move the date, not the voucher.',
        needs: ['vouchers'],
      },
      () => 'Ask whether the distributor runs the course. Ours has a partner price for it.',
    ],
    dissent: [
      {
        text: () =>
          'The exam site issue was fixed months ago, so this may be out of date for anyone reading now.',
        needs: ['booking-site'],
      },
    ],
  },
  {
    key: 'beta-ignored',
    weight: 0.7,
    sentiment: 'bad',
    areas: { beta: 'bad' },
    main: 'beta',
    titles: [
      {
        text: (c) =>
          `${cap(number(c.engineers))} engineers on ${c.short}'s beta for a month, not one reply`,
        happened: 0,
      },
      (c) => `${c.short}'s beta program wants free testing, not partners`,
      { text: () => 'Beta-tested for free, then charged for the release', consequence: 2 },
      (c) => `We tested ${c.short}'s beta for a month and heard nothing back`,
      (c) => `Never again: ${c.short}'s partner beta`,
      { text: (c) => `${c.count} bug reports to ${c.short}, zero replies`, happened: 0 },
      {
        text: (c) => `The named contact on ${c.short}'s beta left after a week`,
        happened: 2,
      },
      (c) => `What our ${c.month} beta of the ${c.line} got us: nothing`,
    ],
    situation: [
      (c) =>
        `${c.short} invited us in ${c.month} to the beta of the next version of their ${c.line}, as one of a few partners.`,
      (c) =>
        `We joined the ${c.short} beta program in ${c.month} because we wanted to be ready for the launch before our competitors.`,
      (c) =>
        `We were asked to beta-test ${c.short}'s new management console, as a partner with ${c.engineers} certified engineers.`,
    ],
    promise: [
      () => 'Beta partners were promised direct access to the product team and early training.',
      () => 'The invitation mentioned a launch discount and priority for demo units.',
      () => 'The beta agreement promised a named contact and a feedback session at the end.',
    ],
    happened: [
      {
        text: (c) =>
          `We filed ${c.count} bug reports with logs and reproductions. Not one got a reply, and ${Math.floor(c.count / 4)} were closed unread at the launch.`,
        gives: ['bug-reports'],
      },
      (c) =>
        `The early training never happened, and the launch discount went to every partner in ${c.month}.`,
      (c) =>
        `The named contact left after ${c.days} days, and the feedback session for the ${c.line} was a survey.`,
    ],
    consequence: [
      (c) =>
        `That was ${number(c.engineers)} engineers for a month, unpaid, and we got nothing for it.`,
      (c) =>
        `We will not join another ${c.short} beta, and we told their channel director so in ${c.month}.`,
      (c) => `The features we asked for were released in ${c.month}, and sold to us as an add-on.`,
    ],
    questions: [
      {
        ask: () => 'Did you sign an agreement with commitments on their side?',
        answer: () => 'Only an NDA. Lesson learned.',
      },
    ],
    similar: [
      {
        text: () =>
          'Same experience. The bugs we reported are in the release notes as "fixed", with no credit and no answer.',
        needs: ['bug-reports'],
      },
      (c) => `We were in the ${c.short} beta before this one. Same silence.`,
    ],
    advice: [
      () =>
        'Ask for a named product manager before you join. If they cannot give you one, do not join.',
    ],
    dissent: [
      () =>
        'Beta programs are always like this, in my experience. We join for the early access, nothing else.',
    ],
  },
  {
    key: 'beta-good',
    weight: 0.7,
    sentiment: 'good',
    areas: { beta: 'good' },
    main: 'beta',
    titles: [
      (c) => `${c.short}'s beta program listened to partners`,
      { text: () => 'A beta program where our bug reports changed the product', happened: 0 },
      (c) => `Beta testing ${c.short}'s next ${c.line} was worth our time`,
      (c) => `${c.short}'s product team actually read our beta reports`,
      (c) => `A closed beta with ${c.short} that was worth the engineer time`,
      (c) => `Early access that paid off: ${c.short}'s beta`,
      { text: (c) => `Every beta bug we filed with ${c.short} got a reply in days`, happened: 1 },
      (c) => `${c.short}'s ${c.month} beta gave us a reference customer at launch`,
      (c) => `Two features changed because of our reports on the ${c.line} beta`,
    ],
    situation: [
      (c) => `We joined the beta of ${c.short}'s next ${c.line} with two engineers in ${c.month}.`,
      (c) =>
        `In ${c.month} ${c.short} asked a handful of partners to try the next version of their ${c.line} before launch, and we said yes.`,
      (c) =>
        `We were invited to a closed ${c.short} beta in ${c.month} as one of the smaller partners, which surprised us.`,
      (c) =>
        `${cap(c.customer)} agreed to pilot the next ${c.short} ${c.line} with us during the beta.`,
    ],
    promise: [
      () => 'Beta partners were promised a weekly call with the product team.',
      () => 'They promised early training and a launch discount for beta partners.',
      () => 'We were told that every report would get an answer, which we did not believe.',
    ],
    happened: [
      (c) =>
        `The calls happened every week, the product manager read our ${c.count} reports, and two features were changed because of them.`,
      (c) => `Every bug we filed got a reply within ${c.days} days, with a fix or a reason.`,
      (c) =>
        `The launch discount was there on day one in ${c.month}, and the early training was given by the product team itself.`,
    ],
    consequence: [
      (c) =>
        `We were ready to sell on launch day, with ${c.customer} as a reference from the beta.`,
      (c) =>
        `Our engineers learned more about the ${c.line} in ${number(c.weeks)} weeks of beta than in any course.`,
      (c) =>
        `It cost us ${number(c.engineers)} engineers' time, but we got more out of it than we put in.`,
    ],
    questions: [
      {
        ask: () => 'How much time did it take your engineers?',
        answer: () => 'About a day a week each, for six weeks.',
      },
    ],
    similar: [
      () => 'Same for us. Their product team is unusually open with partners.',
      (c) => `We were in an earlier ${c.short} beta and had the same experience.`,
    ],
    advice: [
      () => 'Pick a real customer case for the beta; the feedback is far more useful to them.',
    ],
    dissent: [
      () => 'Our beta was less rosy, but we joined late, so maybe we missed the good part.',
    ],
  },
  {
    key: 'event-good',
    sentiment: 'good',
    areas: { events: 'good', presentations: 'good' },
    main: 'events',
    titles: [
      (c) => `${c.short}'s partner roadshow in ${c.month} was worth the trip`,
      (c) => `Co-hosted customer event with ${c.short} filled the room`,
      (c) => `A vendor event worth the day: ${c.short} in ${c.month}`,
      (c) => `${c.short}'s product day: engineers, not marketing`,
      (c) => `${cap(an(c.short))} partner event that brought us real leads`,
      (c) => `Good vendor event: ${c.short} in ${c.month}`,
      {
        text: (c) => `${c.count} customer contacts, and ${c.short} introduced us by name`,
        happened: 1,
      },
      (c) => `An honest ${c.line} roadmap at ${c.short}'s ${c.month} event`,
      { text: (c) => `${c.short}'s engineers stayed until the venue closed`, happened: 2 },
      (c) => `A ${c.short} breakfast briefing that got us a ${c.amount} lead`,
    ],
    situation: [
      (c) =>
        `${c.short} ran a partner roadshow in ${c.month}, with a customer session in the afternoon.`,
      (c) =>
        `We co-hosted a breakfast briefing with ${c.short} in ${c.month}, for customers in our region.`,
      (c) =>
        `${c.short} invited partners to a ${c.line} product day in ${c.month}, with a customer afternoon attached.`,
      (c) =>
        `In ${c.month} ${c.short} held a partner day on the ${c.line}, two sessions for partners and one with customers.`,
    ],
    promise: [
      () => 'The invitation promised product briefings from the engineers, not marketing.',
      () => 'They promised to bring speakers and customers; we had to bring the venue.',
      () => 'The event was free for partners, travel included for two people.',
    ],
    happened: [
      (c) =>
        `The ${c.month} briefings were technical and honest about the ${c.line} roadmap, including what is late.`,
      (c) =>
        `They brought ${c.count} of their own customer contacts to the afternoon session and introduced us by name.`,
      {
        text: (c) =>
          `The speakers were ${c.short} engineers, and they took questions from ${c.count} people until the venue closed.`,
        gives: ['speakers'],
      },
    ],
    consequence: [
      (c) =>
        `We left with ${number(c.engineers)} new leads and a much better picture of the ${c.line}.`,
      (c) =>
        `${cap(c.customer)}, whom we met there, signed a maintenance contract with us a month later.`,
      (c) =>
        `Worth a day out of the office, which I cannot say about most vendor events, ${c.other}'s included.`,
      (c) =>
        `One of the afternoon's guests, ${c.customer}, has asked us to quote ${an(c.product)}.`,
    ],
    questions: [
      {
        ask: () => 'Were the slides shared afterwards?',
        answer: () => 'Yes, in the partner portal under events.',
      },
      {
        ask: () => 'Were the speakers from the local office or flown in?',
        answer: () => 'Both: two local engineers and one product manager from headquarters.',
        needs: ['speakers'],
      },
    ],
    similar: [
      () => 'We went to the one in the autumn. Same impression: technical, useful.',
      (c) => `We were at ${c.short}'s ${c.month} one too. Best vendor day of the year for us.`,
    ],
    advice: [() => 'Bring a customer along if you can. They had a separate track for end users.'],
    dissent: [() => 'Useful, but I would rather have had the roadmap in writing than on slides.'],
  },
  {
    key: 'mixed-training-dealreg',
    sentiment: 'mixed',
    areas: { education: 'good', dealreg: 'bad' },
    main: 'dealreg',
    titles: [
      (c) => `${c.short}: good training, weak deal support`,
      (c) => `Great courses, useless deal registration at ${c.short}`,
      (c) => `${c.short} trained our engineers well, then lost our registration`,
      (c) => `${c.short}: excellent labs, and registrations that go nowhere`,
      (c) => `Certified on ${c.short}, and our deal registrations still stall`,
      (c) => `Two faces of ${c.short}: training yes, deal registration no`,
      {
        text: (c) =>
          `${cap(number(c.engineers))} engineers certified, the ${bare(c.customer)} registration rejected`,
        happened: 0,
      },
      {
        text: (c) => `Our ${c.short} registration for the ${bare(c.customer)} expired unanswered`,
        happened: 1,
      },
      {
        text: (c) =>
          `"Approved" without the discount: ${c.short} registrations after certification`,
        happened: 2,
      },
      (c) => `A well-trained ${c.line} team with nothing protected to sell`,
      (c) => `${c.short}'s ${c.line} courses: top marks. Its deal desk: not`,
    ],
    situation: [
      (c) =>
        `We have been building up our ${c.short} practice since ${c.month} last year, starting with the training.`,
      (c) =>
        `We chose ${c.short}'s ${c.line} for our practice in ${c.month} last year, largely because of their training offer.`,
      (c) =>
        `${cap(number(c.engineers))} of our engineers went through ${c.short}'s certification track this year.`,
      (c) =>
        `To sell ${c.short}'s ${c.line} to customers like ${c.customer}, we put ${number(c.engineers)} engineers through the certification first.`,
    ],
    promise: [
      () =>
        'The program promises training for every certified partner and protection for registered deals.',
      (c) =>
        `Certified partners get ${c.percent}% extra discount on registered deals, according to the program guide.`,
      () => 'Our partner manager said a certified team would make our registrations "a formality".',
    ],
    also: [
      (c) =>
        `The ${c.line} courses were excellent, and all ${number(c.engineers)} passed first time.`,
      (c) => `The ${c.line} labs were the best we have seen from any vendor, ${c.other} included.`,
      (c) =>
        `The trainers knew the ${c.line}, were honest about its limits and spent an afternoon on our ${c.product} questions.`,
      (c) =>
        `The ${c.month} instructor-led week was worth every hour, with labs our engineers still use.`,
    ],
    happened: [
      {
        text: (c) =>
          `Then our first big registration, ${an(c.product)} for ${c.customer}, was rejected after ${c.days} days because "another partner had engaged first", with no proof of it.`,
        gives: ['rejected'],
      },
      (c) =>
        `Then a registration for ${c.customer} sat unanswered for ${number(c.weeks)} weeks and expired the day before the customer ordered.`,
      {
        text: (c) =>
          `Then our registrations, the ${c.amount} ${c.product} among them, started coming back "approved" with the discount missing, and nobody could say why.`,
        gives: ['no-discount'],
      },
    ],
    consequence: [
      (c) =>
        `So we have well-trained engineers and no protected deals to use them on, the ${bare(c.customer)} included.`,
      (c) =>
        `For ${number(c.weeks)} weeks now we have kept the ${c.short} certifications current and stopped registering deals, which is the wrong way round.`,
      (c) =>
        `If deal registration worked as well as the training, ${c.short} would be our main vendor, and the ${c.product} would have been the first of many.`,
      (c) =>
        `The ${c.amount} went to a partner with fewer certifications and a better relationship with the deal desk.`,
    ],
    questions: [
      {
        ask: () => 'Did your partner manager give you a reason in writing?',
        answer: (c) => `Only that it was "under review". That was ${number(c.weeks)} weeks ago.`,
      },
      {
        ask: () => 'Did they ever say who the other partner was?',
        answer: () => 'No. We suspect nobody was, but cannot prove it.',
        needs: ['rejected'],
      },
    ],
    similar: [
      () =>
        'Same split here. Their education team and their channel team might as well be two companies.',
      {
        text: () =>
          'Approved without the discount happened to us too. It was a missing flag in the portal, in our case.',
        needs: ['no-discount'],
      },
    ],
    advice: [
      () =>
        'Escalate with all the registration numbers and dates in one email. A list is harder to ignore than a ticket.',
    ],
    dissent: [
      () =>
        'In our experience their registrations are fine once the account is set up properly in the portal. Worth checking yours.',
    ],
  },
  {
    key: 'mixed-slow-bid',
    sentiment: 'mixed',
    areas: { presales: 'good', discounts: 'bad' },
    main: 'discounts',
    titles: [
      (c) => `${c.short}: helpful people, slow process`,
      () => 'Excellent pre-sales engineer, special bid too late to matter',
      (c) => `${c.short} pre-sales won the customer over, pricing lost them`,
      (c) => `Great ${c.short} design support, special bid after the deadline`,
      (c) => `${c.short}'s engineer was quick, their pricing desk was not`,
      {
        text: (c) => `The best design in the room, and ${c.short}'s price came too late`,
        consequence: 2,
      },
      {
        text: (c) => `${cap(number(c.weeks))} weeks for a special bid on a ${c.amount} tender`,
        happened: 0,
      },
      (c) => `A great design for the ${bare(c.customer)}, and a price that missed the deadline`,
      {
        text: (c) => `${c.short}'s pricing desk asked three times and answered in week four`,
        happened: 2,
      },
      (c) => `Won the ${c.product} design, lost it on ${c.short}'s pricing timeline`,
    ],
    situation: [
      (c) => `We worked on a ${c.amount} ${c.product} for ${c.customer} in ${c.month}.`,
      (c) => `${cap(c.customer)} invited us to bid on ${an(c.product)}, about ${c.amount}.`,
      (c) =>
        `A tender for ${an(c.product)} came up at ${c.customer}, and ${c.short} was the obvious fit.`,
      (c) =>
        `${cap(c.customer)} gave us ${number(c.weeks + 2)} weeks to propose ${an(c.product)} against two other partners.`,
    ],
    promise: [
      (c) =>
        `${c.short}'s program promises an answer to special-bid requests within five working days.`,
      (c) => `Our partner manager said the pricing desk would "prioritise" a ${c.amount} tender.`,
    ],
    also: [
      (c) =>
        `${c.short}'s engineer joined every meeting with the ${bare(c.customer)} and designed most of the solution with us.`,
      (c) =>
        `${c.short}'s pre-sales engineer had the ${c.product} design ready in ${c.days} days and joined the customer presentation.`,
      (c) =>
        `Pre-sales support was quick and excellent, as promised at ${c.tier ?? 'our'} level, with an engineer on site within ${c.days} days.`,
      (c) =>
        `Their engineer ran a half-day workshop for the ${bare(c.customer)} in ${c.month} and answered every question.`,
    ],
    happened: [
      {
        text: (c) =>
          `The special-bid request, though, took ${number(c.weeks)} weeks, and the approval came after the customer's deadline.`,
        gives: ['bid-weeks'],
      },
      (c) =>
        `Pricing was another matter: the special bid for the ${c.product} went through three approval levels and came back after the deadline.`,
      (c) =>
        `The pricing desk, on the other hand, asked for the same information three times and answered in the fourth week, ${c.days} days too late.`,
    ],
    consequence: [
      (c) =>
        `The ${bare(c.customer)} liked the design and bought the competitor's version of it, because the price was on time.`,
      (c) =>
        `We won in the end by cutting our services margin on the ${c.amount}, which is not how it should work.`,
      (c) => `We lost the ${bare(c.customer)} tender on price, with the best design in the room.`,
      (c) =>
        `The ${c.amount} went to ${an(c.other)} partner with a worse design and a price in time.`,
    ],
    questions: [
      {
        ask: () => 'Did the engineer try to speed up the bid?',
        answer: () => 'Yes, and they were as frustrated as we were.',
      },
    ],
    similar: [
      () => 'That is exactly our experience: great people, a pricing desk that works in weeks.',
      (c) => `Our last ${c.short} tender went the same way. The engineers are not the problem.`,
    ],
    advice: [
      () => 'Send the special-bid request the day you start the design, even with rough numbers.',
    ],
    dissent: [
      {
        text: (c) =>
          `${cap(number(c.weeks))} weeks for a special bid is normal in this industry, to be honest.`,
        needs: ['bid-weeks'],
      },
    ],
  },
  {
    key: 'mixed-event-mdf',
    sentiment: 'mixed',
    areas: { events: 'good', mdf: 'bad' },
    main: 'mdf',
    titles: [
      (c) => `Great co-hosted event with ${c.short}, slow money afterwards`,
      (c) => `${c.short} sends good speakers, pays marketing funds late`,
      (c) => `${c.short} events are good; getting the marketing funds is not`,
      (c) => `A full room with ${c.short}, then a quarter of chasing the money`,
      {
        text: (c) => `Our ${c.month} customer day with ${c.short}: great afternoon, slow claim`,
        situation: 1,
      },
      {
        text: (c) => `${c.count} guests, a great speaker, and ${c.months} months to get paid`,
        happened: 0,
      },
      {
        text: (c) => `Co-hosted ${c.month} event: new finance team, half the money`,
        happened: 1,
      },
      (c) => `A good ${c.line} evening with ${c.short}, and a claim "in review" for a quarter`,
      (c) => `We pre-financed ${c.short}'s half of a ${c.month} event. Never again`,
      {
        text: (c) => `Three evenings with ${c.short}, one claim still open`,
        situation: 2,
      },
    ],
    situation: [
      (c) =>
        `We co-hosted a customer event with ${c.short} in ${c.month}, with ${c.count} people in the room.`,
      (c) => `${c.short} helped us run a customer day in ${c.month} for ${c.count} guests.`,
      (c) =>
        `We ran a seminar series on the ${c.line} with ${c.short} this year, three evenings in total, ${c.count} guests at the last one.`,
      (c) =>
        `In ${c.month} we held a ${c.line} afternoon with ${c.short} for ${c.count} customers, most of them new to ${c.short}.`,
    ],
    promise: [
      () => 'Half of the cost was to come from marketing funds, paid within 45 days.',
      (c) =>
        `The marketing funds were approved in ${c.month}, before the first invitation went out.`,
      () => 'The partner manager promised the funds would be paid in the same quarter.',
    ],
    also: [
      (c) =>
        `The event itself was excellent: good speakers, a full room, ${number(c.engineers)} real leads.`,
      {
        text: (c) =>
          `Their ${c.line} speaker was excellent, and the ${c.count} customers stayed for the whole afternoon.`,
        gives: ['speaker'],
      },
      (c) =>
        `The organisation on ${c.short}'s side was flawless, from the invitations to the slides on the ${c.product}.`,
      {
        text: (c) =>
          `${c.short} sent a speaker from its ${c.line} team who kept ${c.count} people in their seats until six.`,
        gives: ['speaker'],
      },
      (c) =>
        `The customers loved it, and ${c.customer} asked for a follow-up meeting the same week.`,
    ],
    happened: [
      {
        text: (c) =>
          `The marketing funds took ${number(c.months)} months and four reminders to arrive.`,
        gives: ['four-reminders'],
      },
      (c) =>
        `Then the claim went to a new finance team in ${c.month}, who asked for every document again and paid half.`,
      (c) =>
        `The claim was "in review" for ${number(c.months)} months, without a question or a reason.`,
      (c) =>
        `The claim was accepted in ${c.days} days and then not paid for ${number(c.months)} months, while the venue's invoice was due in thirty.`,
    ],
    consequence: [
      (c) =>
        `We would do a ${c.short} event again, but we will not pre-finance the catering for ${c.count} guests again.`,
      (c) =>
        `Good events, but for a partner of ${c.engineers + 10} people the wait for the money hurts.`,
      (c) =>
        `We will do another one with ${c.short} next ${c.month}, with the funds paid up front this time or not at all.`,
      (c) =>
        `The ${number(c.months)}-month wait ate the margin on the ${c.product} that came out of the event.`,
      (c) =>
        `We have told ${c.short} the next event waits until the ${c.month} claim is paid in full.`,
    ],
    questions: [
      {
        ask: () => 'Did the speaker come from their local office?',
        answer: () => 'Yes, one of their regional architects.',
        needs: ['speaker'],
      },
      {
        ask: () => 'Was the claim paid in full in the end?',
        answer: () => 'In full, yes. Just very late.',
      },
    ],
    similar: [
      () => 'Same split for us: good events, slow claims.',
      (c) => `Our ${c.short} event claim took a quarter too. The event itself was great.`,
    ],
    advice: [
      () => 'Ask for a purchase order from them before the event, not a promise of funds.',
      () => 'Invoice the vendor directly for their half, if the program allows it. Some do.',
    ],
    dissent: [
      {
        text: () =>
          'Four reminders sounds bad, but ours came in six weeks this year. Maybe it is improving.',
        needs: ['four-reminders'],
      },
    ],
  },
  {
    key: 'mixed-briefings-demos',
    hardwareOnly: true,
    sentiment: 'mixed',
    areas: { presentations: 'good', demos: 'bad' },
    main: 'demos',
    titles: [
      (c) => `Excellent product briefings from ${c.short}, but no demo gear`,
      (c) => `${c.short} explains the product well and will not lend you one`,
      (c) => `${c.short} briefings: excellent. ${c.short} demo units: good luck`,
      (c) => `Learned all about ${c.short}'s ${c.line}, could not show any of it`,
      (c) => `Great partner briefings from ${c.short}, empty demo pool`,
      {
        text: (c) => `A ${c.weeks}-week waiting list for the ${c.line} we learned so well`,
        happened: 0,
      },
      {
        text: (c) => `${c.short} offered the ${bare(c.customer)} a recorded demo instead of a unit`,
        happened: 2,
      },
      (c) => `Best ${c.line} briefings of the year, no demo unit for the ${bare(c.customer)}`,
    ],
    situation: [
      (c) => `We have attended ${c.short}'s partner briefings on their ${c.line} since ${c.month}.`,
      (c) =>
        `${c.short}'s product briefings for partners are some of the best we attend, and we went to ${number(c.engineers)} this year.`,
      (c) =>
        `We started selling ${c.short}'s ${c.line} in ${c.month} and relied on their briefings to learn it.`,
      (c) =>
        `In ${c.month} a prospect asked to see ${an(c.product)} after we presented what we had learned in ${c.short}'s briefings.`,
    ],
    promise: [
      () => 'The briefings ended every time with "ask us for a demo unit for your customers".',
      (c) => `Demo equipment is listed as a benefit of ${c.tier ?? 'our'} level.`,
      (c) => `Our partner manager promised a demo unit for ${c.customer} "within the week".`,
    ],
    also: [
      (c) =>
        `The ${c.line} briefings themselves were clear and candid about limits, the ${c.month} one especially.`,
      (c) =>
        `The ${c.short} engineers who present are excellent, and they answered our questions on the ${c.product} honestly.`,
      (c) =>
        `Every ${c.line} briefing was worth the time, ${number(c.engineers)} of them this year, with real configurations instead of marketing slides.`,
      (c) =>
        `The ${c.month} briefing on the ${c.product} was the best two hours of vendor training we had all year.`,
    ],
    happened: [
      (c) =>
        `When we asked for a demo unit for ${c.customer}, the answer was a waiting list of ${number(c.weeks)} weeks.`,
      (c) =>
        `The demo ${c.product} took ${number(c.weeks)} weeks, and arrived after the ${bare(c.customer)} had decided.`,
      {
        text: (c) =>
          `We were offered a recorded demo instead of a unit, which the ${bare(c.customer)} did not accept.`,
        gives: ['recorded-demo'],
      },
    ],
    consequence: [
      (c) =>
        `We can explain the ${c.line} better than ever and cannot show it to the ${bare(c.customer)} or anyone else.`,
      (c) =>
        `The ${c.short} briefings are worth it; just do not count on a demo unit for ${an(c.product)}.`,
      (c) =>
        `We lost the ${bare(c.customer)} to a competitor who could show the product the next day.`,
      (c) =>
        `The ${c.amount} is on hold until someone can show the ${bare(c.customer)} a working unit.`,
    ],
    questions: [
      {
        ask: () => 'Did you ask for a remote demo instead?',
        answer: () => 'They offered a recorded video, which the customer did not accept.',
        needs: ['recorded-demo'],
      },
      {
        ask: () => 'Are the briefings open to all partner levels?',
        answer: () => 'Yes, and that is the good part. The demo pool is another matter.',
      },
    ],
    similar: [
      () => 'Same with us. Their demo pool is a waiting list.',
      (c) => `Great ${c.line} briefings here too, and the same empty demo pool.`,
    ],
    advice: [() => 'Try the distributor; they have their own demo units for some products.'],
    dissent: [() => 'We had a demo unit within two weeks, so it may depend on the product line.'],
  },
];

export const SCENARIO_BY_KEY = new Map(SCENARIOS.map((scenario) => [scenario.key, scenario]));

/** How a story may end, by sentiment. */
export const CLOSINGS: Record<Sentiment, Text[]> = {
  bad: [
    () => 'Has anyone had better luck with them, or is this how the program works now?',
    (c) => `Posting this so that others know before they invest in ${c.short}'s program.`,
    () => 'We have raised it with the partner team, and I will update this if anything changes.',
    () => 'Happy to share details with anyone in the same situation.',
    (c) => `We will keep selling ${c.short} where customers insist, but we no longer lead with it.`,
    () => 'Curious whether this is our region or the whole program.',
    (c) => `If someone from ${c.short}'s channel team reads this: we would still like an answer.`,
    (c) =>
      `We have been ${c.tier ? `${article(c.tier)} ${c.tier}` : 'a'} partner of ${c.short} for years, and this is the first time I have written anything like this.`,
    (c) => `Has anyone had a better answer from ${c.short} on this since ${c.month}?`,
    (c) =>
      `Our renewal with ${c.short} comes up ${c.weeks > 4 ? 'in the autumn' : 'next quarter'}, and this will be on the agenda.`,
  ],
  good: [
    () => 'Not every story here has to be a complaint.',
    (c) => `If you are deciding whether to join ${c.short}'s program, this part of it works.`,
    () => 'Hoping it stays this way after the next reorganisation.',
    () => 'Worth saying when something works.',
    (c) => `Credit to the ${c.short} people involved; they know who they are.`,
    (c) => `We will see whether it holds up on the next ${c.product}, but this one went well.`,
    (c) => `For anyone weighing ${c.short} against ${c.other}: this is a point in its favour.`,
  ],
  mixed: [
    () => 'So: good people, a process that works against them.',
    (c) => `We are staying with ${c.short} for now, with our eyes open.`,
    () => 'Curious whether others see the same split.',
    (c) => `Half of ${c.short}'s program works very well, and the other half undoes it.`,
    (c) => `I would recommend ${c.short} to a friend, with a warning attached.`,
    (c) => `If ${c.short} fixed the slow half, we would not be looking at ${c.other}.`,
  ],
};

/** An extra remark that rates one more area, fair to the vendor in a bad story and the reverse. */
export const ASIDES: Record<Sentiment, { area: string; rating: 'good' | 'bad'; text: Text }[]> = {
  bad: [
    {
      area: 'education',
      rating: 'good',
      text: (c) => `To be fair, ${c.short}'s online training is good and free for partners.`,
    },
    {
      area: 'presentations',
      rating: 'good',
      text: () => 'Their product briefings are still worth attending, I will give them that.',
    },
    {
      area: 'events',
      rating: 'good',
      text: (c) => `${c.short}'s partner day last spring was well organised, for what it is worth.`,
    },
  ],
  good: [
    {
      area: 'mdf',
      rating: 'bad',
      text: () => 'The only weak spot is the marketing fund process, which still takes months.',
    },
    {
      area: 'demos',
      rating: 'bad',
      text: () => 'If I had to name one weakness, it would be the tiny demo pool.',
    },
  ],
  mixed: [],
};

/** The opening remark of a story posted anonymously. */
export const ANONYMOUS_OPENINGS: Text[] = [
  () =>
    'Posting anonymously, because we still depend on this vendor for a good part of our margin.',
  () => 'Anonymous for obvious reasons: they would know who we are within a minute.',
  () => 'Not under our name, sorry. We have an open renewal with them.',
  (c) => `Anonymous, because our ${c.short} partner manager reads this forum.`,
  (c) =>
    `Posting without our name: we still sell a fair amount of ${c.short}, and I would like to keep it that way.`,
  (c) => `No company name on this one, we are still in talks with ${c.short} about it.`,
  (c) => `Anonymous for now, since the ${c.product} is still open with the customer.`,
];

/** Generic replies by the story's sentiment, for threads that run longer than their situation. */
export const GENERIC_REPLIES: Record<Sentiment, Text[]> = {
  bad: [
    (c) =>
      `Thanks for writing this up. We were about to apply for ${c.short}'s ${c.tier ?? 'Gold'} level and will ask for these commitments in writing first.`,
    () =>
      'Same pattern here: the program reads well and the people are friendly, but nothing happens without an escalation.',
    (c) =>
      `Bookmarking this. Our ${c.short} renewal is coming up and this goes on the list of questions.`,
    () => 'This matches what several partners said at the last partner summit, off the record.',
    (c) =>
      `We moved most of this business to ${c.other} last year for the same reasons. No regrets so far.`,
    () =>
      'Sorry to read this. Which distributor do you buy through? It sometimes makes a difference.',
  ],
  good: [
    () => 'Good to read something positive for once.',
    (c) => `Which region are you in? Our experience with ${c.short} has been very different.`,
    () => 'Agreed, and worth saying out loud when it works.',
    (c) => `Useful. We are comparing ${c.short} and ${c.other} at the moment, and this helps.`,
  ],
  mixed: [
    () => 'That split between people and process is exactly our experience too.',
    (c) => `Fair write-up. ${c.other} is no better on this, for what it is worth.`,
    () => 'Thanks for keeping it balanced. Most posts about them are one or the other.',
  ],
};
