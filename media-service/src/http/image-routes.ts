import type { Express } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type IdentityVerifier } from '@twenny/identity';
import { z } from 'zod';
import { acceptUpload, type UploadDeps } from '../use-cases/accept-upload.ts';
import { getImage } from '../use-cases/get-image.ts';
import { requireMember } from '../use-cases/image-access.ts';
import { receiveUpload } from './receive-upload.ts';
import { imageParams } from './schemas.ts';

const isUuid = (value: string | undefined) => z.uuid().safeParse(value).success;

/** Uploads and their status: signed-in members of the image's organisation (checked here, from the token's `orgs`). */
export function imageRoutes(app: Express, deps: UploadDeps & { verifier: IdentityVerifier; maxBytes: number }) {
  app.post('/api/media/images', authorize(deps.verifier, 'signed-in'), async (req, res) => {
    const identity = req.identity!;
    const upload = await receiveUpload(req, {
      maxBytes: deps.maxBytes,
      spoolPath: () => deps.storage.spoolPath(),
      // Sent before the file (as forms usually are), a foreign organisation is refused before a byte of it is stored.
      beforeFile: (fields) => {
        if (isUuid(fields.organizationId)) requireMember(identity, fields.organizationId!);
      },
    });
    const accepted = await acceptUpload(deps, identity, upload);
    res.status(202).location(`/api/media/images/${accepted.id}`).setHeader('cache-control', 'no-store');
    res.json(accepted);
  });

  app.get('/api/media/images/:id', authorize(deps.verifier, 'signed-in'), validated({ params: imageParams }, async ({ params }, req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await getImage(deps.db, req.identity!, params.id));
  }));
}
