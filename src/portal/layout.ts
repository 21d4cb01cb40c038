// The page shell: skip link, who is signed in, the sections this viewer may open, one live region for messages.
import { html, type Html } from './html';
import { roleNames, SECTIONS, may, type Viewer } from './viewer';

const time = (at: Date) => `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;

function head(title: string): Html {
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${title}</title>
<link rel="stylesheet" href="/portal/assets/portal.css">
<script src="/portal/assets/portal.js" defer></script>`;
}

export function page(viewer: Viewer, current: string, title: string, content: Html): Html {
  const sections = SECTIONS.filter((section) => may(viewer, section.action));
  return html`<!doctype html>
<html lang="en">
<head>${head(`${title} · Billing · ${viewer.teamName}`)}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div class="who">
    <p class="brand">Billing for <strong>${viewer.teamName}</strong></p>
    <p class="muted">Signed in as ${viewer.userName} · ${roleNames(viewer.roles)}</p>
  </div>
  ${viewer.returnUrl ? html`<a class="back" href="${viewer.returnUrl}">Back to the app</a>` : null}
</header>
<nav aria-label="Billing sections"><ul>
  ${sections.map((s) => html`<li><a href="${s.path}"${s.path === current ? html` aria-current="page"` : null}>${s.label}</a></li>`)}
</ul></nav>
<main id="main" tabindex="-1">
  <h1>${title}</h1>
  <div id="notice" class="notice" role="status" aria-live="polite"></div>
  ${content}
</main>
<footer class="muted">This secure page closes at <time datetime="${viewer.expiresAt.toISOString()}">${time(viewer.expiresAt)}</time>. Open Billing from the app again after that.</footer>
</body>
</html>`;
}

/** A page outside a team's pages: expired links, refusals, failures, an invitation. Its live region says what a form did. */
export function plainPage(title: string, content: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>${head(`${title} · Billing`)}</head>
<body class="plain">
<main id="main" class="card">
  <h1>${title}</h1>
  <div id="notice" class="notice" role="status" aria-live="polite"></div>
  ${content}
</main>
</body>
</html>`;
}
