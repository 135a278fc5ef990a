/**
 * One Content-Security-Policy for both hosts. Naive UI injects component styles at run time, so styles
 * need 'unsafe-inline'; scripts never do. `connect` adds the web-mode WebSocket origin.
 */
export function contentSecurityPolicy(connect?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${connect ? ` ${connect}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
