import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import path from 'node:path';
import type { Config } from '../config.js';
import { projectRoot } from '../paths.js';
import { fmt } from '../format.js';
import { assetPaths } from './assets.js';
import type { FastifyRequest } from 'fastify';
import '../security/member.js';

export const viewsDir = path.join(projectRoot, 'views');
export const SITE_NAME = 'Partner Stories';
/** What a page says of itself to search engines and link previews unless it says more. */
export const SITE_DESCRIPTION =
  "IT service providers tell each other how vendors' partner programs treat them: stories, anonymous when needed, and an honest reputation per vendor.";

/** What a feature adds to every page a logged-in member sees (the header's unread count, say). */
export type PageLocals = (request: FastifyRequest) => Promise<Record<string, unknown>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds what every page gets from a feature; infrastructure knows no feature by name. */
    addPageLocals(locals: PageLocals): void;
  }
  interface FastifyReply {
    /**
     * Renders a page in the layout with what every page needs (the member, a CSRF token for the
     * logout button and the page's forms, what features added with `addPageLocals`) and the
     * given status.
     */
    page(view: string, data?: Record<string, unknown>, status?: number): Promise<string>;
  }
}

/** The document's <title>: the page's own title, if it has one, then the site's name. */
function documentTitle(title: unknown): string {
  return typeof title === 'string' && title !== '' ? `${title} · ${SITE_NAME}` : SITE_NAME;
}

export const viewsPlugin = fp<{ config: Readonly<Config> }>(
  async (app, { config }) => {
    const eta = new Eta({ views: viewsDir, autoEscape: true, cache: config.env === 'production' });
    rememberPartialPaths(eta);
    shareDataWithPartials(eta);
    await app.register(fastifyView, {
      engine: { eta },
      root: viewsDir,
      production: config.env === 'production',
      defaultContext: { siteName: SITE_NAME, fmt, asset: assetPaths() },
    });

    const pageLocals: PageLocals[] = [];
    app.decorate('addPageLocals', (locals: PageLocals) => {
      pageLocals.push(locals);
    });

    app.decorateReply('page', async function (view: string, data = {}, status = 200) {
      const member = this.request.member;
      // Visitors get a CSRF cookie only on pages with a form (login, register), not on every read.
      const csrfToken = member || data.needsCsrf ? this.generateCsrf() : undefined;
      const added = member
        ? await Promise.all(pageLocals.map((locals) => locals(this.request)))
        : [];
      this.code(status).type('text/html; charset=utf-8');
      return this.viewAsync(view, {
        member,
        csrfToken,
        canWrite: false,
        ...Object.assign({}, ...added),
        currentPath: this.request.url,
        // Absolute, for OpenGraph; the host is part of the page cache's key. Only on a page that
        // is there: a refusal answers alike whatever it refused (an anonymous post's or not).
        pageUrl:
          status === 200
            ? `${this.request.protocol}://${this.request.host}${data.canonicalPath ?? this.request.url}`
            : '',
        description: SITE_DESCRIPTION,
        ogType: 'website',
        ...data,
        documentTitle: documentTitle(data.title),
      });
    });
  },
  { name: 'views' },
);

/**
 * Partials named from the views root ("/threads/vote") resolve to the same file from every page,
 * so their paths are looked up once: Eta's own lookup builds a JSON cache key, joins and checks
 * the path on every include, and a story page includes partials three times per reply.
 */
function rememberPartialPaths(eta: Eta) {
  const resolve = eta.resolvePath.bind(eta);
  const known = new Map<string, string>();
  eta.resolvePath = (template, options) => {
    if (!template.startsWith('/')) return resolve(template, options);
    let resolved = known.get(template);
    if (resolved === undefined) {
      resolved = resolve(template, options);
      known.set(template, resolved);
    }
    return resolved;
  };
}

/**
 * Eta's include copies every property of the page's data into a new object for each partial
 * (`{...it, ...data}`); a story page includes partials three times per reply, so copying the
 * page data was a tenth of its time. A partial gets instead an object of its own arguments whose
 * prototype is the page's data: it reads the same values, and no template writes to `it`.
 *
 * A partial included from a partial gets the same prototype, the page's data, with its parent's
 * arguments copied beside its own (`__page` says which object is the page's): a new object made
 * the prototype of another costs V8 a few microseconds to set up, so chaining each partial to the
 * one that included it (the byline's time, say, 50 times a page) cost more than the copy saved.
 * Should Eta word its include differently, the replacement finds nothing and Eta's copy stays.
 */
export function shareDataWithPartials(eta: Eta) {
  const compileToString = eta.compileToString.bind(eta);
  const { varName: it } = eta.config;
  const copied = `{...${it}, ...(__eta_d ?? {})}`;
  const page = `(${it}.__page ?? ${it})`;
  const shared = `(__eta_d ? Object.assign(Object.create(${page}), ${it}.__page ? ${it} : null, __eta_d, { __page: ${page} }) : ${it})`;
  eta.compileToString = (template, options) =>
    compileToString(template, options).replaceAll(copied, shared);
}
