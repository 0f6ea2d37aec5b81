import fp from 'fastify-plugin';
import { sql, type RawBuilder } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Member } from '../security/member.js';

/**
 * Columns a feature reads of the logged-in member on every page (their suspension, what their
 * unread count derives from): each a scalar subquery keyed by the member, often by a keyed hash
 * of their id, so no join from the session can reach it.
 */
export type MemberColumns = (member: Member) => Record<string, RawBuilder<unknown>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds columns to the statement that reads what every member page needs of the member. */
    addMemberColumns(columns: MemberColumns): void;
  }
  interface FastifyRequest {
    /**
     * The logged-in member's columns, every feature's, read in one statement the first time a
     * feature asks, at most once per request; for a visitor, no statement and no columns.
     */
    memberColumns(): Promise<Record<string, unknown>>;
  }
}

/** A statement of one row: each column under its name (a feature's columns read on their own). */
export function selectColumns(columns: Record<string, RawBuilder<unknown>>) {
  const selected = Object.entries(columns).map(
    ([name, column]) => sql`${column} as ${sql.ref(name)}`,
  );
  return sql<Record<string, unknown>>`select ${sql.join(selected)}`;
}

/**
 * One statement for what features read of the member on every page. Each feature's lookup was a
 * statement of its own, and on this forum a member page's cost follows its number of statements
 * more than their execution: each is a round trip through both processes (README, Benchmark).
 */
export const memberColumnsPlugin = fp(
  async (app) => {
    const features: MemberColumns[] = [];
    app.decorate('addMemberColumns', (columns: MemberColumns) => {
      features.push(columns);
    });

    const read = async (member: Member): Promise<Record<string, unknown>> => {
      const columns = new Map<string, RawBuilder<unknown>>();
      for (const feature of features) {
        for (const [name, column] of Object.entries(feature(member))) {
          if (columns.has(name)) throw new Error(`Two features read a member column "${name}"`);
          columns.set(name, column);
        }
      }
      if (columns.size === 0) return {};
      const { rows } = await selectColumns(Object.fromEntries(columns)).execute(app.db);
      return rows[0] ?? {};
    };

    const reads = new WeakMap<FastifyRequest, Promise<Record<string, unknown>>>();
    app.decorateRequest('memberColumns', function (this: FastifyRequest) {
      const member = this.member;
      if (!member) return Promise.resolve({});
      let columns = reads.get(this);
      if (!columns) {
        columns = read(member);
        reads.set(this, columns);
      }
      return columns;
    });
  },
  { name: 'member-columns', dependencies: ['database'] },
);
