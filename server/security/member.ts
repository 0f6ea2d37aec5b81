import type { Role } from '../db/schema.js';

/** A vendor as a link shows it. */
export interface VendorRef {
  id: number;
  name: string;
  slug: string;
}

/** Who is logged in, as every feature sees them. The accounts feature fills it in. */
export interface Member {
  id: number;
  username: string;
  role: Role;
  /** The vendor an admin made the member a representative of (absent: none). */
  represents?: VendorRef | null;
}

/** A member's own suspension, as they are told it: nobody else's is ever shown. */
export interface OwnSuspension {
  until: Date;
  reason: string | null;
  /** "until 2026-12-09 14:00 UTC" or "permanently". */
  description: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in member, or null for a visitor (set by the accounts' session plugin). */
    member: Member | null;
    sessionId: string | null;
    /**
     * The logged-in member's own suspension, or null (visitors too); read at most once per
     * request, so a page and the guards before it share one query (the suspensions plugin).
     */
    suspension(): Promise<OwnSuspension | null>;
  }
}
