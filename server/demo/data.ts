// A clearly fictional data set for the demo forum: invented vendor names only, never real
// companies, and members who are invented IT service providers. What they write is composed
// in stories.ts, replies.ts and responses.ts; plan.ts puts it on a two-year timeline.

import { SUPPORT_AREAS, type AreaRatings } from '../posts/vocabulary.js';

export const DEMO_PASSWORD = 'demo-password-123';

const CLASSIC_TIERS = ['Registered', 'Silver', 'Gold', 'Platinum'];

export interface DemoVendor {
  name: string;
  /** How partners call it in a hurry. */
  short: string;
  /** What its partners sell and learn: "hyperconverged platform". */
  line: string;
  /** It sells boxes: demo units and hardware faults make sense for it. */
  hardware?: boolean;
  /** What a deal with it is about. */
  products: readonly string[];
  /** Its partner program's levels, lowest first. */
  tiers: readonly string[];
  /** How its partners spread over the levels (by default: fewer at the lowest). */
  tierWeights?: readonly number[];
  /** How often stories are about it. */
  weight: number;
  /** Scenario keys (stories.ts) partners tell about it more often than others, by weight. */
  leaning?: Readonly<Record<string, number>>;
}

/** Thirty invented vendors: the first twelve are the ones most stories are about. */
export const DEMO_VENDORS: readonly DemoVendor[] = [
  {
    name: 'Globex Hardware',
    line: 'hyperconverged platform',
    hardware: true,
    short: 'Globex',
    products: [
      'server refresh',
      'storage array',
      'hyperconverged cluster',
      'rack of compute nodes',
    ],
    tiers: CLASSIC_TIERS,
    weight: 20,
    // Most of its partners are Gold: the level the program's changes are about.
    tierWeights: [1, 2, 6, 2],
    leaning: { 'dealreg-honoured': 3, 'presales-absent': 2, 'special-bid-fast': 2 },
  },
  {
    name: 'Initech Storage',
    line: 'all-flash arrays',
    hardware: true,
    short: 'Initech',
    products: ['all-flash array', 'backup target', 'storage refresh', 'object storage cluster'],
    tiers: ['Registered', 'Select', 'Premier'],
    weight: 10,
    leaning: { 'discount-withdrawn': 4, 'demo-units-missing': 3, 'training-good': 2 },
  },
  {
    name: 'Umbrella Networks',
    line: 'SD-WAN platform',
    hardware: true,
    short: 'Umbrella',
    products: ['campus network refresh', 'SD-WAN rollout', 'wireless upgrade', 'core switch pair'],
    tiers: CLASSIC_TIERS,
    weight: 9,
    leaning: { 'channel-conflict': 4, 'training-good': 2, 'mixed-training-dealreg': 3 },
  },
  {
    name: 'Hooli Cloud',
    line: 'cloud platform',
    short: 'Hooli',
    products: [
      'cloud migration',
      'tenant consolidation',
      'three-year cloud commitment',
      'virtual desktop rollout',
    ],
    tiers: ['Registered', 'Silver', 'Gold', 'Premier'],
    weight: 18,
    tierWeights: [1, 2, 4, 3],
    leaning: { 'training-good': 3, 'mdf-late': 3, 'beta-good': 2, 'mixed-event-mdf': 2 },
  },
  {
    name: 'Vandelay Systems',
    line: 'ERP suite',
    short: 'Vandelay',
    products: ['ERP upgrade', 'document management rollout', 'licence true-up'],
    tiers: CLASSIC_TIERS,
    weight: 6,
    leaning: { 'great-partner-manager': 4, 'special-bid-fast': 3 },
  },
  {
    name: 'Stark Compute',
    line: 'GPU servers',
    hardware: true,
    short: 'Stark',
    products: ['GPU server cluster', 'workstation refresh', 'compute expansion'],
    tiers: ['Authorized', 'Gold', 'Platinum'],
    weight: 6,
    leaning: { 'demo-loan': 4, 'presales-great': 3 },
  },
  {
    name: 'Wayne Security',
    line: 'firewall range',
    hardware: true,
    short: 'Wayne',
    products: ['firewall replacement', 'managed detection service', 'endpoint protection rollout'],
    tiers: CLASSIC_TIERS,
    weight: 7,
    leaning: { 'beta-ignored': 3, 'vouchers-wasted': 2, 'mixed-briefings-demos': 2 },
  },
  {
    name: 'Cyberdyne Servers',
    line: 'edge servers',
    hardware: true,
    short: 'Cyberdyne',
    products: ['server consolidation', 'edge server rollout', 'blade chassis refresh'],
    tiers: CLASSIC_TIERS,
    weight: 6,
    leaning: { 'tier-downgrade': 4, 'discount-withdrawn': 3 },
  },
  {
    name: 'Soylent Software',
    line: 'collaboration suite',
    short: 'Soylent',
    products: ['licence renewal', 'collaboration suite rollout', 'subscription migration'],
    tiers: ['Registered', 'Silver', 'Gold'],
    weight: 6,
    leaning: { 'tier-downgrade': 3, 'vouchers-wasted': 3, 'portal-outage': 2 },
  },
  {
    name: 'Tyrell Data',
    line: 'data platform',
    short: 'Tyrell',
    products: ['data warehouse project', 'analytics platform', 'database licence renewal'],
    tiers: CLASSIC_TIERS,
    weight: 5,
    leaning: { 'mixed-slow-bid': 4, 'presales-great': 2 },
  },
  {
    name: 'Wonka Backup',
    line: 'backup appliances',
    hardware: true,
    short: 'Wonka',
    products: ['backup appliance', 'immutable backup project', 'disaster recovery setup'],
    tiers: CLASSIC_TIERS,
    weight: 6,
    leaning: { 'great-partner-manager': 3, 'mdf-paid': 3, 'event-good': 2 },
  },
  {
    name: 'Acme Switching',
    line: 'data centre switches',
    hardware: true,
    short: 'Acme',
    products: ['switch stack refresh', 'data centre switch refresh', 'branch network rollout'],
    tiers: CLASSIC_TIERS,
    weight: 6,
    leaning: { 'dealreg-honoured': 3, 'demo-loan': 2 },
  },
  minor('Massive Dynamic', 'Massive Dynamic', 'AI platform', [
    'AI platform pilot',
    'automation project',
  ]),
  minor('Oscorp Endpoint', 'Oscorp', 'endpoint security suite', [
    'endpoint security rollout',
    'device management project',
  ]),
  minor('Gringotts Finance Cloud', 'Gringotts', 'finance cloud', ['finance software migration']),
  minor(
    'Nakatomi Printing',
    'Nakatomi',
    'printer range',
    ['managed print contract', 'printer fleet refresh'],
    true,
  ),
  minor(
    'Monarch Telecom',
    'Monarch',
    'phone system',
    ['phone system replacement', 'contact centre project'],
    true,
  ),
  minor(
    'Virtucon Firewalls',
    'Virtucon',
    'firewall appliances',
    ['firewall cluster', 'VPN replacement'],
    true,
  ),
  minor('Aperture Analytics', 'Aperture', 'analytics suite', [
    'reporting platform',
    'analytics rollout',
  ]),
  minor(
    'Black Mesa Labs',
    'Black Mesa',
    'lab computing platform',
    ['lab computing cluster', 'research storage project'],
    true,
  ),
  minor('Dunder Paper Print', 'Dunder', 'document capture software', [
    'print and scan rollout',
    'document capture project',
  ]),
  minor('Prestige Worldwide IT', 'Prestige Worldwide', 'service desk platform', [
    'service desk outsourcing deal',
  ]),
  minor(
    'Blue Sun Devices',
    'Blue Sun',
    'rugged tablets',
    ['laptop refresh', 'rugged tablet rollout'],
    true,
  ),
  minor(
    'Weyland Infrastructure',
    'Weyland',
    'UPS range',
    ['UPS and cooling project', 'server room rebuild'],
    true,
  ),
  minor(
    'Sirius Cybernetics',
    'Sirius',
    'meeting room systems',
    ['meeting room rollout', 'smart building project'],
    true,
  ),
  minor('Planet Express Logistics', 'Planet Express', 'warehouse software', [
    'warehouse software rollout',
  ]),
  minor('Ollivander Identity', 'Ollivander', 'identity platform', [
    'single sign-on project',
    'identity governance rollout',
  ]),
  minor('Pied Piper Compression', 'Pied Piper', 'storage efficiency software', [
    'storage efficiency project',
  ]),
  minor('Bluth Hosting', 'Bluth', 'hosting platform', [
    'hosting migration',
    'managed hosting contract',
  ]),
  minor('Kramerica Mobile', 'Kramerica', 'mobile device management', [
    'mobile fleet refresh',
    'mobile device management rollout',
  ]),
];

