// A clearly fictional data set for the demo forum: invented vendor names only, never real
// companies, and stories in the voice of IT service providers.

import { SUPPORT_AREAS, type AreaRatings } from '../posts/vocabulary.js';

export const DEMO_VENDORS = [
  'Globex Hardware',
  'Initech Storage',
  'Umbrella Networks',
  'Hooli Cloud',
  'Vandelay Systems',
  'Stark Compute',
  'Wayne Security',
  'Cyberdyne Servers',
  'Soylent Software',
  'Tyrell Data',
  'Wonka Backup',
  'Acme Switching',
  'Massive Dynamic',
  'Oscorp Endpoint',
  'Gringotts Finance Cloud',
  'Nakatomi Printing',
  'Monarch Telecom',
  'Virtucon Firewalls',
  'Aperture Analytics',
  'Black Mesa Labs',
  'Dunder Paper Print',
  'Prestige Worldwide IT',
  'Blue Sun Devices',
  'Weyland Infrastructure',
  'Sirius Cybernetics',
  'Planet Express Logistics',
  'Ollivander Identity',
  'Pied Piper Compression',
  'Bluth Hosting',
  'Kramerica Mobile',
];

export const DEMO_TIERS = ['Registered', 'Silver', 'Gold', 'Platinum', 'Premier'];

export const DEMO_MEMBERS = [
  'northwind_it',
  'contoso_msp',
  'fabrikam_services',
  'tailspin_tech',
  'adatum_systems',
  'litware_ops',
  'proseware_it',
  'woodgrove_net',
  'fourthcoffee_it',
  'alpine_msp',
  'coho_networks',
  'lucerne_it',
  'margie_consulting',
  'trey_research',
  'wingtip_support',
  'blueyonder_ops',
  'humongous_it',
  'graphic_design_it',
  'relecloud_msp',
  'southridge_tech',
];

/** The two cases from the design's opening paragraph come first. */
export const FIXED_STORIES = [
  {
    title: 'No call back on a $500k deal',
    vendor: 'Globex Hardware',
    sentiment: 'bad' as const,
    tier: 'Platinum',
    areas: { presales: 'bad', dealreg: 'bad' } as AreaRatings,
    body:
      'We registered a **$500k** storage refresh for a hospital group and asked for pre-sales help.\n\n' +
      'Three emails and two calls to the partner desk later, nobody called back. The customer went with a competitor ' +
      'who had a systems engineer on site within a week.\n\n- Deal registration: approved, then ignored\n- Partner manager: on holiday, no deputy',
  },
  {
    title: 'Highest partner level, and still no special bid, no discount, no demo',
    vendor: 'Initech Storage',
    sentiment: 'bad' as const,
    tier: 'Premier',
    areas: { discounts: 'bad', demos: 'bad', education: 'good' } as AreaRatings,
    body:
      'We did every certification, sat through the webinars and beta-tested their new array for free.\n\n' +
      'When a real opportunity came, the answer was: no special bid, no extra discount, and no demo unit "this quarter". ' +
      'The training itself was good, to be fair.',
  },
];

const OPENINGS = [
  'We have been a partner for {years} years.',
  'Small MSP here, about {people} people.',
  'We resell and run managed services for mid-sized customers.',
  'This is about a tender we won last quarter.',
  'Posting this because others should know before they invest in the program.',
];

const GOOD = [
  'The channel manager answered the same day and got us a special bid within 48 hours.',
  'Their pre-sales engineer joined the customer call and stayed until the design was signed off.',
  'Deal registration was approved quickly and they protected it against their own direct team.',
  'We got a demo unit shipped in a week, no questions asked.',
  'Marketing funds were paid out on time for our customer event.',
  'The training was free for partners and actually useful for our engineers.',
];

const BAD = [
  'Nobody answered the partner portal ticket for three weeks.',
  'Their direct sales team went around us to the customer we registered.',
  'The promised discount disappeared once the customer asked for a second quote.',
  'Beta testing took two of our engineers for a month and we never heard back.',
  'The MDF claim was rejected over a formality after the event had happened.',
  'Demo equipment was "on backorder" for the whole quarter.',
];

const REPLIES = [
  'Same experience here, especially with the deal registration.',
  'Did you escalate to the regional channel director? That worked for us once.',
  'We saw the opposite last year, but the team has changed since then.',
  'Thanks for sharing. We were about to sign up for their Gold level.',
  'This matches what we heard at the last partner summit.',
  'Their distributor was more helpful than the vendor itself in our case.',
  'Good to know. We will ask for the commitments in writing.',
];

/** A small deterministic random generator, so that every demo forum looks the same. */
export function seededRandom(seed = 42) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

export type Random = ReturnType<typeof seededRandom>;

