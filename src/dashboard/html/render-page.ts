/**
 * Pure: the dashboard model → one self-contained HTML page. No external asset: the stylesheet and the script are
 * inline, and the page's Content-Security-Policy (a meta tag) allows exactly those two blocks by their SHA-256
 * hashes and nothing else (no 'unsafe-inline', no network: `default-src 'none'`), so it works offline, from
 * file://, from GitLab Pages, or behind a server adding its own strict CSP with the same hashes.
 *
 * The data is embedded once as compact JSON (pack.ts) in a non-executed `application/json` block and the rows are
 * drawn by the script: at 1,000 flags × 5 environments that is a fraction of the same grid written out as HTML,
 * and the timelines (SVG) are drawn only for the rows someone opens.
 */
import { createHash } from 'node:crypto';
import type { DashboardModel } from '../model.js';
import { packModel } from './pack.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

export const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's policy: only the inline stylesheet and script, by hash; images only as data: URLs (the favicon). */
export function pageCsp(): string {
  return `default-src 'none'; style-src ${sha256(PAGE_STYLE)}; script-src ${sha256(PAGE_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

const STATES: [string, string][] = [
  ['', 'any state'],
  ['pending', 'pending (file ≠ applied)'],
  ['drift', 'drift (live ≠ applied)'],
  ['licensed', 'licensed name'],
  ['findings', 'hygiene finding'],
  ['partial', 'partly rolled out'],
  ['on', 'on everywhere'],
  ['off', 'off everywhere'],
  ['unmanaged', 'not managed'],
];

const LEGEND = [
  ['b-off', 'off'],
  ['b-actors', 'actors'],
  ['b-low', '≤10%'],
  ['b-mid', '≤50%'],
  ['b-high', '<100%'],
  ['b-on', 'on'],
  ['b-none', 'unmanaged'],
];

/** JSON inside an HTML element: no `<` at all, so no `</script>` or comment can end or open anything. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderPage(model: DashboardModel): string {
  const legend = LEGEND.map(([cls, label]) => `<span class="sw ${cls}">${label}</span>`).join('');
  const markers =
    '<span class="sw b-off pend" title="the file differs from what flagops last applied">pending</span>' +
    '<span class="sw b-off drift" title="live differs from what flagops last applied">drift <i class="mk d">!</i></span>' +
    '<span class="sw b-off" title="a licensed feature\'s name: GitLab EE refuses it without force">licensed <i class="mk l">L</i></span>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${pageCsp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>flagops: feature flags × environments</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>flagops · feature flags × environments</h1><span class="meta" id="meta"></span><div class="stats" id="stats"></div></header>
<div class="bar">
<label>flag <input id="q" type="search" placeholder="name contains…" autocomplete="off"></label>
<label>group <select id="group"><option value="">all groups</option></select></label>
<label>type <select id="type"><option value="">all types</option></select></label>
<label>state <select id="state">${STATES.map(([v, l]) => `<option value="${v}">${l}</option>`).join('')}</select></label>
<span id="count" class="dim"></span>
<span class="legend">${legend}${markers}</span>
</div>
<table class="grid"><thead><tr id="envs"></tr></thead><tbody id="rows"></tbody></table>
<h2>Hygiene findings (<span id="hyg-count">0</span>)</h2>
<table class="hyg" id="hyg"></table>
<script type="application/json" id="flagops-data">${embedJson(packModel(model))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