function minor(
  name: string,
  short: string,
  line: string,
  products: string[],
  hardware = false,
): DemoVendor {
  return { name, short, line, products, tiers: CLASSIC_TIERS, weight: 1, hardware };
}

export interface DemoMember {
  username: string;
  company: string;
  bio: string;
  /** How the member describes the company in a story: "a 14-person MSP for dental practices". */
  about: string;
  /** Months before the demo's start that the member joined. */
  joinedMonthsAgo: number;
  /** How much the member writes, relative to the others. */
  activity: number;
}

/** Invented IT service providers (sample company names, none of them a real firm). */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  member(
    'northwind_it',
    'Northwind IT',
    'a 14-person MSP for dental and medical practices',
    25,
    2.5,
    'Managed IT for dental and medical practices since 2011. We resell five vendors and run everything we sell.',
  ),
  member(
    'contoso_msp',
    'Contoso Managed Services',
    'a 45-person MSP for mid-sized manufacturers',
    25,
    3,
    'Managed services and cloud for manufacturers. Happy to compare notes on any program.',
  ),
  member(
    'fabrikam_services',
    'Fabrikam Services',
    'an eight-person networking shop',
    24,
    2,
    'Wired and wireless networks, mostly for offices and warehouses.',
  ),
  member(
    'tailspin_tech',
    'Tailspin Technology',
    'a storage and backup integrator with 22 people',
    24,
    2,
    'Storage, backup and recovery. We test what we sell in our own lab.',
  ),
  member(
    'adatum_systems',
    'Adatum Systems',
    'a public-sector integrator with about 60 people',
    24,
    2,
    'Tenders for councils, schools and hospitals.',
  ),
  member(
    'litware_ops',
    'Litware',
    'a five-person IT shop for small offices',
    23,
    1,
    'Small offices, small budgets, long relationships.',
  ),
  member(
    'proseware_it',
    'Proseware IT',
    'a 30-person security reseller',
    23,
    2,
    'Firewalls, endpoint and identity. Vendor-neutral where we can be.',
  ),
  member(
    'woodgrove_net',
    'Woodgrove Networks',
    'an 18-person network and telephony partner for retail chains',
    22,
    2,
    'Networks and phones for shops and restaurants.',
  ),
  member(
    'fourthcoffee_it',
    'Fourth Coffee IT',
    'a three-person team serving hotels and cafés',
    21,
    1,
    'Hospitality IT. Three of us, on call more than we would like.',
  ),
  member(
    'alpine_msp',
    'Alpine MSP',
    'a 25-person MSP for law firms and accountants',
    20,
    2,
    'Law firms and accountants. Compliance first.',
  ),
  member(
    'coho_networks',
    'Coho Networks',
    'a 12-person wireless specialist for schools',
    19,
    2,
    'Wi-Fi and campus networks for schools and colleges.',
  ),
  member(
    'lucerne_it',
    'Lucerne IT',
    'a 40-person cloud and licensing partner',
    18,
    2,
    'Cloud migrations and licensing. We read the small print so customers do not have to.',
  ),
  member(
    'margie_consulting',
    "Margie's Consulting",
    'a six-person consultancy for architects and engineers',
    17,
    1,
    'Infrastructure for design studios and engineering firms.',
  ),
  member(
    'trey_research',
    'Trey Research IT',
    'a 16-person data and analytics partner',
    16,
    1,
    'Data platforms and reporting.',
  ),
  member(
    'wingtip_support',
    'Wingtip Support',
    'a 35-person helpdesk and field service company',
    15,
    2,
    'Helpdesk and field engineers for multi-site customers.',
  ),
  member(
    'blueyonder_ops',
    'Blue Yonder Operations',
    'a 50-person data centre hardware partner',
    14,
    2,
    'Data centre hardware, colocation and the cabling in between.',
  ),
  member(
    'humongous_it',
    'Humongous IT',
    'a 120-person multi-vendor reseller',
    13,
    2,
    'Big reseller, many vendors, strong opinions.',
  ),
  member(
    'graphic_design_it',
    'Graphic Design IT',
    'a nine-person team for creative studios',
    12,
    1,
    'Creative studios, big files, tight deadlines.',
  ),
  member(
    'relecloud_msp',
    'Relecloud',
    'a 28-person cloud-first MSP',
    11,
    2,
    'Cloud-first managed services.',
  ),
  member(
    'southridge_tech',
    'Southridge Technology',
    'a 20-person hardware partner for logistics firms',
    10,
    1,
    'Hardware and networks for warehouses and depots.',
  ),
];

