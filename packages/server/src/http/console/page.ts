// The console page: kumod's own two files (packages/server/console/) and noVNC's ES modules from the
// installed @novnc/novnc package, served under /console/ without authentication (they hold no
// secret; the token is in the URL fragment and checked only on the WebSocket). Nothing from the
// internet, and a content security policy that allows nothing else either.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

const PAGE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));
const NOVNC_DIR = dirname(dirname(createRequire(import.meta.url).resolve('@novnc/novnc')));

/** The /console router: GET /console/vnc, /console/console.js, /console/novnc/{core,vendor}/… */
export function consolePage(): Router {
  const r = express.Router();
  r.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader(
      'content-security-policy',
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  const files = { index: false, fallthrough: false, dotfiles: 'deny' as const, redirect: false };
  r.get('/vnc', (_req: Request, res: Response) => res.sendFile(join(PAGE_DIR, 'vnc.html')));
  r.get('/console.js', (_req: Request, res: Response) => res.sendFile(join(PAGE_DIR, 'console.js')));
  r.use('/novnc/core', express.static(join(NOVNC_DIR, 'core'), files));
  r.use('/novnc/vendor', express.static(join(NOVNC_DIR, 'vendor'), files));
  return r;
}
