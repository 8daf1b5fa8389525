import { consoleSecurityHeaders, contentSecurityPolicy } from '../src/security-headers';

describe('the console\'s security headers', () => {
  const page = [
    '<head>',
    '<script type="importmap">{"imports":{"preact":"./vendor/preact.js"}}</script>',
    '<script type="module" src="js/app/main.js"></script>',
    '</head>',
  ].join('\n');

  it('allow scripts of its own and, inline, exactly the page\'s import map by its SHA-256', () => {
    expect(contentSecurityPolicy(page).split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self' 'sha256-Ao66DfrfdS0cW6akrmUnW9M06KFg9rhJJjQMhxUeo5s='",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
  });

  it('allow no inline script for a page without one', () => {
    expect(contentSecurityPolicy('<p>not built</p>')).toContain("script-src 'self';");
  });

  it('forbid sniffing, framing and referrers', () => {
    expect(consoleSecurityHeaders(page)).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
  });
});