export function storyText(random: Random, sentiment: 'good' | 'mixed' | 'bad') {
  const opening = random
    .pick(OPENINGS)
    .replace('{years}', String(2 + random.int(12)))
    .replace('{people}', String(5 + random.int(60)));
  const good = random.pick(GOOD);
  const bad = random.pick(BAD);
  const middle =
    sentiment === 'good' ? good : sentiment === 'bad' ? bad : `${good} But: ${bad.toLowerCase()}`;
  const title =
    sentiment === 'good'
      ? random.pick([
          'Solid partner support',
          'They delivered on the partnership',
          'Fast special bid, happy customer',
        ])
      : sentiment === 'bad'
        ? random.pick([
            'Partner program on paper only',
            'Left alone on a big deal',
            'Discount promised, then withdrawn',
          ])
        : random.pick([
            'Mixed bag this year',
            'Good training, weak deal support',
            'Helpful people, slow process',
          ]);
  return { title, body: `${opening}\n\n${middle}\n\n${random.pick([good, bad])}` };
}

export function replyText(random: Random) {
  return random.pick(REPLIES);
}

/** The two demo vendors that answer stories, and the members who answer for them. */
export const DEMO_REPRESENTATIVES = [
  { vendor: 'Globex Hardware', username: 'globex_channel_team' },
  { vendor: 'Hooli Cloud', username: 'hooli_partner_desk' },
];

const RESPONSE_OPENINGS = [
  'Thank you for raising this, and I am sorry it took a public post to reach us.',
  'This should not have happened, and I want to put it right.',
  'Thanks for the detailed write-up: it made it easy to find the case on our side.',
  'I looked into this with our channel team this week.',
];
const RESPONSE_ACTIONS = [
  'Your partner account manager has been reassigned and will call you within two working days.',
  'We have reopened the deal registration and backdated the protection to your original submission.',
  'The special-bid request is now with our pricing desk, with a commitment to answer within 48 hours.',
  'We have added the missing demo units to your tier allocation for this quarter.',
  'Our pre-sales engineers now have a shared queue for partner requests, with a named owner per region.',
];
const RESPONSE_CLOSINGS = [
  'Please message me here if anything is still open.',
  'If this does not fix it, reply below and I will escalate it myself.',
  'We will post an update here once the change is live for every partner.',
];

/** An official response written for the domain, varied by the random source. */
export function responseText(random: Random) {
  return [
    random.pick(RESPONSE_OPENINGS),
    random.pick(RESPONSE_ACTIONS),
    random.pick(RESPONSE_CLOSINGS),
  ].join(' ');
}

const ALL_AREAS = SUPPORT_AREAS.map((area) => area.key as string);
const promising = (...areas: string[]) =>
  Object.fromEntries(
    ALL_AREAS.map((area) => [area, areas.includes(area) ? 'promised' : 'not-promised']),
  ) as Record<string, 'promised' | 'not-promised'>;

/** Profiles of the demo vendors that describe their programs, and dated changes to them. */
export const DEMO_PROGRAMS = [
  {
    vendor: 'Globex Hardware',
    website: 'https://globex-hardware.example',
    category: 'hardware' as const,
    programName: 'Globex PartnerFirst',
    tiers: [
      { label: 'Registered', promises: promising('education') },
      { label: 'Silver', promises: promising('education', 'dealreg', 'presentations') },
      {
        label: 'Gold',
        promises: promising(
          'education',
          'dealreg',
          'presentations',
          'presales',
          'demos',
          'discounts',
        ),
      },
      { label: 'Platinum', promises: promising(...ALL_AREAS) },
    ],
    changes: [
      {
        monthsAgo: 14,
        summary: 'Gold partners get a named pre-sales engineer per region.',
        source: 'https://globex-hardware.example/partners/news/presales',
      },
      {
        monthsAgo: 5,
        summary: 'Demo units for Gold partners cut from four to one per year.',
        source: 'https://globex-hardware.example/partners/news/demo-pool',
      },
    ],
  },
  {
    vendor: 'Hooli Cloud',
    website: 'https://hooli-cloud.example',
    category: 'cloud' as const,
    programName: 'Hooli Cloud Partner Network',
    tiers: [
      { label: 'Registered', promises: promising('education', 'events') },
      { label: 'Silver', promises: promising('education', 'events', 'dealreg', 'mdf') },
      {
        label: 'Gold',
        promises: promising('education', 'events', 'dealreg', 'mdf', 'presales', 'beta'),
      },
      { label: 'Premier', promises: promising(...ALL_AREAS) },
    ],
    changes: [
      {
        monthsAgo: 9,
        summary:
          'Deal registration moves to a new portal; protection lasts 90 days instead of 180.',
        source: 'https://hooli-cloud.example/partner-network/updates',
      },
    ],
  },
];
