import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { OwnSuspension } from '../security/member.js';
import { openSuspension, suspensionColumns } from './store.js';
import { describeSuspension } from './rules.js';

/**
 * Gives every request `request.suspension()`, the logged-in member's own suspension, read with
 * the member's other columns (plugins/member-columns.ts) at most once per request, and gives
 * pages what the layout shows of it: the member's own suspension, and `canWrite` for the
 * controls a suspended member may not use.
 */
export const suspensionsPlugin = fp(
  async (app) => {
    app.addMemberColumns((member) => suspensionColumns(app.anonymity, member.id));
    const lookups = new WeakMap<FastifyRequest, Promise<OwnSuspension | null>>();
    app.decorateRequest('suspension', function (this: FastifyRequest) {
      const member = this.member;
      if (!member) return Promise.resolve(null);
      let lookup = lookups.get(this);
      if (!lookup) {
        lookup = this.memberColumns().then((columns) => {
          const found = openSuspension(app.anonymity, columns);
          return found && { ...found, description: describeSuspension(found.until) };
        });
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
  { name: 'suspensions', dependencies: ['database', 'views', 'session', 'member-columns'] },
);
