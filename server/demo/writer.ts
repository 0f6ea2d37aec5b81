// Composes the demo's stories, replies, vendors' answers and votes from the scenarios
// (stories.ts), keeping every title and body unique and every time in order.

import {
  DEMO_MODERATOR,
  DEMO_MEMBERS,
  DEMO_PROGRAMS,
  DEMO_VENDORS,
  FIXED_STORIES,
  type DemoVendor,
} from './data.js';
import type { Random } from './random.js';
import { followUpText, responseText } from './responses.js';
import {
  ANONYMOUS_OPENINGS,
  ASIDES,
  CLOSINGS,
  GENERIC_REPLIES,
  givesOf,
  needsOf,
  SCENARIOS,
  SCENARIO_BY_KEY,
  textOf,
  type Detail,
  type Part,
  type Scenario,
  type Title,
} from './stories.js';
import {
  AMOUNTS,
  bare,
  CUSTOMERS,
  hasRepeatedSentence,
  MONTHS,
  noticeable,
  type Ctx,
  type Text,
} from './text.js';
import {
  DAY,
  HOUR,
  MONTH,
  SPAN_DAYS,
  type Draft,
  type Pins,
  type PlannedReply,
  type PlannedStory,
} from './types.js';

/** Stories composed from the scenarios; the waves, the fixed ones and the moderation cases come on top. */
const STORIES = 180;

/** Complaints are told more often than praise. */
const SENTIMENT_WEIGHT = { bad: 1.3, good: 0.85, mixed: 1 };

export const REGULARS = DEMO_MEMBERS.map((member) => member.username);
const ACTIVITY = new Map(DEMO_MEMBERS.map((member) => [member.username, member.activity]));
const ABOUT = new Map(DEMO_MEMBERS.map((member) => [member.username, member.about]));
const MAJOR = DEMO_VENDORS.filter((vendor) => vendor.weight > 1);
export const VENDOR = new Map(DEMO_VENDORS.map((vendor) => [vendor.name, vendor]));
const DEAL_SCENARIOS = new Set([
  'presales-absent',
  'presales-great',
  'dealreg-honoured',
  'channel-conflict',
  'discount-withdrawn',
  'special-bid-fast',
  'mixed-slow-bid',
]);

/** Every vendor's name and short name, longest first, so that "Globex Hardware" goes before "Globex". */
const VENDOR_NAMES = DEMO_VENDORS.flatMap((vendor) => [vendor.name, vendor.short]).sort(
  (a, b) => b.length - a.length,
);

/**
 * A title with the vendor left out: "After V portal migration, …". Two titles of the same shape
 * read as one template with the vendor swapped, so the forum has each shape once.
 */
