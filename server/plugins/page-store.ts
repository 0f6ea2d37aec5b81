/** A rendered page as the page cache keeps it. */
export interface StoredPage {
  contentType: string;
  body: Buffer;
  etag: string;
  storedAt: number;
  freshUntil: number;
  /** Past freshness, one request renders the page again while the others still get this copy. */
  staleUntil: number;
  /**
   * A request is rendering the page anew. Until it is done the copy is kept and served, however
   * old, so a page that renders slower than its freshness and grace is still rendered once.
   */
  refreshing: boolean;
}

export interface PageCacheStats {
  entries: number;
  /** What the kept pages cost, by the store's own accounting (bodies, keys and headers). */
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export interface PageStoreOptions {
  maxBytes: number;
  /** Expired pages are looked for at most this often (and whenever one is read). */
  sweepEveryMs: number;
  now?: () => number;
}

/** What a kept page costs besides its body: the map entry, the object and its strings. */
const ENTRY_OVERHEAD = 256;

interface Held {
  page: StoredPage;
  size: number;
}

/**
 * Pages by key within a byte budget: the least recently used page goes first when a new one
 * would not fit, a page larger than the whole budget is not kept, and expired pages are dropped
 * when read and by a sweep on the next read or write, so they can never pile up.
 */
export class PageStore {
  readonly maxBytes: number;
  readonly now: () => number;
  private readonly sweepEveryMs: number;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly pages = new Map<string, Held>();
  private bytes = 0;
  private nextSweep = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: PageStoreOptions) {
    this.maxBytes = options.maxBytes;
    this.sweepEveryMs = options.sweepEveryMs;
    this.now = options.now ?? (() => Date.now());
  }

  /** The page under `key` unless it is missing or past its grace; it becomes the most recent. */
  get(key: string): StoredPage | undefined {
    this.sweep();
    const held = this.pages.get(key);
    if (!held) return undefined;
    if (held.page.staleUntil <= this.now() && !held.page.refreshing) {
      this.drop(key, held);
      return undefined;
    }
    this.pages.delete(key);
    this.pages.set(key, held);
    return held.page;
  }

  /** Keeps a page, evicting the least recently used ones to make room; false if it cannot fit. */
  set(key: string, page: StoredPage): boolean {
    this.sweep();
    const old = this.pages.get(key);
    if (old) this.drop(key, old);
    const size = sizeOf(key, page);
    if (size > this.maxBytes) return false;
    for (const [oldest, held] of this.pages) {
      if (this.bytes + size <= this.maxBytes) break;
      this.drop(oldest, held);
      this.evictions++;
    }
    this.pages.set(key, { page, size });
    this.bytes += size;
    return true;
  }

  /** Drops every expired page, at most once per `sweepEveryMs`. */
  sweep(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.sweepEveryMs;
    for (const [key, held] of this.pages)
      if (held.page.staleUntil <= now && !held.page.refreshing) this.drop(key, held);
  }

  countHit(hit: boolean): void {
    if (hit) this.hits++;
    else this.misses++;
  }

  stats(): PageCacheStats {
    return {
      entries: this.pages.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }

  private drop(key: string, held: Held): void {
    this.pages.delete(key);
    this.bytes -= held.size;
  }
}

function sizeOf(key: string, page: StoredPage): number {
  // Strings count two bytes a character: V8 may hold them in either width.
  const strings = key.length + page.contentType.length + page.etag.length;
  return page.body.byteLength + 2 * strings + ENTRY_OVERHEAD;
}
