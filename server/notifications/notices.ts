// What a notice is: the notifications page lists these, derived or stored.

/** A moderators' decision about one of the member's named posts: the only notice stored. */
export interface ModerationNotice {
  kind: 'moderation';
  action: string;
  reason: string;
  threadId: number;
  replyId?: number;
  title: string;
}

/** What the notifications page lists; all but stored moderation notices are derived. */
export type Notice =
  | {
      kind: 'reply';
      threadId: number;
      replyId: number;
      title: string;
      actor: string;
      /** The vendor the author represents ("official" badge), or null. */
      actorVendor: string | null;
      /** The vendor whose official response to the story the reply is, or null. */
      official: string | null;
    }
  | {
      kind: 'vendor-story';
      threadId: number;
      title: string;
      vendor: string;
      /** The member represents the vendor (else follows it). */
      represented: boolean;
    }
  | ModerationNotice;

export interface NoticeItem {
  notice: Notice | null;
  created_at: Date;
  read: boolean;
}
