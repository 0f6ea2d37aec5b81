import fp from 'fastify-plugin';
import { listVendorSuggestions } from './queries.js';

/** How long a vendor another instance just created may be missing from the suggestions. */
const KEPT_MS = 30_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** The vendor names the search form and the story form suggest, most discussed first. */
    vendorSuggestions(): Promise<readonly string[]>;
  }
}

/**
 * The suggested names are the same two hundred for everyone and change slowly, yet reading and
 * rendering them was a sixth of a search's database time: they are read once per KEPT_MS. Any
 * write this instance answers forgets them, so a vendor a story just named is suggested at once
 * here, and within KEPT_MS by the other instances.
 */
export const vendorSuggestionsPlugin = fp(
  async (app) => {
    let kept: { names: Promise<readonly string[]>; until: number } | null = null;
    app.decorate('vendorSuggestions', () => {
      const now = Date.now();
      if (!kept || kept.until <= now) {
        // Frozen: every page of the next KEPT_MS gets this one array.
        const names = listVendorSuggestions(app.db).then((rows) =>
          Object.freeze(rows.map((row) => row.name)),
        );
        const reading = { names, until: now + KEPT_MS };
        kept = reading;
        // A failed read is not kept: the next page tries again.
        names.catch(() => {
          if (kept === reading) kept = null;
        });
      }
      return kept.names;
    });
    app.addHook('onResponse', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') kept = null;
    });
  },
  { name: 'vendor-suggestions', dependencies: ['database'] },
);
