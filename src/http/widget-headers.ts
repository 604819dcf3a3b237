import type { NextFunction, Request, Response } from 'express';

/**
 * Loosens helmet's defaults just where the widget needs it: `widget.js` may be loaded by any site
 * (Cross-Origin-Resource-Policy), and `embed.html` may be framed by the allowed sites only
 * (`frame-ancestors`; X-Frame-Options cannot list origins, so it is dropped there).
 */
export function widgetHeaders(allowedOrigins: string[]) {
  const ancestors = allowedOrigins.length === 0 ? "'self'" : allowedOrigins.join(' ');
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.path === '/widget.js') response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (request.path === '/embed.html') {
      response.removeHeader('X-Frame-Options');
      const policy = String(response.getHeader('Content-Security-Policy') ?? '');
      response.setHeader('Content-Security-Policy', policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`));
    }
    next();
  };
}
