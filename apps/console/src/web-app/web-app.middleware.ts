import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { static as serveStatic, type NextFunction, type Request, type Response } from 'express';

/** Where `npm run build` puts the browser app (vite's outDir), beside this app's compiled server. */
export const WEB_APP_DIR = join(__dirname, '..', '..', 'web');

// The app's own scripts and styles only; Mantine sets inline style attributes, so styles allow them.
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const SERVER_PATHS = /^\/(api|health|metrics|docs)(\/|$|-)/;

/**
 * Serves the single-page app: its hashed assets (cached for a year), and index.html for every other
 * page address (the router in the browser takes it from there). Security headers on every answer.
 */
@Injectable()
export class WebAppMiddleware implements NestMiddleware {
  private readonly assets = serveStatic(WEB_APP_DIR, { index: false, immutable: true, maxAge: '365d', fallthrough: true });
  private readonly built = existsSync(join(WEB_APP_DIR, 'index.html'));

  use(request: Request, response: Response, next: NextFunction): void {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'same-origin');
    // Mounted middleware sees a path relative to its mount: judge the whole one.
    const path = request.originalUrl.split('?')[0];
    if (SERVER_PATHS.test(path)) return next();
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Content-Security-Policy', APP_CSP);
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!this.built) {
      response.status(503).type('text/plain').send('The console web app is not built: run npm run build');
      return;
    }
    if (path.startsWith('/assets/')) {
      request.url = path;
      this.assets(request, response, next);
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(WEB_APP_DIR, 'index.html'));
  }
}
