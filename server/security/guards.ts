import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../db/schema.js';
import { HttpError } from '../http-errors.js';
import type { Member } from './member.js';
import { loginPathFor } from './redirects.js';

const RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

/** preHandler: a visitor is sent to log in and brought back here afterwards. */
export async function requireMember(request: FastifyRequest, reply: FastifyReply) {
  if (request.member) return;
  const back = request.method === 'GET' ? request.url : (request.headers.referer ?? '/');
  return reply.redirect(loginPathFor(pathOf(back)), 303);
}

/** preHandler: members below `role` get a 403 page; visitors are sent to log in. */
export function requireRole(role: Role) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.member) return requireMember(request, reply);
    if (RANK[request.member.role] < RANK[role]) {
      throw new HttpError(
        403,
        role === 'admin' ? 'Only admins may do this.' : 'This page is for moderators only.',
      );
    }
  };
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url, 'http://forum.invalid');
    return parsed.pathname + parsed.search;
  } catch {
    return '/';
  }
}

/**
 * preHandler for writes (posting, replying, editing, voting, reporting, the public profile): a
 * member, and not a suspended one. A suspended member can read, and is told until when they
 * cannot write.
 */
export async function requireActiveMember(request: FastifyRequest, reply: FastifyReply) {
  if (!request.member) return requireMember(request, reply);
  const suspension = await request.suspension();
  if (suspension) {
    throw new HttpError(
      403,
      `Your account is suspended ${suspension.description}. You can still read the forum, but not post, vote, report or change your profile.`,
    );
  }
}

/** preHandler for moderators' writes: the role, and not suspended. */
export function requireActiveRole(role: Role) {
  const hasRole = requireRole(role);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    await hasRole(request, reply);
    if (reply.sent) return;
    await requireActiveMember(request, reply);
  };
}

/**
 * The member of a request that a guard (requireMember, requireActiveMember, requireRole) let
 * through: typed, without a `!`. Reaching it without a member is a bug in the route, not the
 * visitor's doing, so it is a 500 rather than a login page.
 */
export function memberOf(request: FastifyRequest): Member {
  if (!request.member) throw new Error(`${request.routeOptions.url} reached without its guard`);
  return request.member;
}
