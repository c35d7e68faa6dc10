import { pipeline } from 'node:stream/promises';
import type { Express } from 'express';
import { HttpProblem, problemTypes, validated } from '@twenny/http-kit';
import { authorize, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { servedVariant } from '../db/image-store.ts';
import { variantContentType } from '../domain/variant-plan.ts';
import { variantKey, type MediaStorage } from '../storage/media-storage.ts';
import { variantParams } from './schemas.ts';

// A variant's bytes never change under its URL (a new upload is a new id): caches keep it for a year.
const immutable = 'public, max-age=31536000, immutable';

/**
 * Serves a variant's bytes (public: the gateway's `/media/:id/:variant` route),
 * with its content type, a strong ETag (304 on a match), immutable caching, and
 * single byte ranges (206; 416 when unsatisfiable; several ranges get the whole).
 */
export function variantRoutes(app: Express, deps: { db: DbExecutor; storage: MediaStorage; verifier: IdentityVerifier }) {
  app.get('/media/:id/:variant', authorize(deps.verifier, 'public'), validated({ params: variantParams }, async ({ params }, req, res) => {
    const variant = await servedVariant(deps.db, params.id, params.variant);
    if (!variant) throw HttpProblem.notFound(`There is no variant ${params.variant} of image ${params.id}.`);
    const size = variant.bytes;
    // If-Range with another validator: the client's partial copy is stale, send it all.
    const ifRange = req.get('if-range');
    const ranges = req.get('range') && (!ifRange || ifRange === variant.etag) ? req.range(size) : undefined;
    if (ranges === -1) {
      throw new HttpProblem({ type: problemTypes.malformedRequest, title: 'Range not satisfiable', status: 416, detail: `The variant is ${size} bytes long; ask for a range within it.` }, { 'content-range': `bytes */${size}` });
    }
    const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0]! : undefined;
    res.setHeader('etag', variant.etag);
    const notModified = etagMatches(req.get('if-none-match'), variant.etag);
    const stream = notModified ? undefined : await deps.storage.open(variantKey(params.id, params.variant), range);
    if (!notModified && !stream) {
      res.removeHeader('etag');
      throw HttpProblem.notFound(`There is no variant ${params.variant} of image ${params.id}.`);
    }
    res.set({
      'content-type': variantContentType[variant.format],
      'cache-control': immutable,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    });
    if (!stream) {
      res.status(304).end();
      return;
    }
    if (range) res.status(206).set('content-range', `bytes ${range.start}-${range.end}/${size}`);
    res.setHeader('content-length', range ? range.end - range.start + 1 : size);
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    // The status and headers are sent; a storage failure from here cuts the connection.
    await pipeline(stream, res).catch((error: unknown) => req.log.warn({ err: error, imageId: params.id, variant: params.variant }, 'variant stream ended early'));
  }));
}

/**
 * If-None-Match (RFC 9110 §13.1.2): `*` or any listed tag, weakly compared. Not
 * Express's `req.fresh`, which ignores the condition when the request says
 * `Cache-Control: no-cache` (a directive for caches; fetch() sends it with every
 * conditional request).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}
