import fp from 'fastify-plugin';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';

export const staticDir = path.join(projectRoot, 'static');

/** A file's address with its content's hash in it: it can be cached for good. */
export type AssetPath = (file: string) => string;

const HASH_LENGTH = 12;
const FINGERPRINTED = new RegExp(`^(.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.[a-z0-9]+)$`);

/** Every file in static/ by name, with the hash of its content now. */
function fingerprints(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const hash = createHash('sha256')
      .update(readFileSync(path.join(dir, file)))
      .digest('hex');
    hashes.set(file, hash.slice(0, HASH_LENGTH));
  }
  return hashes;
}

/** `style.css` → `/static/style.0123456789ab.css`; a name not in static/ is returned as is. */
export function assetPaths(dir = staticDir): AssetPath {
  const hashes = fingerprints(dir);
  return (file) => {
    const hash = hashes.get(file);
    if (!hash) return `/static/${file}`;
    const ext = path.extname(file);
    return `/static/${file.slice(0, file.length - ext.length)}.${hash}${ext}`;
  };
}

/**
 * Compression and the static files. Pages, styles, scripts and feeds are sent with brotli or
 * gzip when the browser asks for it. Static files are addressed by their content's hash
 * (`assetPaths`, used by the layout), so they are cached for a year as immutable: a repeat visit
 * loads no CSS or JS, and a changed file gets a new address. Their plain names still answer,
 * revalidated every time, for whatever kept an old link.
 */
export const assetsPlugin = fp(
  async (app) => {
    await app.register(fastifyCompress, {
      encodings: ['br', 'gzip'],
      // Small answers (redirects, votes' JSON) are not worth the work.
      threshold: 1024,
      customTypes:
        /^(text\/|application\/(atom\+xml|rss\+xml|xml|json|javascript)|image\/svg\+xml)/,
    });
    await app.register(fastifyStatic, { root: staticDir, serve: false });
    const hashes = fingerprints(staticDir);
    app.get(
      '/static/:file',
      { schema: { params: Type.Object({ file: Type.String({ maxLength: 200 }) }) } },
      async (request, reply) => {
        const { file } = request.params as { file: string };
        const parts = FINGERPRINTED.exec(file);
        if (parts) {
          const original = parts[1]! + parts[3]!;
          if (hashes.get(original) === parts[2]) {
            return reply.sendFile(original, { maxAge: '365d', immutable: true });
          }
        }
        if (hashes.has(file)) return reply.sendFile(file, { maxAge: 0 });
        return reply.callNotFound();
      },
    );
    // Browsers ask for /favicon.ico whatever the page says.
    app.get('/favicon.ico', (_request, reply) => reply.redirect('/static/favicon.svg', 301));
  },
  { name: 'assets' },
);
