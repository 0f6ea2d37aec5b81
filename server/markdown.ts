import { Worker } from 'node:worker_threads';
import type { MarkdownLimits } from './config.js';

export const TOO_COMPLEX_MESSAGE =
  'This text is too complex to format; simplify its formatting (nested quotes, long runs of * or _).';

/** A text that Markdown cannot format within the time limit, or nested too deeply. */
export class MarkdownTooComplex extends Error {
  constructor() {
    super(TOO_COMPLEX_MESSAGE);
    this.name = 'MarkdownTooComplex';
  }
}

// The formatter and its one sanitizer configuration live in the worker module, plain JavaScript
// so that it loads without a TypeScript loader (tsx, vitest and Node alike).
const WORKER = new URL('./markdown-worker.mjs', import.meta.url);
/** Enough for any text of the allowed size; a worker that needs more is stopped. */
const WORKER_HEAP_MB = 128;
/** A fresh worker that has not loaded the formatter by then is given up on (a 500). */
const WORKER_LOAD_MS = 15_000;

type WorkerReply =
  { ready: true } | { html: string } | { error: { name: string; message: string } };

interface Job {
  source: string;
  resolve: (html: string) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  retired: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A few worker threads that format Markdown, one text at a time each, queueing the rest. A text
 * gets `timeoutMs` of a worker's time, counted from when that worker starts on it (not while it
 * queues or while a fresh worker loads); past that the worker is terminated and replaced.
 * Idle workers do not keep the process alive.
 */
class FormatterPool {
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private running = 0;

  constructor(private limits: MarkdownLimits) {}

  configure(limits: MarkdownLimits) {
    this.limits = limits;
    for (const slot of this.idle.splice(0)) this.retire(slot, new Error('reconfigured'));
  }

  run(source: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ source, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch() {
    while (this.queue.length > 0) {
      const slot = this.idle.pop() ?? (this.running < this.limits.threads ? this.spawn() : null);
      if (!slot) return;
      const job = this.queue.shift()!;
      this.running++;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ source: job.source });
      this.startClock(slot);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER, {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const slot: Slot = { worker, ready: false, retired: false, job: null, timer: undefined };
    worker.on('message', (reply: WorkerReply) => this.receive(slot, reply));
    worker.on('error', (error: Error & { code?: string }) =>
      this.retire(
        slot,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new MarkdownTooComplex() : error,
      ),
    );
    worker.on('exit', (code) =>
      this.retire(slot, new Error(`The Markdown worker stopped with exit code ${code}`)),
    );
    return slot;
  }

  /** The job's time limit once the worker is ready; until then, the worker's time to load. */
  private startClock(slot: Slot) {
    clearTimeout(slot.timer);
    slot.timer = slot.ready
      ? setTimeout(() => this.retire(slot, new MarkdownTooComplex()), this.limits.timeoutMs)
      : setTimeout(
          () => this.retire(slot, new Error('The Markdown worker did not start in time')),
          WORKER_LOAD_MS,
        );
  }

  private receive(slot: Slot, reply: WorkerReply) {
    if (slot.retired) return;
    if ('ready' in reply) {
      slot.ready = true;
      if (slot.job) this.startClock(slot);
      return;
    }
    const job = slot.job;
    if (!job) return;
    clearTimeout(slot.timer);
    slot.job = null;
    this.running--;
    slot.worker.unref();
    this.idle.push(slot);
    if ('html' in reply) job.resolve(reply.html);
    // Quotes, lists or emphasis nested too deeply (or deeper than the parser's stack).
    else if (reply.error.name === 'RangeError') job.reject(new MarkdownTooComplex());
    else job.reject(new Error(`Markdown could not be formatted: ${reply.error.message}`));
    this.dispatch();
  }

  /** Stops a worker for good; its job, if any, fails with `error`. */
  private retire(slot: Slot, error: Error) {
    if (slot.retired) return;
    slot.retired = true;
    clearTimeout(slot.timer);
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    void slot.worker.terminate();
    if (slot.job) {
      this.running--;
      slot.job.reject(error);
      slot.job = null;
    }
    this.dispatch();
  }
}

// Defaults as in config.ts, until the app configures its own.
const pool = new FormatterPool({ timeoutMs: 2000, threads: 2 });

/** Sets the time limit and the number of worker threads (from MARKDOWN_TIMEOUT_MS and _THREADS). */
export function configureMarkdown(limits: MarkdownLimits) {
  pool.configure(limits);
}

/**
 * Markdown to safe HTML, formatted in a worker thread. Called once when a post is written (the
 * result is stored) and for previews. Rejects with MarkdownTooComplex when the text takes longer
 * than the time limit or nests too deeply: the member is asked to simplify it.
 */
export function renderMarkdown(source: string): Promise<string> {
  return pool.run(source);
}
