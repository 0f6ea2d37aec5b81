import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { OwnSuspension } from '../security/member.js';
import { findSuspension } from './store.js';
import { describeSuspension } from './rules.js';

/**
 * Gives every request `request.suspension()`, the logged-in member's own suspension, looked up at
 * most once per request, and gives pages what the layout shows of it: the member's own
 * suspension, and `canWrite` for the controls a suspended member may not use.
 */
export const suspensionsPlugin = fp(
  async (app) => {
    const lookups = new WeakMap<FastifyRequest, Promise<OwnSuspension | null>>();
    app.decorateRequest('suspension', function (this: FastifyRequest) {
      const member = this.member;
      if (!member) return Promise.resolve(null);
      let lookup = lookups.get(this);
      if (!lookup) {
        lookup = findSuspension(app.db, app.anonymity, member.id).then(
          (found) => found && { ...found, description: describeSuspension(found.until) },
        );
        lookups.set(this, lookup);
      }
      return lookup;
    });
    app.addPageLocals(async (request) => {
      const suspension = await request.suspension();
      return {
        // Only ever the viewer's own suspension: no page shows anyone else's.
        suspension: suspension?.description ?? null,
        suspensionReason: suspension?.reason ?? null,
        canWrite: request.member !== null && suspension === null,
      };
    });
  },
  { name: 'suspensions', dependencies: ['database', 'views', 'session'] },
);