function member(
  username: string,
  company: string,
  about: string,
  joinedMonthsAgo: number,
  activity: number,
  bio: string,
): DemoMember {
  return { username, company, about, joinedMonthsAgo, activity, bio };
}

/** The staff accounts: they write no stories, and the moderator judges the others'. */
export const DEMO_MODERATOR = 'demo_moderator';
export const DEMO_ADMIN = 'demo_admin';

/** The two demo vendors that answer stories, the members who answer for them, and when. */
export const DEMO_REPRESENTATIVES = [
  { vendor: 'Globex Hardware', username: 'globex_channel_team', grantedMonthsAgo: 22 },
  { vendor: 'Hooli Cloud', username: 'hooli_partner_desk', grantedMonthsAgo: 17 },
] as const;

const ALL_AREAS = SUPPORT_AREAS.map((area) => area.key as string);
const promising = (...areas: string[]) =>
  Object.fromEntries(
    ALL_AREAS.map((area) => [area, areas.includes(area) ? 'promised' : 'not-promised']),
  ) as Record<string, 'promised' | 'not-promised'>;

/** A dated change to a vendor's program, and the stories partners tell after it. */
export interface DemoProgramChange {
  monthsAgo: number;
  summary: string;
  source: string;
  /** A few stories of one scenario (stories.ts) in the weeks after, by partners of a tier. */
  wave?: { scenario: string; tier?: string; stories: number };
}

