// The situations the demo's stories are told from: for each, how partners title it, the
// situation, what was promised, what happened, what it cost or brought, and how others answer
// (questions the author answers, similar experiences, advice, a dissenting voice). Every text
// is written for its situation; plan.ts picks and fills them so no two stories read alike.

import type { AreaRatings, Sentiment } from '../posts/vocabulary.js';
import { an, article, asPartner, bare, cap, number, type Text } from './text.js';

export interface Question {
  ask: Text;
  /** The story's author answers it. */
  answer: Text;
}

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
  situation: Text[];
  promise: Text[];
  happened: Text[];
  /** In a mixed story: what went well, told between the promise and what went wrong. */
  also?: Text[];
  consequence: Text[];
  questions: Question[];
  similar: Text[];
  advice: Text[];
  dissent: Text[];
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
    ],
    situation: [
      (c) =>
        `We were shortlisted for a ${c.amount} ${c.product} at ${c.customer}, and the customer wanted to hear from the vendor's own engineers before signing.`,
      (c) =>
        `${cap(c.customer)} asked us for a design workshop on ${an(c.product)}, with someone from ${c.vendor} in the room.`,
      (c) =>
        `Our biggest opportunity this year was ${an(c.product)} for ${c.customer}, worth about **${c.amount}** in hardware and services.`,
      (c) =>
        `We had ${an(c.product)} for ${c.customer} in the final round, and the customer's IT manager asked for a technical session with the vendor.`,
    ],
    promise: [
      (c) =>
        `As ${asPartner(c)} we are entitled to pre-sales support, and our partner manager confirmed by email that an engineer would join.`,
      (c) =>
        `We filed the request in the partner portal ${number(c.weeks)} weeks ahead, exactly as the program guide says.`,
      () =>
        'On the kick-off call the channel team said a solutions engineer would be assigned within two days.',
    ],
    happened: [
      (c) =>
        `Nobody was assigned. After ${c.days} days and two reminders we got a generic slide deck and a link to a webinar.`,
      () =>
        'The engineer who was assigned cancelled the evening before the workshop, and no one stood in.',
      (c) =>
        `The ticket sat in the portal for ${number(c.weeks)} weeks with the status "triage", and the only reply was an automated survey.`,
      () => 'Our partner manager stopped answering, and the regional pre-sales inbox bounced.',
    ],
    consequence: [
      () =>
        'We ran the workshop on our own, the customer noticed the vendor was missing, and they went with a competitor whose engineer was on site within a week.',
      () =>
        'The customer postponed the project "until the vendor shows interest", and it has not come back.',
      (c) =>
        `We kept the deal, but only because our own engineer spent ${c.days} unpaid days on a design the vendor should have checked.`,
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
    ],
    similar: [
      () =>
        'Same here last quarter. As far as we can tell the pre-sales queue is one engineer for the whole region.',
      (c) =>
        `We stopped asking ${c.short} for engineers and now budget our own pre-sales time into every quote.`,
      (c) =>
        `Identical story with ${an(c.product)} last spring: promised on the call, never scheduled.`,
    ],
    advice: [
      () =>
        "Ask for the engineer's name in writing when you register the deal. In our experience that is the only thing that gets a calendar slot.",
      (c) =>
        `Their distributor has pre-sales people too, and they answered us faster than ${c.short} ever did.`,
    ],
    dissent: [
      (c) =>
        `Our experience with ${c.short} pre-sales this year has been fine, but we always book them through the distributor.`,
      () => 'To be fair, two weeks of lead time is what most vendors ask for a workshop.',
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
    ],
    situation: [
      (c) =>
        `We had a tight deadline on ${an(c.product)} for ${c.customer}, and the customer's architect had a long list of hard questions.`,
      (c) =>
        `${cap(c.customer)} invited three vendors' partners to present ${an(c.product)}, and we were the smallest of the three.`,
      (c) =>
        `${cap(c.customer)} was moving away from a competitor's product and wanted proof that ${an(c.product)} would fit their setup.`,
    ],
    promise: [
      (c) =>
        `We asked ${c.short} for pre-sales help through the portal on a Monday, not expecting much.`,
      () => 'Our partner manager offered an engineer for the workshop before we had even asked.',
      (c) =>
        `The program promises pre-sales support to ${c.tier ?? 'registered'} partners, and this time it was there.`,
    ],
    happened: [
      (c) =>
        `A systems engineer called back within ${c.days === 1 ? 'a day' : `${c.days} days`}, read the tender documents and joined the customer meeting in person.`,
      () =>
        'The engineer presented the product, answered the architect for two hours and then stayed for the design review, which was not in the plan.',
      () =>
        'They sent a written design with a bill of materials the next morning, and it matched what we had quoted almost line for line.',
    ],
    consequence: [
      (c) => `We won the ${c.amount} deal, and the customer named the workshop as the reason.`,
      () =>
        'The customer signed within the month, and our own engineers learned a lot from the session.',
      () => 'We did not win that one, but the customer has invited us to the next tender directly.',
    ],
    questions: [
      {
        ask: () => 'Did you go through the portal, or straight to the engineer?',
        answer: () =>
          'Portal first, then our partner manager put us in touch directly. Both worked.',
      },
    ],
    similar: [
      (c) =>
        `Same experience with ${c.short}'s engineers in our region: good people, quick to help.`,
      () => 'We had an engineer from them at a hospital tender last year. Excellent.',
    ],
    advice: [
      () =>
        'Send the engineer the tender documents before the meeting. They clearly read ours, and it showed.',
      () => 'Write to their manager when it goes well, too. It is how good engineers get kept.',
    ],
    dissent: [
      (c) =>
        `Good for you. In our region ${c.short} pre-sales is a lottery: one great engineer and a queue in front of them.`,
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
    ],
    situation: [
      (c) =>
        `We registered a ${c.amount} ${c.product} for ${c.customer} on the day of our first meeting with them.`,
      (c) =>
        `${cap(c.customer)} has been our customer for years, and this spring they asked us to quote ${an(c.product)} worth about ${c.amount}.`,
      (c) =>
        `We found the opportunity ourselves: ${c.customer} needed ${an(c.product)} and had never bought ${c.short} before.`,
    ],
    promise: [
      (c) =>
        `The program says an approved registration protects the partner's price and position for 90 days, including against ${c.short}'s own field sales.`,
      (c) =>
        `The registration was approved within ${c.days} working days, with the registration discount on top of our ${c.tier ?? 'standard'} pricing.`,
      () =>
        'Our partner manager told us at registration that the deal was ours unless the customer said otherwise.',
    ],
    happened: [
      (c) =>
        `A few weeks later a direct account manager from ${c.short} called the customer with a lower quote. We sent the registration number to our partner manager, and the direct quote was withdrawn the same afternoon.`,
      (c) =>
        `Another reseller turned up with a cheaper quote from the same distributor. ${c.short}'s channel team checked the dates, confirmed our registration and refused the other partner's special price.`,
      () =>
        'When the customer delayed the decision past the 90 days, our partner manager extended the registration without us having to ask twice.',
    ],
    consequence: [
      () => 'We won the deal at the price we had quoted, and the customer never saw a price war.',
      () =>
        'It closed last month, the margin held, and we have registered two more opportunities since.',
      (c) =>
        `That is what a partner program is for, and it is the main reason we are renewing with ${c.short}.`,
    ],
    questions: [
      {
        ask: () => 'How long did it take them to confirm the registration when you escalated?',
        answer: () => 'Same day. Our partner manager had it sorted before we had finished lunch.',
      },
      {
        ask: () => 'Was the other partner told why their price was refused?',
        answer: () =>
          'As far as we know, yes: the distributor told them the deal was registered to someone else.',
      },
    ],
    similar: [
      (c) =>
        `Good to hear. ${c.short} did the same for us on a smaller deal last year, so it is not a one-off.`,
      () => 'Same here: the registration held, even against their own enterprise team.',
    ],
    advice: [
      () =>
        'Register on the day of the first meeting, always. The date is what wins these arguments.',
      () => 'Keep the approval email with the registration number. We needed ours twice.',
    ],
    dissent: [
      (c) =>
        `Our registration with ${c.short} was "approved" and we still lost the deal to their direct team, so I think it depends a lot on the region.`,
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
    ],
    situation: [
      (c) =>
        `We spent ${number(c.weeks)} weeks with ${c.customer} on the requirements for ${an(c.product)}, and registered the opportunity with ${c.short} at the start.`,
      (c) =>
        `${cap(c.customer)} asked us to run their tender for ${an(c.product)}, about ${c.amount} in total.`,
      (c) =>
        `We introduced ${c.short} to ${c.customer} ourselves, after a year of looking after their network and servers.`,
    ],
    promise: [
      () =>
        "The registration was approved, and the program promises that an approved registration is not contested by the vendor's direct sales.",
      (c) =>
        `Our partner manager told us in writing that ${c.short} would "stay out of it" as long as we were registered.`,
    ],
    happened: [
      (c) =>
        `Two weeks before the deadline, ${c.short}'s own account manager contacted the customer's finance director with a direct offer ${c.percent}% below our price.`,
      (c) =>
        `The customer forwarded us a quote from ${c.short}'s direct team, on their letterhead, for the exact configuration we had designed.`,
      () =>
        'When we complained, the answer was that the customer was "a named account", which nobody had mentioned when approving the registration.',
    ],
    consequence: [
      () => 'The customer bought direct. We were left with the design work and no deal.',
      () =>
        'We kept the customer by matching the price, which left us with almost no margin on a project that took months.',
      () =>
        'The customer now asks why they should buy through us at all, and honestly we do not have a good answer.',
      (c) =>
        `We have taken ${c.short} off our standard proposals until someone explains what a registration is worth.`,
    ],
    questions: [
      {
        ask: () => 'Did you get the "named account" rule in writing anywhere before this?',
        answer: () => 'No. It appeared in the program guide a month later.',
      },
      {
        ask: () => 'Did the channel team at least compensate you for the design work?',
        answer: () => 'They offered a marketing voucher. We did not take it.',
      },
    ],
    similar: [
      (c) =>
        `Happened to us with ${c.short} too. The registration protects you until their own team wants the deal.`,
      () =>
        'Same story at a hospital tender last year. We stopped registering anything above a certain size with them.',
    ],
    advice: [
      () =>
        "Ask your partner manager to confirm in writing that the account is not on the direct team's list before you register.",
      () =>
        'Get the customer to insist on buying through you in the tender documents. It is the only protection that worked for us.',
    ],
    dissent: [
      () =>
        "Devil's advocate: if the customer was on their named-account list, the registration should never have been approved. That is a process failure, not a conspiracy.",
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
    ],
    situation: [
      (c) =>
        `We quoted ${an(c.product)} for ${c.customer} with a project discount of ${c.percent}% that ${c.short} had approved for the deal.`,
      (c) =>
        `After ${number(c.weeks)} weeks of negotiation, ${c.customer} was ready to order ${an(c.product)}, about ${c.amount} at list price.`,
      (c) =>
        `${cap(c.customer)} chose ${c.short} for ${an(c.product)} after a long comparison, largely because of the project price we could offer.`,
    ],
    promise: [
      () =>
        'The special bid was approved by email, valid for 60 days, with our partner manager in copy.',
      (c) =>
        `As ${asPartner(c)} we get a fixed project discount on registered deals, and we had the approval number.`,
      (c) => `Our partner manager wrote: "${c.percent}% is approved, go ahead and quote."`,
    ],
    happened: [
      () =>
        'When the customer asked for a second quote with more capacity, the approval was suddenly "no longer valid", and the new discount was half of what had been agreed.',
      (c) =>
        `Two days before the purchase order, ${c.short} told us the discount had been withdrawn because of "a change in pricing policy for the quarter".`,
      () =>
        'The distributor invoiced us at standard price and said the special bid had never reached their system.',
    ],
    consequence: [
      () =>
        'We had to go back to the customer with a higher price, and they have questioned every quote of ours since.',
      () => 'We absorbed the difference to keep our word, which cost us most of the margin.',
      () => 'The customer cancelled and bought a competing product from a direct seller.',
    ],
    questions: [
      {
        ask: () => 'Did the approval email have an expiry date on it?',
        answer: () => 'Sixty days, and we were on day 41.',
      },
      {
        ask: () => 'Did the distributor confirm they had received the special bid at the time?',
        answer: () => 'They did, by phone. Lesson learned: get it in writing from them too.',
      },
    ],
    similar: [
      (c) =>
        `Exactly the same with ${c.short} at the end of last year. It seems to happen whenever a quarter looks bad for them.`,
      () => 'We have seen this too. An approval is not worth much if it can be "recalculated".',
    ],
    advice: [
      () =>
        'Put the special-bid number on the quote to the customer. When it is in front of the customer, vendors tend to honour it.',
      () =>
        'Ask the distributor to confirm the bid is loaded before you send any quote. It takes a day and saves weeks.',
    ],
    dissent: [
      () =>
        'A second quote with more capacity is a new deal in most programs, so the first approval would not cover it anywhere. Annoying, but not unusual.',
    ],
  },
  {
    key: 'special-bid-fast',
    sentiment: 'good',
    areas: { discounts: 'good' },
    main: 'discounts',
    titles: [
      (c) =>
        `Special bid approved in ${c.days === 1 ? 'one day' : `${c.days} days`} for a ${c.amount} ${c.product}`,
      (c) => `${c.short} matched a competitor's price on a tender for ${c.customer}`,
      (c) => `Fast, fair special pricing from ${c.short}`,
      (c) => `${c.short}'s deal desk made a ${c.amount} deal possible`,
      (c) => `${c.short}'s pricing desk answered before our customer did`,
      {
        text: (c) => `A quick ${c.short} special bid got us inside ${c.customer}'s budget`,
        situation: 1,
      },
    ],
    situation: [
      (c) =>
        `We were up against a direct seller on ${an(c.product)} for ${c.customer}, and our price was ${c.percent}% too high.`,
      (c) =>
        `${cap(c.customer)} had a fixed budget for their ${c.product}, and our standard partner price was above it.`,
      (c) =>
        `A competitor offered ${c.customer} ${an(c.product)} at a price we could not reach with our standard discount.`,
    ],
    promise: [
      () => 'We sent a special-bid request with the competing quote attached, not expecting much.',
      (c) =>
        `${c.short}'s program promises an answer to special-bid requests within three working days.`,
    ],
    happened: [
      (c) =>
        `The deal desk answered within ${c.days === 1 ? 'a day' : `${c.days} days`} and approved the price we asked for, with a note on how to position the support contract.`,
      () =>
        'Our partner manager called the same afternoon to ask what price would win, and the approval came back for exactly that.',
      () =>
        'They even extended the validity when the customer needed another month for board approval.',
    ],
    consequence: [
      () =>
        'We won the tender with a healthy margin, and the customer has since ordered an expansion.',
      (c) =>
        `Deal closed at ${c.amount}, and the distributor had the price loaded before the order came in.`,
      () => 'The customer was surprised how quickly we came back, and said so to their board.',
    ],
    questions: [
      {
        ask: () => 'Did you have to register the deal first, or is the special bid separate?',
        answer: () => 'Registered first. The special bid refers to the registration number.',
      },
    ],
    similar: [
      (c) => `Our special bids with ${c.short} have been quick too, usually within the week.`,
      () => 'Same experience this year. Their deal desk is the best part of the program.',
    ],
    advice: [
      () =>
        'Attaching the competing quote makes a big difference in our experience. Without it the answer takes twice as long.',
    ],
    dissent: [
      (c) =>
        `Lucky you. Our last three bids with ${c.short} took over two weeks each, at ${c.tier ?? 'the same'} level.`,
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
        text: (c) => `Two years with the same ${c.short} partner manager, and it shows`,
        situation: 0,
      },
      (c) => `What a good partner manager looks like, at ${c.short}`,
    ],
    situation: [
      (c) =>
        `We have worked with ${c.short} for about ${c.months + 20} months, and for most of that time our partner manager has been the one constant.`,
      (c) =>
        `We were close to dropping ${c.short} last year, mostly because nobody answered us. Then a new partner manager took over our region.`,
      () => 'Most of what we post here is about what went wrong, so here is what goes right.',
    ],
    promise: [
      () =>
        'At our first meeting they asked for our pipeline and promised a call every two weeks, which I did not believe.',
      () =>
        'They said they would rather tell us "no" early than let a deal die in a queue, and they meant it.',
    ],
    happened: [
      () =>
        'They answer the same day, join customer calls when we ask, and tell us honestly when a special bid will not fly.',
      (c) =>
        `On a ${c.amount} ${c.product} for ${c.customer} they got an engineer into the room within ${c.days} days and followed the registration through the deal desk themselves.`,
      () =>
        'When a registration got stuck in the portal, they called the deal desk and had it approved before our customer meeting.',
    ],
    consequence: [
      () => 'Our sales with them have roughly doubled since.',
      (c) =>
        `It sounds small, but it is the difference between a vendor we recommend and one we only quote when asked. ${c.short} is now the first kind.`,
      () => 'Two of our engineers now ask to work on their projects, which tells you something.',
    ],
    questions: [
      {
        ask: () => 'Which region is that? Ours has had three partner managers in two years.',
        answer: () => 'I would rather not say, they would be easy to identify. Sorry.',
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
    ],
    situation: [
      (c) =>
        `We ran a customer seminar in ${c.month} with ${c.count} attendees, co-funded by ${c.short}'s marketing development funds.`,
      (c) =>
        `Our ${c.short} marketing plan for the half year was approved: two webinars and a mailing to ${c.count * 10} contacts, half paid by the vendor.`,
      (c) =>
        `${c.short} offered us marketing funds for a webinar series in ${c.month}, and we ran all four sessions.`,
    ],
    promise: [
      () => 'The claim rules say payment within 45 days of an accepted proof of performance.',
      () => 'The partner manager approved the budget in writing before we booked the venue.',
      () => 'The approval email said the claim would be settled in the same quarter.',
    ],
    happened: [
      (c) =>
        `We sent invoices, attendee list and photos within a week. The claim was accepted, then sat in "payment pending" for ${c.months} months.`,
      (c) =>
        `The claim was rejected because one photo did not show the ${c.short} logo on the banner, although the logo was on every slide.`,
      () =>
        'Every month the answer was that finance had a backlog, and in the end the funds expired with the fiscal year.',
    ],
    consequence: [
      () => 'We paid the venue and catering ourselves, money we had counted on for a new hire.',
      () => 'We are not running another co-funded event with them until the last one is paid.',
      () =>
        'For a company our size that is real money, and it has soured our view of the whole program.',
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
    ],
    similar: [
      (c) =>
        `Our last ${c.short} MDF claim took five months too. It does get paid eventually, in our case.`,
      () => 'Same, and every time a different person asks for the same documents again.',
    ],
    advice: [
      () =>
        'Take photos of every banner and every slide with the logo, even if it feels silly. We learned that the hard way.',
      () =>
        'Ask the distributor whether they can pre-finance the claim. Ours does it for a small fee.',
    ],
    dissent: [
      () => 'The logo rule is in the claim guide, to be fair. It is petty, but it is written down.',
    ],
  },
  {
    key: 'mdf-paid',
    sentiment: 'good',
    areas: { mdf: 'good', events: 'good' },
    main: 'mdf',
    titles: [
      (c) => `${c.short} paid our marketing funds in three weeks`,
      (c) => `Co-funded ${c.month} seminar with ${c.short}: smooth from start to finish`,
      () => 'An MDF claim that just worked',
      (c) => `${c.short} marketing funds: paid on time, with one question`,
      (c) => `Our first marketing fund claim with ${c.short} went better than expected`,
      (c) => `Credit to ${c.short}'s marketing team for an easy co-funded event`,
    ],
    situation: [
      (c) =>
        `We organised a breakfast seminar in ${c.month} for ${c.count} customers, with ${c.short} paying half of the cost from marketing funds.`,
      (c) => `${c.short} offered us marketing funds for a webinar series on their ${c.line}.`,
      (c) =>
        `We used ${c.short}'s marketing funds for a direct mailing and a customer lunch in ${c.month}.`,
    ],
    promise: [
      () =>
        'The rules were one page long: agree the plan, run the event, send invoices and an attendee count.',
      () => 'Payment within 30 days of the claim, according to the program guide.',
      () => 'Our partner manager walked us through the claim form before the event, which helped.',
    ],
    happened: [
      () =>
        'We sent the claim on a Friday, got one question about the catering invoice on Monday, and the money arrived nineteen days later.',
      () => 'Their marketing team even sent a speaker and printed material at no extra cost.',
      (c) => `The claim was approved in ${c.days} days and paid with the next payment run.`,
    ],
    consequence: [
      () => 'Three of the attendees have since asked for quotes.',
      () => 'We have already booked the next one with them.',
      (c) =>
        `${cap(number(Math.min(c.engineers, 4)))} customers from the event have ordered since.`,
    ],
    questions: [
      {
        ask: () => 'Did you need a minimum tier for the funds?',
        answer: (c) => `We are ${c.tier ?? 'Silver'}, and it was offered to us without asking.`,
      },
    ],
    similar: [(c) => `Same with ${c.short} for us last autumn. Their MDF process is painless.`],
    advice: [
      () =>
        'Send the attendee list with the claim even if they do not ask for it; it speeds things up.',
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
    ],
    situation: [
      (c) =>
        `${cap(c.customer)} wanted a two-week proof of concept before committing to ${an(c.product)}.`,
      (c) =>
        `We needed a demo unit for our lab to train our engineers and show customers the ${c.product} in action.`,
      (c) =>
        `We wanted to show ${c.short}'s ${c.line} at a partner day with ${c.count} of our customers.`,
    ],
    promise: [
      (c) =>
        `Our ${c.tier ?? 'partner'} level includes demo equipment on loan, and the partner manager said a unit would ship "next week".`,
      (c) =>
        `The program guide promises demo units to partners who have certified engineers, and we have ${c.engineers}.`,
    ],
    happened: [
      (c) =>
        `"Next week" turned into ${number(c.weeks)} weeks. The unit was always on backorder, then reserved for a bigger partner.`,
      () =>
        'The unit that finally arrived was two generations old and did not support the feature the customer wanted to test.',
      () =>
        'We were told to buy a demo unit at a "special demo price", which was the same as our normal partner price.',
    ],
    consequence: [
      () => 'The customer ran a proof of concept with a competitor instead, and bought from them.',
      () => "We delayed the project by a quarter and lost some of the customer's trust on the way.",
      () => 'We now only propose products we can show from our own lab.',
    ],
    questions: [
      {
        ask: () => "Did you try the distributor's demo pool?",
        answer: () => 'Yes. Same answer: everything reserved until the end of the quarter.',
      },
    ],
    similar: [
      (c) =>
        `Same with ${c.short} for us. We gave up on their demo pool and bought our own lab kit.`,
      () => 'We waited two months last year. When it came, it was missing the rails.',
    ],
    advice: [
      () =>
        'Ask the customer whether a remote lab would do. Some vendors have hosted labs that are far easier to get than hardware.',
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
    ],
    situation: [
      (c) =>
        `${cap(c.customer)} would only sign for ${an(c.product)} after seeing it run with their own data.`,
      (c) =>
        `We pitched ${an(c.product)} to ${c.customer}, and their IT manager wanted to try it in their own rack first.`,
      (c) => `We had a workshop with ${c.customer} booked and no ${c.short} hardware to show.`,
    ],
    promise: [
      () => 'We asked our partner manager for a demo unit for a three-week proof of concept.',
      (c) => `${c.short}'s program includes demo loans for partners with a registered opportunity.`,
      () => 'The portal form asked for a date and a reason, nothing more.',
    ],
    happened: [
      () =>
        'The kit arrived four days later, with a pre-sales engineer booked for the installation.',
      () =>
        'When the proof of concept ran over, they extended the loan by two weeks without any paperwork.',
      () => 'A courier delivered the unit on the day we asked for, set up and tested.',
    ],
    consequence: [
      (c) => `The customer signed for the full ${c.amount} deal a week after the test.`,
      () => 'The customer bought, and the demo unit went on to the next partner in the region.',
      () =>
        'The workshop went well, and the loan made us look like a much bigger partner than we are.',
    ],
    questions: [
      {
        ask: () => 'Did you pay for shipping?',
        answer: () => 'No, both ways were on them.',
      },
    ],
    similar: [(c) => `Good to hear. ${c.short}'s demo loans have been reliable for us too.`],
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
    ],
    situation: [
      (c) =>
        `We had been ${article(c.tier ?? '')} ${c.tier} partner of ${c.short} for three years, with the revenue and certifications the level requires.`,
      (c) =>
        `Our ${c.short} revenue grew this year, mostly from ${an(c.product)} for ${c.customer}.`,
      (c) => `We reached ${c.tier} with ${c.short} two years ago and planned our hiring around it.`,
    ],
    promise: [
      () =>
        'The thresholds are published once a year, and the program says they apply from the next fiscal year.',
      () => 'Our partner manager told us in the spring that we were comfortably above the target.',
      () => 'The partner agreement says a partner keeps its level until the annual review.',
    ],
    happened: [
      (c) =>
        `In ${c.month} the revenue threshold for ${c.tier} was raised by 40%, effective immediately, and we were moved down to ${c.lowerTier}.`,
      (c) =>
        `One engineer's certification expired during parental leave, and the system downgraded us to ${c.lowerTier} overnight, with no warning.`,
      (c) =>
        `A new partner manager reviewed the numbers, counted only the last two quarters, and moved us to ${c.lowerTier}.`,
    ],
    consequence: [
      (c) =>
        `We lost ${c.percent > 20 ? 'six' : 'four'} points of discount on every open quote, including deals already promised to customers.`,
      () =>
        'Our registered deals lost their tier discount, and two customers got a price increase in the middle of a project.',
      () =>
        'We are now re-earning a level we already earned, while competing against partners who kept theirs.',
    ],
    questions: [
      {
        ask: () => 'Did they offer a grace period at all?',
        answer: () => 'Thirty days to "show a recovery plan". We sent one; nobody has read it yet.',
      },
    ],
    similar: [
      (c) => `${c.short} did the same to two partners we know this year.`,
      () =>
        'A mid-year change to the thresholds is the one thing we never expected. Thanks for the warning.',
    ],
    advice: [
      () =>
        'Keep one more certified engineer than the level needs. We learned it after a resignation.',
      () => 'Ask for the thresholds in the contract annex, not just on the portal.',
    ],
    dissent: [
      () =>
        'Were the new thresholds really mid-year? Ours were announced in the partner newsletter months before.',
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
    ],
    situation: [
      (c) =>
        `We had ${number(c.engineers + 2)} opportunities to register with ${c.short} before quarter end, including ${an(c.product)} for ${c.customer}.`,
      (c) =>
        `We wanted to register ${an(c.product)} for ${c.customer} in ${c.short}'s partner portal in the last week of the quarter.`,
    ],
    promise: [
      () =>
        'The program says registrations are first come, first served, by the time of submission.',
      () =>
        'Support promised that the outage would not affect any registration submitted during it.',
    ],
    happened: [
      (c) =>
        `The portal was unreachable for ${c.days} days, and the support line told us to "try again later".`,
      () =>
        'Another partner registered the same customer while we were locked out, and their registration won on the timestamp.',
      () => 'The portal accepted our submissions during the outage and then silently dropped them.',
    ],
    consequence: [
      () => 'We spent weeks re-registering deals by email, and lost one of them for good.',
      () =>
        'We had to explain to a customer why our quoted price had gone up by the registration discount.',
    ],
    questions: [
      {
        ask: () => 'Did you keep screenshots of the errors?',
        answer: () => 'Yes, with times. Support said screenshots "cannot be accepted as proof".',
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
      () =>
        'The outage was a day and a half for us, not a week. Annoying, but I would not call it lost deals.',
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
    ],
    situation: [
      (c) => `${c.short} moved its partners to a new portal this year.`,
      (c) =>
        `We had a dozen open registrations with ${c.short} when they switched to the new partner portal, including ${an(c.product)} for ${c.customer}.`,
    ],
    promise: [
      () =>
        'The migration notice promised that all open registrations would move across automatically.',
      () => 'Our partner manager told us there was nothing to do on our side.',
    ],
    happened: [
      () =>
        'Half of our open registrations did not make it to the new portal, and the ones that did had lost their approval dates.',
      () =>
        'Our registrations came across as "new", so two of them now clash with later registrations by other partners.',
    ],
    consequence: [
      () =>
        'Nobody at the vendor seems to own the problem: support blames the migration team, and the migration team has moved on.',
      () => 'We spent weeks re-registering deals by email, and lost one of them for good.',
    ],
    questions: [
      {
        ask: () => 'Did you export your registrations from the old portal before the switch?',
        answer: () => 'We did, luckily. Support still will not accept the export as proof.',
      },
    ],
    similar: [
      (c) => `Same here. Our ${c.short} registrations from before the migration are still missing.`,
    ],
    advice: [
      () =>
        'Send your partner manager the list of registrations with their old numbers and dates, and ask for a written confirmation.',
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
      () => 'Training vouchers that were actually worth it',
      (c) => `Good hands-on labs from ${c.short}, free for partners`,
      (c) => `${c.short} training: the best part of the program`,
      (c) => `Free, practical and well run: ${c.short}'s partner training`,
      (c) => `${c.short}'s labs taught our engineers more than paid courses elsewhere`,
      { text: (c) => `An instructor-led ${c.short} course that was worth every hour`, happened: 1 },
    ],
    situation: [
      (c) =>
        `We needed ${number(c.engineers)} certified engineers to reach ${c.tier ?? 'the next'} level, and training budgets are tight for a company our size.`,
      (c) => `We started selling ${c.short}'s ${c.line} this year and had nobody who knew it well.`,
      (c) =>
        `Two of our engineers needed to move from another vendor's products to ${c.short}'s in a quarter.`,
    ],
    promise: [
      () => 'The program includes free online courses and exam vouchers for partners.',
      () => 'Our partner manager offered seats in an instructor-led class at no cost.',
      (c) => `${c.short} offers a learning path per role, with labs, for partners at every level.`,
    ],
    happened: [
      () =>
        'The courses were practical, with real lab environments instead of slides, and the vouchers arrived the day after we asked.',
      () =>
        'The instructor knew the product inside out and stayed after class to go through one of our customer designs.',
      () =>
        'The labs ran in the browser, and the trainer answered questions on the forum within a day.',
    ],
    consequence: [
      (c) =>
        `${cap(number(c.engineers))} engineers passed, and we reached the level two months earlier than planned.`,
      () => 'Our engineers now fix in an hour what used to take a support ticket and a day.',
      () => 'It is the best free training we have had from any vendor.',
    ],
    questions: [
      {
        ask: () => 'Were the vouchers for the associate or the professional exams?',
        answer: () => 'Both. Professional ones needed a passed associate exam first.',
      },
    ],
    similar: [
      (c) =>
        `Agreed. ${c.short}'s labs are better than the paid courses we did with another vendor.`,
    ],
    advice: [
      () => 'Book exam slots as soon as the vouchers arrive. They expire faster than you think.',
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
    ],
    situation: [
      (c) =>
        `Our level requires ${number(c.engineers)} certified engineers, so we planned the exams for ${c.month}.`,
      (c) => `${c.short} announced new certification requirements for all partners this year.`,
      (c) =>
        `We wanted ${number(c.engineers)} engineers certified on ${c.short}'s ${c.line} before a large tender.`,
    ],
    promise: [
      () => 'Partners get free exam vouchers, according to the program guide.',
      () => 'The partner manager promised vouchers and free course seats for the whole team.',
      () => 'Free training seats for partners are listed on the program page.',
    ],
    happened: [
      (c) =>
        `The vouchers arrived ${number(c.weeks)} weeks late, the exam booking site rejected them, and by the time support fixed it they had expired.`,
      () =>
        'The "free" course turned out to be a recorded webinar; the lab course needed for the exam costs full price.',
      () => 'Half of the exam questions were about features the product no longer has.',
    ],
    consequence: [
      () => 'We paid for the exams ourselves to keep our level.',
      () => 'Two engineers lost a week each, and we are still one certification short.',
      () => 'The training budget for the year is gone, and the requirement is still not met.',
    ],
    questions: [
      {
        ask: () => 'Did support extend the vouchers in the end?',
        answer: () => 'They offered new ones valid for thirty days, during the summer holidays.',
      },
    ],
    similar: [
      () => 'Same problem with the exam booking site here. The vouchers look valid and are not.',
    ],
    advice: [
      () =>
        'Book the exam the day the voucher arrives, even if it is months ahead. You can move the date, not the voucher.',
    ],
    dissent: [
      () =>
        'The exam site issue was fixed months ago, so this may be out of date for anyone reading now.',
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
    ],
    situation: [
      (c) =>
        `${c.short} invited us to the beta of the next version of their ${c.line}, as one of a few partners.`,
      () =>
        'We joined the beta program because we wanted to be ready for the launch before our competitors.',
      (c) =>
        `We were asked to beta-test ${c.short}'s new management console, as a partner with ${c.engineers} certified engineers.`,
    ],
    promise: [
      () => 'Beta partners were promised direct access to the product team and early training.',
      () => 'The invitation mentioned a launch discount and priority for demo units.',
      () => 'The beta agreement promised a named contact and a feedback session at the end.',
    ],
    happened: [
      (c) =>
        `We filed ${c.count} bug reports with logs and reproductions. Not one got a reply, and several were closed unread at the launch.`,
      () => 'The early training never happened, and the launch discount went to every partner.',
      () => 'The named contact left after a week, and the feedback session was a survey.',
    ],
    consequence: [
      (c) =>
        `That was ${number(c.engineers)} engineers for a month, unpaid, and we got nothing for it.`,
      () => 'We will not join another beta with them.',
      () => 'The features we asked for were released, and sold to us as an add-on.',
    ],
    questions: [
      {
        ask: () => 'Did you sign an agreement with commitments on their side?',
        answer: () => 'Only an NDA. Lesson learned.',
      },
    ],
    similar: [
      () =>
        'Same experience. The bugs we reported are in the release notes as "fixed", with no credit and no answer.',
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
      () => 'A beta program where our bug reports changed the product',
      (c) => `Beta testing ${c.short}'s next ${c.line} was worth our time`,
      (c) => `${c.short}'s product team actually read our beta reports`,
      (c) => `A closed beta with ${c.short} that was worth the engineer time`,
      (c) => `Early access that paid off: ${c.short}'s beta`,
    ],
    situation: [
      (c) => `We joined the beta of ${c.short}'s next ${c.line} with two engineers.`,
      (c) =>
        `${c.short} asked a handful of partners to try the next version of their ${c.line} before launch, and we said yes.`,
      () => 'We were invited to a closed beta as one of the smaller partners, which surprised us.',
    ],
    promise: [
      () => 'Beta partners were promised a weekly call with the product team.',
      () => 'They promised early training and a launch discount for beta partners.',
      () => 'We were told that every report would get an answer, which we did not believe.',
    ],
    happened: [
      () =>
        'The calls happened every week, the product manager read our reports, and two features were changed because of them.',
      () => 'Every bug we filed got a reply within days, with a fix or a reason.',
      () =>
        'The launch discount was there on day one, and the early training was given by the product team itself.',
    ],
    consequence: [
      () => 'We were ready to sell on launch day, with a reference customer from the beta.',
      () => 'Our engineers learned more in the beta than in any course.',
      () => 'It cost us engineer time, but we got more out of it than we put in.',
    ],
    questions: [
      {
        ask: () => 'How much time did it take your engineers?',
        answer: () => 'About a day a week each, for six weeks.',
      },
    ],
    similar: [() => 'Same for us. Their product team is unusually open with partners.'],
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
    ],
    situation: [
      (c) =>
        `${c.short} ran a partner roadshow in ${c.month}, with a customer session in the afternoon.`,
      (c) =>
        `We co-hosted a breakfast briefing with ${c.short} in ${c.month}, for customers in our region.`,
      (c) =>
        `${c.short} invited partners to a product day in ${c.month}, with a customer afternoon attached.`,
    ],
    promise: [
      () => 'The invitation promised product briefings from the engineers, not marketing.',
      () => 'They promised to bring speakers and customers; we had to bring the venue.',
      () => 'The event was free for partners, travel included for two people.',
    ],
    happened: [
      () => 'The briefings were technical and honest about the roadmap, including what is late.',
      (c) =>
        `They brought ${c.count} of their own customer contacts to the afternoon session and introduced us by name.`,
      () => 'The speakers were engineers, and they stayed for questions until the venue closed.',
    ],
    consequence: [
      () => 'We left with four new leads and a much better picture of the product.',
      () =>
        'One of the customers we met there signed a maintenance contract with us a month later.',
      () => 'Worth a day out of the office, which I cannot say about most vendor events.',
    ],
    questions: [
      {
        ask: () => 'Were the slides shared afterwards?',
        answer: () => 'Yes, in the partner portal under events.',
      },
    ],
    similar: [() => 'We went to the one in the autumn. Same impression: technical, useful.'],
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
    ],
    situation: [
      (c) =>
        `We have been building up our ${c.short} practice for a year, starting with the training.`,
      (c) =>
        `We chose ${c.short}'s ${c.line} for our practice, largely because of their training offer.`,
      (c) =>
        `${cap(number(c.engineers))} of our engineers went through ${c.short}'s certification track this year.`,
    ],
    promise: [
      () =>
        'The program promises training for every certified partner and protection for registered deals.',
      (c) =>
        `Certified partners get ${c.percent}% extra discount on registered deals, according to the program guide.`,
      () => 'Our partner manager said a certified team would make our registrations "a formality".',
    ],
    also: [
      () => 'The courses were excellent, and everyone passed first time.',
      () => 'The labs were the best we have seen from any vendor.',
      () => 'The trainers knew the product and were honest about its limits.',
    ],
    happened: [
      (c) =>
        `Then our first big registration, ${an(c.product)} for ${c.customer}, was rejected after ${c.days} days because "another partner had engaged first", with no proof of it.`,
      (c) =>
        `Then a registration for ${c.customer} sat unanswered for ${number(c.weeks)} weeks and expired the day before the customer ordered.`,
      () =>
        'Then our registrations started coming back "approved" with the discount missing, and nobody could say why.',
    ],
    consequence: [
      () => 'So we have well-trained engineers and no protected deals to use them on.',
      () =>
        'We are keeping the certifications and dropping the registrations, which is the wrong way round.',
      () => 'If deal registration worked as well as the training, this would be our main vendor.',
    ],
    questions: [
      {
        ask: () => 'Did your partner manager give you a reason in writing?',
        answer: () => 'Only that it was "under review". That was three weeks ago.',
      },
    ],
    similar: [
      () =>
        'Same split here. Their education team and their channel team might as well be two companies.',
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
    ],
    situation: [
      (c) => `We worked on a ${c.amount} ${c.product} for ${c.customer} this spring.`,
      (c) => `${cap(c.customer)} invited us to bid on ${an(c.product)}, about ${c.amount}.`,
      (c) =>
        `A tender for ${an(c.product)} came up at ${c.customer}, and ${c.short} was the obvious fit.`,
    ],
    promise: [
      (c) =>
        `${c.short}'s program promises an answer to special-bid requests within five working days.`,
      () => 'Our partner manager said the pricing desk would "prioritise" a tender of this size.',
    ],
    also: [
      (c) =>
        `${c.short}'s engineer joined every meeting and designed most of the solution with us.`,
      (c) =>
        `${c.short}'s pre-sales engineer had the design ready in a week and joined the customer presentation.`,
      () => 'Pre-sales support was quick and excellent, as promised at our level.',
    ],
    happened: [
      (c) =>
        `The special-bid request, though, took ${number(c.weeks)} weeks, and the approval came after the customer's deadline.`,
      () =>
        'Pricing was another matter: the special bid went through three approval levels and came back after the deadline.',
      () =>
        'The pricing desk, on the other hand, asked for the same information three times and answered in the fourth week.',
    ],
    consequence: [
      () =>
        "The customer liked the design and bought the competitor's version of it, because the price was on time.",
      () => 'We won in the end by cutting our services margin, which is not how it should work.',
      () => 'We lost the tender on price, with the best design in the room.',
    ],
    questions: [
      {
        ask: () => 'Did the engineer try to speed up the bid?',
        answer: () => 'Yes, and they were as frustrated as we were.',
      },
    ],
    similar: [
      () => 'That is exactly our experience: great people, a pricing desk that works in weeks.',
    ],
    advice: [
      () => 'Send the special-bid request the day you start the design, even with rough numbers.',
    ],
    dissent: [() => 'Three weeks for a special bid is normal in this industry, to be honest.'],
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
    ],
    situation: [
      (c) =>
        `We co-hosted a customer event with ${c.short} in ${c.month}, with ${c.count} people in the room.`,
      (c) => `${c.short} helped us run a customer day in ${c.month} for ${c.count} guests.`,
      (c) => `We ran a seminar series with ${c.short} this year, three evenings in total.`,
    ],
    promise: [
      () => 'Half of the cost was to come from marketing funds, paid within 45 days.',
      () => 'The marketing funds were approved before the first invitation went out.',
      () => 'The partner manager promised the funds would be paid in the same quarter.',
    ],
    also: [
      () => 'The events themselves were excellent: good speakers, a full room, real leads.',
      () => 'Their speaker was excellent, and the customers stayed for the whole afternoon.',
      () => 'The organisation on their side was flawless, from the invitations to the slides.',
    ],
    happened: [
      (c) => `The marketing funds took ${number(c.months)} months and four reminders to arrive.`,
      () =>
        'Then the claim went to a new finance team, who asked for every document again and paid half.',
      () => 'The claim was "in review" for a whole quarter, without a question or a reason.',
    ],
    consequence: [
      () => 'We would do the event again, but we will not pre-finance it again.',
      () => 'Good events, but for a small partner the wait for the money hurts.',
      () => 'We will do another one, with the funds paid up front this time or not at all.',
    ],
    questions: [
      {
        ask: () => 'Did the speaker come from their local office?',
        answer: () => 'Yes, one of their regional architects.',
      },
    ],
    similar: [() => 'Same split for us: good events, slow claims.'],
    advice: [() => 'Ask for a purchase order from them before the event, not a promise of funds.'],
    dissent: [
      () =>
        'Four reminders sounds bad, but ours came in six weeks this year. Maybe it is improving.',
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
    ],
    situation: [
      (c) => `We attended ${c.short}'s partner briefings on their ${c.line} all year.`,
      (c) => `${c.short}'s product briefings for partners are some of the best we attend.`,
      (c) =>
        `We started selling ${c.short}'s ${c.line} this year and relied on their briefings to learn it.`,
    ],
    promise: [
      () => 'The briefings ended every time with "ask us for a demo unit for your customers".',
      () => 'Demo equipment is listed as a benefit of our level.',
      (c) => `Our partner manager promised a demo unit for ${c.customer} "within the week".`,
    ],
    also: [
      () => 'The briefings themselves were clear and candid about limits.',
      () => 'The engineers who present are excellent, and they answer questions honestly.',
      () =>
        'Every briefing was worth the time, with real configurations instead of marketing slides.',
    ],
    happened: [
      (c) =>
        `When we asked for a demo unit for ${c.customer}, the answer was a waiting list of ${number(c.weeks)} weeks.`,
      (c) =>
        `The demo unit took ${number(c.weeks)} weeks, and arrived after the customer had decided.`,
      () => 'We were offered a recorded demo instead of a unit, which the customer did not accept.',
    ],
    consequence: [
      () => 'We can explain the product better than ever and cannot show it to anyone.',
      () => 'The briefings are worth it; just do not count on a demo unit.',
      () => 'We lost one customer to a competitor who could show the product the next day.',
    ],
    questions: [
      {
        ask: () => 'Did you ask for a remote demo instead?',
        answer: () => 'They offered a recorded video, which the customer did not accept.',
      },
    ],
    similar: [() => 'Same with us. Their demo pool is a waiting list.'],
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
  ],
  good: [
    () => 'Not every story here has to be a complaint.',
    (c) => `If you are deciding whether to join ${c.short}'s program, this part of it works.`,
    () => 'Hoping it stays this way after the next reorganisation.',
    () => 'Worth saying when something works.',
  ],
  mixed: [
    () => 'So: good people, a process that works against them.',
    (c) => `We are staying with ${c.short} for now, with our eyes open.`,
    () => 'Curious whether others see the same split.',
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
