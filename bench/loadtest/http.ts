import http from 'node:http';

/** What came back, or `timeout` / `reset` when the outcome is unknown to the client. */
export interface Answer {
  status: number | 'timeout' | 'reset';
  location: string | undefined;
  /** Seconds, from a 503's Retry-After. */
  retryAfter?: number;
  setCookies: string[];
  body: string;
  ms: number;
  /** For a reset: the socket error, to tell the operator what happened. */
  error?: string;
}

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  form?: Record<string, string>;
  /** Only the setup needs the page text (CSRF tokens); the load drains bodies unread. */
  keepBody?: boolean;
}

/** One HTTP/1.1 client with keep-alive, at most `connections` sockets, on the forum's origin. */
export class Client {
  private readonly agent: http.Agent;
  /** Requests sent so far, answered or not. */
  sent = 0;

  constructor(
    private readonly origin: string,
    connections: number,
    private readonly timeoutMs: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Never throws: a timeout or a broken connection is an answer like any other. */
  send(request: Request): Promise<Answer> {
    this.sent++;
    const started = performance.now();
    const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
    const headers: Record<string, string> = { accept: 'text/html' };
    if (request.cookie) headers.cookie = request.cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
      headers.origin = this.origin; // what a browser sends with a form
    }
    return new Promise((resolve) => {
      let settled = false;
      let timedOut = false;
      const done = (answer: Omit<Answer, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...answer, ms: performance.now() - started });
      };
      const failed = (error: string) =>
        done({
          status: timedOut ? 'timeout' : 'reset',
          location: undefined,
          setCookies: [],
          body: '',
          error,
        });
      const outgoing = http.request(
        this.origin + request.path,
        { method: request.method, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => request.keepBody && chunks.push(chunk));
          response.on('end', () =>
            done({
              status: response.statusCode ?? 0,
              location: response.headers.location,
              retryAfter: Number(response.headers['retry-after']) || undefined,
              setCookies: response.headers['set-cookie'] ?? [],
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          // Cut in the middle of the answer: the status line alone does not tell what happened.
          response.on('close', () => {
            if (!response.complete) failed('connection closed during the answer');
          });
          response.on('error', (error) => failed(error.message));
        },
      );
      // A client that gives up, as a browser or a proxy would: the server may still commit.
      const timer = setTimeout(() => {
        timedOut = true;
        outgoing.destroy(new Error('client timeout'));
      }, this.timeoutMs);
      outgoing.on('error', (error) => failed(error.message));
      outgoing.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}