export function titleShape(title: string) {
  let shape = title.toLowerCase();
  for (const name of VENDOR_NAMES) shape = shape.split(name.toLowerCase()).join('V');
  return shape.replace(/'s\b/g, '').replace(/\ban V\b/g, 'a V');
}

/** What each story was told from, by its list of replies (which the plan keeps as it is). */
const TOLD = new WeakMap<readonly PlannedReply[], { scenario: string; ctx: Ctx }>();

/**
 * The scenario and facts a story of the plan was told from, so that a check can tell which of the
 * scenario's details its body tells and which replies may refer to them; none for a story written
 * by hand besides the scenarios.
 */
export const toldFrom = (story: PlannedStory) => TOLD.get(story.replies);

/** Composes the stories and what follows them, keeping every title and body unique. */
export class Writer {
  readonly titles = new Set<string>(FIXED_STORIES.map((story) => story.title));
  /** Titles with the vendor left out (titleShape): no title is another's with the vendor swapped. */
  private readonly titleShapes = new Set<string>(
    FIXED_STORIES.map((story) => titleShape(story.title)),
  );
  readonly bodies = new Set<string>(FIXED_STORIES.map((story) => story.body));
  /** Every noticeable sentence told in a story so far: none is told in two stories. */
  private readonly sentences = new Set<string>(
    FIXED_STORIES.flatMap((story) => noticeable(story.body)),
  );
  /** How often each reply text was used in the whole forum: a stock phrase shows at most twice. */
  private readonly replyUses = new Map<string, number>();
  private readonly titleUses = new Map<Title, number>();
  /**
   * How often each part of a body was told, per vendor and overall (''): the least told come
   * first, so that stories about one vendor do not read alike with other facts filled in.
   */
  private readonly partUses = new Map<string, Map<Part, number>>();
  /** How often each scenario was told, overall and per vendor: told again, it gets less likely. */
  private readonly told = new Map<string, number>();
  /**
   * Member and vendor pairs with an anonymous story: a member has one anonymous voice per vendor,
   * and the fixed stories' authors have used theirs.
   */
  private readonly anonymousVoices = new Set<string>(
    FIXED_STORIES.filter((story) => story.anonymous).map(
      (story) => `${story.author}|${story.vendor}`,
    ),
  );

  constructor(
    readonly random: Random,
    readonly now: number,
    private readonly joined: Map<string, number>,
    private readonly grants: Map<string, { username: string; at: number }>,
  ) {}

  tellStories(): Draft[] {
    const random = this.random;
    // Every vendor is told about at least twice; the rest by weight.
    const vendors = [
      ...DEMO_VENDORS.filter((vendor) => vendor.weight === 1).flatMap((vendor) => [vendor, vendor]),
    ];
    while (vendors.length < STORIES)
      vendors.push(random.weighted(DEMO_VENDORS.map((vendor) => [vendor, vendor.weight] as const)));
    const order = random.shuffle(vendors);
    const times = storyTimes(random, this.now, STORIES);
    const drafts = order.map((vendor, index) => this.story(vendor, times[index]!));
    this.waves(drafts);
    for (const fixed of FIXED_STORIES) drafts.push(this.fixed(fixed));
    return drafts;
  }

  /**
   * After a program change, partners of the level it is about tell what it did to them: a few
   * stories in the weeks that follow, each its author's latest about the vendor, so that the
   * vendor's page shows the change in the tier's figures as well as on the trend.
   */
  private waves(drafts: Draft[]) {
    const random = this.random;
    for (const program of DEMO_PROGRAMS)
      for (const change of program.changes) {
        if (!change.wave) continue;
        const vendor = VENDOR.get(program.vendor)!;
        const scenario = SCENARIO_BY_KEY.get(change.wave.scenario)!;
        let day = this.now - change.monthsAgo * MONTH;
        const authors: string[] = [];
        for (let told = 0; told < change.wave.stories; told++) {
          day += random.between(4, 20) * DAY;
          const at =
            Math.floor(day / DAY) * DAY + random.weighted(HOURS) * HOUR + random.int(60) * 60_000;
          if (at > this.now - 3 * DAY) break;
          const tellsLater = (name: string) =>
            drafts.some(
              (draft) => draft.vendor === vendor.name && draft.author === name && draft.at > at,
            );
          const author = this.pickMember(at - 2 * DAY, [
            ...authors,
            ...REGULARS.filter(tellsLater),
          ]);
          authors.push(author);
          drafts.push(this.story(vendor, at, { scenario, tier: change.wave.tier, author }));
        }
      }
  }

  /** A story about the vendor at that time; `told`: what it must be (a wave's), named. */
  private story(
    vendor: DemoVendor,
    at: number,
    told: { scenario?: Scenario; tier?: string; author?: string } = {},
  ): Draft {
    const random = this.random;
    const author = told.author ?? this.pickMember(at - 2 * DAY, []);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 80) throw new Error('the demo ran out of titles and stories to tell');
      const scenario =
        told.scenario && attempt < 5
          ? told.scenario
          : random.weighted(
              SCENARIOS.map(
                (candidate) => [candidate, this.weight(vendor, candidate, at)] as const,
              ),
            );
      const ctx = this.context(vendor, scenario);
      if (told.tier && vendor.tiers.includes(told.tier)) {
        const level = vendor.tiers.indexOf(told.tier);
        ctx.tier = told.tier;
        ctx.lowerTier = level > 0 ? vendor.tiers[level - 1]! : null;
      }
      const voice = `${author}|${vendor.name}`;
      const anonymous = !told.author && !this.anonymousVoices.has(voice) && random.chance(0.25);
      if (!anonymous) ctx.about = ABOUT.get(author) ?? null;
      // A title not told yet, and a body of sentences not told yet; else another story.
      const titled = this.title(scenario, ctx);
      if (titled === null) continue;
      const { title, pins } = titled;
      const composed = this.body(scenario, ctx, anonymous, pins);
      if (composed === null) continue;
      const { body, details } = composed;
      this.commit(titled);
      for (const key of [scenario.key, `${vendor.name}|${scenario.key}`])
        this.told.set(key, (this.told.get(key) ?? 0) + 1);
      if (anonymous) this.anonymousVoices.add(voice);
      const areas = { ...scenario.areas };
      const aside = ASIDES[scenario.sentiment].find(
        (candidate) => body.includes(candidate.text(ctx)) && !(candidate.area in areas),
      );
      if (aside) areas[aside.area] = aside.rating;
      const posted = anonymous ? floorHour(at) : at;
      const draft: Draft = {
        author,
        title,
        body,
        vendor: vendor.name,
        sentiment: scenario.sentiment,
        tier: ctx.tier,
        anonymous,
        areas,
        at: posted,
        replies: [],
        response: null,
        resolution: null,
        votes: [],
        ctx,
        scenario,
      };
      this.converse(draft, details);
      return draft;
    }
  }

  private fixed(fixed: (typeof FIXED_STORIES)[number]): Draft {
    const vendor = VENDOR.get(fixed.vendor)!;
    const scenario = SCENARIO_BY_KEY.get(
      fixed.vendor === 'Globex Hardware' ? 'presales-absent' : 'discount-withdrawn',
    )!;
    const ctx: Ctx = { ...this.context(vendor, scenario), tier: fixed.tier, ...fixed.facts };
    if (fixed.anonymous) this.anonymousVoices.add(`${fixed.author}|${vendor.name}`);
    const at = this.now - fixed.hoursAgo * HOUR;
    const draft: Draft = {
      author: fixed.author,
      title: fixed.title,
      body: fixed.body,
      vendor: fixed.vendor,
      sentiment: fixed.sentiment,
      tier: fixed.tier,
      anonymous: fixed.anonymous,
      areas: fixed.areas,
      at: fixed.anonymous ? floorHour(at) : at,
      replies: [],
      response: null,
      resolution: null,
      votes: [],
      ctx,
      scenario,
    };
    // Written by hand, it tells none of the scenario's details: its replies are general ones.
    this.converse(draft, new Set());
    return draft;
  }

  /** How likely a scenario is for the vendor at that time: its leaning, and its program's changes. */
  private weight(vendor: DemoVendor, scenario: Scenario, at: number) {
    if (scenario.hardwareOnly && !vendor.hardware) return 0;
    let weight =
      SENTIMENT_WEIGHT[scenario.sentiment] * (scenario.weight ?? 1) +
      (vendor.leaning?.[scenario.key] ?? 0);
    const ago = (this.now - at) / MONTH;
    if (vendor.name === 'Globex Hardware') {
      // A named pre-sales engineer per region from 14 months ago; demo units cut 5 months ago.
      if (scenario.key === 'presales-absent' && ago < 14) weight = 0.4;
      if (scenario.key === 'presales-great' && ago < 14) weight += 3;
      if (scenario.key === 'demo-units-missing') weight = ago < 5 ? 5 : 0.3;
      if (scenario.key === 'demo-loan' && ago < 5) weight = 0;
    }
    if (vendor.name === 'Hooli Cloud') {
      // The new registration portal 9 months ago; faster marketing funds 3 months ago.
      if (scenario.key === 'portal-migration') weight = ago < 9 && ago > 5 ? 8 : 0;
      if (scenario.key === 'portal-outage') weight = ago < 5 ? 4 : 0.2;
      if (scenario.key === 'mdf-late' && ago < 3) weight = 0.2;
      if (scenario.key === 'mdf-paid' && ago < 3) weight += 3;
    }
    const told = this.told.get(scenario.key) ?? 0;
    const toldOfVendor = this.told.get(`${vendor.name}|${scenario.key}`) ?? 0;
    // A vendor's leaning may repeat: partners tell the same about it. Anything else rarely.
    const again = vendor.leaning?.[scenario.key] ? 0.8 : 0.3;
    return (weight / (1 + 0.15 * told)) * again ** toldOfVendor;
  }

  context(vendor: DemoVendor, scenario: Scenario): Ctx {
    const random = this.random;
    const levels = vendor.tiers;
    const tierIndex = scenario.needsLowerTier
      ? random.between(1, levels.length - 1)
      : random.chance(0.25)
        ? null
        : random.weighted(
            levels.map(
              (_, index) => [index, vendor.tierWeights?.[index] ?? (index === 0 ? 1 : 2)] as const,
            ),
          );
    const others = MAJOR.filter((other) => other.name !== vendor.name);
    return {
      vendor: vendor.name,
      short: vendor.short,
      product: random.pick(vendor.products),
      line: vendor.line,
      customer: random.pick(CUSTOMERS),
      amount: random.pick(AMOUNTS),
      tier: tierIndex === null ? null : levels[tierIndex]!,
      lowerTier: tierIndex === null || tierIndex === 0 ? null : levels[tierIndex - 1]!,
      days: random.between(2, 12),
      weeks: random.between(2, 8),
      months: random.between(3, 7),
      percent: random.between(12, 35),
      count: random.between(18, 90),
      engineers: random.between(2, 5),
      month: random.pick(MONTHS),
      about: null,
      other: random.pick(others).short,
    };
  }

  /**
   * A title not told yet, in a shape not told yet (titleShape), from the scenario's least used
   * templates; null when all are taken.
   */
  private title(scenario: Scenario, ctx: Ctx) {
    const templates = this.random
      .shuffle(scenario.titles)
      .sort((a, b) => (this.titleUses.get(a) ?? 0) - (this.titleUses.get(b) ?? 0));
    for (const template of templates) {
      const { text, ...pins } = typeof template === 'function' ? { text: template } : template;
      const title = text(ctx);
      if (this.titles.has(title) || this.titleShapes.has(titleShape(title))) continue;
      return { title, template, pins: pins as Pins };
    }
    return null;
  }

  private commit({ title, template }: { title: string; template: Title }) {
    this.titles.add(title);
    this.titleShapes.add(titleShape(title));
    this.titleUses.set(template, (this.titleUses.get(template) ?? 0) + 1);
  }

  /**
   * A body that tells what its title says (`pins`), with no sentence twice and no noticeable
   * sentence of another story, and the details it tells, which its replies may refer to; null
   * when the scenario has nothing left to tell with these facts.
   */
  private body(scenario: Scenario, ctx: Ctx, anonymous: boolean, pins: Pins = {}) {
    const random = this.random;
    // A remark on another area, never one the story rates already.
    const asides = ASIDES[scenario.sentiment].filter((aside) => !(aside.area in scenario.areas));
    for (let attempt = 0; attempt < 30; attempt++) {
      const said = new Set<string>();
      const details = new Set<Detail>();
      const told: Part[] = [];
      const uses = (candidate: Part) =>
        100 * (this.partUses.get(ctx.vendor)?.get(candidate) ?? 0) +
        (this.partUses.get('')?.get(candidate) ?? 0);
      /** The text, if none of its noticeable sentences was told before (and then it is told). */
      const tell = (text: string) => {
        const sentences = noticeable(text);
        if (sentences.some((sentence) => this.sentences.has(sentence) || said.has(sentence)))
          return null;
        for (const sentence of sentences) said.add(sentence);
        return text;
      };
      /** One of the parts that is new to the forum (the pinned one, if any), with its details. */
      const part = (parts: readonly Part[], pinned?: number) => {
        const order =
          pinned === undefined
            ? random
                .shuffle(parts.map((_, i) => i))
                .sort((a, b) => uses(parts[a]!) - uses(parts[b]!))
            : [pinned];
        for (const index of order) {
          const text = tell(textOf(parts[index]!)(ctx));
          if (text === null) continue;
          for (const detail of givesOf(parts[index]!)) details.add(detail);
          told.push(parts[index]!);
          return text;
        }
        return null;
      };
      /** One of the remarks that is new to the forum, or none. */
      const remark = (texts: Text[]) =>
        random
          .shuffle(texts)
          .map((text) => text(ctx))
          .find((text) => tell(text) !== null) ?? null;
      const opening = anonymous
        ? remark(ANONYMOUS_OPENINGS)
        : ctx.about && random.chance(0.35)
          ? remark([(c) => `We are ${c.about}.`])
          : null;
      const situation = part(scenario.situation, pins.situation);
      const promise = random.chance(0.8) ? part(scenario.promise) : null;
      const also = scenario.also ? part(scenario.also) : null;
      const happened = part(scenario.happened, pins.happened);
      const consequence = part(scenario.consequence, pins.consequence);
      // What the story is about has to be told; it is no story without it.
      if (!situation || !happened || !consequence || (scenario.also && !also)) return null;
      const aside = random.chance(0.25) ? remark(asides.map((candidate) => candidate.text)) : null;
      const paragraphs = [
        [opening, situation],
        [promise, also, happened],
        [consequence, aside],
      ].map((sentences) => sentences.filter(Boolean).join(' '));
      const summary =
        DEAL_SCENARIOS.has(scenario.key) && random.chance(0.3)
          ? tell(
              [
                'In short:',
                '',
                `- Customer: ${bare(ctx.customer)}`,
                `- Deal: ${ctx.product}, about ${ctx.amount}`,
                ...(ctx.tier ? [`- Our level: ${ctx.tier}`] : []),
              ].join('\n'),
            )
          : null;
      if (summary) paragraphs.push(summary);
      const closing = random.chance(0.7) ? remark(CLOSINGS[scenario.sentiment]) : null;
      if (closing) paragraphs.push(closing);
      const body = paragraphs.join('\n\n');
      if (this.bodies.has(body) || hasRepeatedSentence(body)) continue;
      this.bodies.add(body);
      for (const sentence of said) this.sentences.add(sentence);
      for (const key of ['', ctx.vendor]) {
        const counts = this.partUses.get(key) ?? new Map<Part, number>();
        for (const part of told) counts.set(part, (counts.get(part) ?? 0) + 1);
        this.partUses.set(key, counts);
      }
      return { body, details };
    }
    return null;
  }

  /**
   * Replies as a thread goes: questions the author answers, similar cases, advice, dissent. A
   * reply that refers to a detail of the story (its needs) comes only when the body tells it.
   */
  private converse(draft: Draft, details: ReadonlySet<Detail>) {
    const random = this.random;
    const { scenario, ctx, sentiment } = draft;
    TOLD.set(draft.replies, { scenario: scenario.key, ctx });
    const fits = (line: Parameters<typeof needsOf>[0]) =>
      needsOf(line).every((detail) => details.has(detail));
    const age = this.now - draft.at;
    const count =
      age < DAY
        ? random.between(1, 2)
        : random.weighted(
            (sentiment === 'bad'
              ? [1, 2, 3, 3, 3, 3, 2, 1]
              : sentiment === 'mixed'
                ? [1, 3, 3, 3, 2, 1]
                : [2, 3, 3, 3, 2, 1]
            ).map((weight, n) => [n, weight] as const),
          );
    type Move = { text: Text; answer?: Text; useful: boolean };
    const dissent = scenario.dissent.filter(fits);
    const moves: Move[] = random.shuffle([
      ...scenario.questions.filter(fits).map((question) => ({
        text: question.ask,
        answer: question.answer,
        useful: false,
      })),
      ...scenario.similar.filter(fits).map((line) => ({ text: textOf(line), useful: true })),
      ...scenario.advice.filter(fits).map((line) => ({ text: textOf(line), useful: true })),
      ...(dissent.length > 0 && random.chance(0.35)
        ? [{ text: textOf(random.pick(dissent)), useful: false }]
        : []),
      ...random
        .shuffle(GENERIC_REPLIES[sentiment])
        .slice(0, 2)
        .map((text) => ({ text, useful: false })),
    ]);
    const texts = new Set<string>();
    const voices = new Map<string, boolean>();
    for (const move of moves) {
      if (draft.replies.length >= count) break;
      const text = move.text(ctx);
      if (texts.has(text) || this.usedUp(text)) continue;
      const at = this.nextReplyTime(draft);
      if (at === null) break;
      const previous = draft.replies.at(-1)?.author;
      const author = this.pickMember(at, [draft.author, ...(previous ? [previous] : [])]);
      if (!voices.has(author)) voices.set(author, random.chance(0.15));
      texts.add(text);
      this.use(text);
      draft.replies.push(this.reply(author, text, voices.get(author)!, at, move.useful, draft));
      if (move.answer && random.chance(0.75)) {
        const answerAt = this.nextReplyTime(draft);
        const answer = move.answer(ctx);
        if (answerAt === null || texts.has(answer) || this.usedUp(answer)) continue;
        texts.add(answer);
        this.use(answer);
        draft.replies.push(
          this.reply(draft.author, answer, draft.anonymous, answerAt, false, draft),
        );
      }
    }
  }

  private usedUp(text: string) {
    return (this.replyUses.get(text) ?? 0) >= 2;
  }

  private use(text: string) {
    this.replyUses.set(text, (this.replyUses.get(text) ?? 0) + 1);
  }

  reply(
    author: string,
    body: string,
    anonymous: boolean,
    at: number,
    useful: boolean,
    draft: PlannedStory,
  ): PlannedReply {
    const random = this.random;
    const upvoters =
      useful && random.chance(0.35)
        ? random
            .shuffle(REGULARS.filter((name) => name !== author && name !== draft.author))
            .slice(0, random.between(1, 3))
        : [];
    return { author, body, anonymous, at: anonymous ? floorHour(at) : at, upvoters };
  }

  /**
   * When the next reply comes: over an hour after the story or the last reply (so that times
   * cut to the hour keep the order), sooner in a lively thread; null when it would be in the future.
   */
  nextReplyTime(draft: PlannedStory, after = 0) {
    const random = this.random;
    const last = Math.max(draft.at, draft.replies.at(-1)?.at ?? 0, after);
    const wait = draft.replies.length === 0 ? 20 * HOUR : 60 * HOUR;
    const at = last + 65 * 60_000 + Math.floor(random.next() ** 2 * wait) + random.int(60) * 60_000;
    return at < this.now - 10 * 60_000 ? at : null;
  }

  joinedAt(username: string) {
    return this.joined.get(username) ?? Infinity;
  }

  /** A regular member who had joined by then, as likely as they are active. */
  pickMember(at: number, except: string[]) {
    const candidates = REGULARS.filter(
      (name) => !except.includes(name) && (this.joined.get(name) ?? Infinity) < at,
    );
    return this.random.weighted(
      (candidates.length > 0 ? candidates : REGULARS.filter((name) => !except.includes(name))).map(
        (name) => [name, ACTIVITY.get(name) ?? 1] as const,
      ),
    );
  }

  /** The vendor's official response, the author's mark on it, and a word from the author after. */
  answer(draft: Draft) {
    const random = this.random;
    const grant = this.grants.get(draft.vendor);
    if (!grant || draft.at < grant.at + DAY) return;
    const fresh = draft.title === FIXED_STORIES[1]!.title;
    if (!fresh && !random.chance(draft.sentiment === 'good' ? 0.5 : 0.8)) return;
    const at =
      draft.at +
      (fresh
        ? 3 * HOUR
        : random.chance(0.7)
          ? random.between(2, 72) * HOUR
          : random.between(3, 21) * DAY) +
      random.int(60) * 60_000;
    if (at > this.now - 30 * 60_000) return;
    draft.response = {
      author: grant.username,
      body: responseText(random, draft.ctx, draft.sentiment, draft.scenario.main),
      at,
    };
    if (draft.sentiment === 'good' || fresh) return;
    const roll = random.next();
    draft.resolution = roll < 0.55 ? 'resolved' : roll < 0.8 ? 'not-resolved' : null;
    if (draft.resolution === null || !random.chance(0.6)) return;
    const followAt = this.nextReplyTime(draft, at + DAY);
    const followUp = followUpText(random, draft.ctx, draft.resolution === 'resolved');
    if (followAt === null || this.usedUp(followUp)) return;
    this.use(followUp);
    draft.replies.push(this.reply(draft.author, followUp, draft.anonymous, followAt, false, draft));
  }

  /** Members who found the story useful (or not), never its author. */
  votes(draft: PlannedStory) {
    const random = this.random;
    const voters = random
      .shuffle([DEMO_MODERATOR, ...REGULARS].filter((name) => name !== draft.author))
      .slice(
        0,
        Math.min(
          REGULARS.length,
          Math.floor(random.next() ** 1.6 * 11) + Math.min(draft.replies.length, 4),
        ),
      );
    const fixed = FIXED_STORIES.some((story) => story.title === draft.title);
    return (fixed ? REGULARS.filter((name) => name !== draft.author).slice(0, 12) : voters).map(
      // The first voters found it useful: a story is voted down by a few among many, if at all.
      (voter, index) => ({
        voter,
        value: (index >= 3 && random.chance(0.1) ? -1 : 1) as 1 | -1,
      }),
    );
  }
}

/** Story times over the two years, denser lately as the forum grew, in working hours mostly. */
function storyTimes(random: Random, now: number, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = (i + random.next()) / count;
    let at = now - SPAN_DAYS * DAY * (1 - u) ** 1.25;
    const day = Math.floor(at / DAY) * DAY;
    at = day + random.weighted(HOURS) * HOUR + random.int(60) * 60_000;
    times.push(Math.min(at, now - random.between(3, 20) * HOUR));
  }
  return times.sort((a, b) => a - b);
}

const HOURS = Array.from(
  { length: 24 },
  (_, hour) => [hour, hour >= 7 && hour <= 19 ? 6 : hour >= 5 && hour <= 22 ? 2 : 0.3] as const,
);

export const floorHour = (at: number) => Math.floor(at / HOUR) * HOUR;