/** Profiles of the demo vendors that describe their programs, and dated changes to them. */
export const DEMO_PROGRAMS: {
  vendor: string;
  website: string;
  category: 'hardware' | 'cloud';
  programName: string;
  describedMonthsAgo: number;
  tiers: { label: string; promises: Record<string, 'promised' | 'not-promised'> }[];
  changes: DemoProgramChange[];
}[] = [
  {
    vendor: 'Globex Hardware',
    website: 'https://globex-hardware.example',
    category: 'hardware',
    programName: 'Globex PartnerFirst',
    describedMonthsAgo: 21,
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
        wave: { scenario: 'presales-great', tier: 'Gold', stories: 3 },
      },
      {
        monthsAgo: 5,
        summary: 'Demo units for Gold partners cut from four to one per year.',
        source: 'https://globex-hardware.example/partners/news/demo-pool',
        wave: { scenario: 'demo-units-missing', tier: 'Gold', stories: 3 },
      },
    ],
  },
  {
    vendor: 'Hooli Cloud',
    website: 'https://hooli-cloud.example',
    category: 'cloud',
    programName: 'Hooli Cloud Partner Network',
    describedMonthsAgo: 16,
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
        wave: { scenario: 'portal-migration', stories: 3 },
      },
      {
        monthsAgo: 3,
        summary:
          'Marketing fund claims are paid within 30 days of an accepted proof of performance.',
        source: 'https://hooli-cloud.example/partner-network/updates/mdf',
        wave: { scenario: 'mdf-paid', stories: 2 },
      },
    ],
  },
];

/** The two cases from the design's opening paragraph: the newest stories on the forum. */
export const FIXED_STORIES = [
  {
    title: 'Highest partner level, and still no special bid, no discount, no demo',
    vendor: 'Initech Storage',
    author: 'tailspin_tech',
    hoursAgo: 30,
    anonymous: false,
    sentiment: 'bad' as const,
    tier: 'Premier',
    facts: { product: 'all-flash array' },
    areas: { discounts: 'bad', demos: 'bad', education: 'good' } as AreaRatings,
    body:
      'We did every certification, sat through the webinars and beta-tested their new array for free.\n\n' +
      'When a real opportunity came, the answer was: no special bid, no extra discount, and no demo unit "this quarter". ' +
      'The training itself was good, to be fair.',
  },
  {
    title: 'No call back on a $500k deal',
    vendor: 'Globex Hardware',
    author: 'northwind_it',
    hoursAgo: 7,
    anonymous: true,
    sentiment: 'bad' as const,
    tier: 'Platinum',
    facts: { product: 'storage refresh', customer: 'a hospital group', amount: '$500k' },
    areas: { presales: 'bad', dealreg: 'bad' } as AreaRatings,
    body:
      'We registered a **$500k** storage refresh for a hospital group and asked for pre-sales help.\n\n' +
      'Three emails and two calls to the partner desk later, nobody called back. The customer went with a competitor ' +
      'who had a systems engineer on site within a week.\n\n- Deal registration: approved, then ignored\n- Partner manager: on holiday, no deputy',
  },
];
