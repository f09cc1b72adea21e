/**
 * The dashboard's script, inlined in one <script> element (its hash goes into the page's CSP). Plain ES2020, no
 * library: it reads the packed data (pack.ts) from the page's JSON block, draws the grid once, filters rows by
 * toggling `hidden`, and draws a flag's timeline (inline SVG) when its row is opened. No inline handlers, no eval,
 * no style attributes: everything the strict CSP allows.
 */
export const PAGE_SCRIPT = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('flagops-data').textContent);
var S = D.s, LB = D.l, E = D.e, F = D.f, H = D.h;
var BANDS = ['none', 'off', 'actors', 'low', 'mid', 'high', 'on'];
var REASON = { 'hygiene/lifespan': 'lifespan', 'hygiene/fully-on': 'fully-on', 'hygiene/off': 'off', 'hygiene/no-rollout-issue': 'no-issue' };
function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
function $(id) { return document.getElementById(id); }
function str(i) { return i < 0 ? '' : S[i]; }
function view(v) { return v < 0 ? null : { label: LB[v >> 3], band: BANDS[v & 7] }; }
// per environment: a = [[minute, view]] applied, c = [[minute, view, sha]] commits of the file (pack.ts)
function timelines(t) {
  var per = E.map(function () { return { a: [], c: [] }; });
  if (!t) return per;
  var f = t[0], m = 0, j = 0, k, n;
  while (j < f.length) {
    m += f[j]; var sha = str(f[j + 1]); n = f[j + 2]; j += 3;
    for (var q = 0; q < n; q++, j += 2) per[f[j]].c.push([m, f[j + 1], sha]);
  }
  for (k = 0; k < E.length; k++) {
    var a = t[k + 1]; if (!a) continue;
    for (var p = 0, mm = 0; p < a.length; p += 2) { mm += a[p]; per[k].a.push([mm, a[p + 1]]); }
  }
  return per;
}
function time(min) { return new Date(D.t0 + min * 60000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; }
function cellOf(c) {
  var n = Array.isArray(c) ? c[0] : c;
  var marks = n & 63, desired = view(Math.floor(n / 64));
  var applied = Array.isArray(c) ? view(c[1]) : (marks & 16 ? desired : null);
  var live = Array.isArray(c) ? c.slice(2).filter(function (x) { return x >= 0; }).map(view) : (marks & 32 ? [desired] : []);
  var current = live[0] || applied || desired;
  return { desired: desired, applied: applied, live: live, current: current, pending: !!(marks & 1), drift: !!(marks & 2), licensed: !!(marks & 4), forced: !!(marks & 8) };
}
var flags = F.map(function (f, i) {
  var file = typeof f[1] === 'number' ? S[f[1]] + f[0] + '.yml' : f[1];
  var cells = f[5].map(cellOf);
  var reasons = [];
  H.forEach(function (h) { if (h[0] === i && S[h[2]] !== 'info' && reasons.indexOf(S[h[1]]) < 0) reasons.push(S[h[1]]); });
  return { i: i, name: f[0], file: file, group: str(f[2]), type: str(f[3]), managed: !!(f[4] & 1), defaultEnabled: !!(f[4] & 2), cells: cells, tl: f[6], reasons: reasons };
});

function stateOf(fl) {
  var out = {};
  fl.cells.forEach(function (c) {
    if (c.pending) out.pending = 1;
    if (c.drift) out.drift = 1;
    if (c.licensed) out.licensed = 1;
  });
  if (fl.reasons.length) out.findings = 1;
  if (!fl.managed) out.unmanaged = 1;
  else {
    var bands = fl.cells.map(function (c) { return c.current.band; });
    if (bands.every(function (b) { return b === 'on'; })) out.on = 1;
    else if (bands.every(function (b) { return b === 'off'; })) out.off = 1;
    else out.partial = 1;
  }
  return out;
}
flags.forEach(function (fl) { fl.state = stateOf(fl); });

function cellTitle(env, c) {
  var t = env + ': file ' + c.desired.label;
  if (c.applied) t += ' · applied ' + c.applied.label; else t += ' · no apply record';
  if (c.live.length) t += ' · live ' + c.live.map(function (l) { return l.label; }).join(', ');
  if (c.pending) t += ' · PENDING: the file differs from what was applied';
  if (c.drift) t += ' · DRIFT: live differs from what flagops applied';
  if (c.licensed) t += c.forced ? ' · licensed feature name (listed in force)' : ' · licensed feature name, NOT listed in force: GitLab will refuse it';
  return t;
}
function cellHtml(env, c) {
  var cls = 'c b-' + c.current.band + (c.pending ? ' pend' : '') + (c.drift ? ' drift' : '');
  var text = esc(c.current.label === 'unset' ? '–' : c.current.label);
  if (c.pending && c.desired.label !== c.current.label) text += ' <span class="to">→ ' + esc(c.desired.label === 'unset' ? 'unset' : c.desired.label) + '</span>';
  if (c.drift) text += '<i class="mk d">!</i>';
  if (c.licensed) text += '<i class="mk l' + (c.forced ? '' : ' nf') + '">L</i>';
  return '<td class="' + cls + '" data-env="' + esc(env) + '" title="' + esc(cellTitle(env, c)) + '">' + text + '</td>';
}
function rowHtml(fl) {
  var h = '<tr class="row" data-i="' + fl.i + '" data-flag="' + esc(fl.name) + '">';
  h += '<td><button class="fl" type="button" title="' + esc(fl.file) + '">' + esc(fl.name) + '</button></td>';
  h += '<td class="dim">' + esc(fl.type) + '</td><td class="dim">' + esc(fl.group.replace(/^group::/, '')) + '</td>';
  fl.cells.forEach(function (c, k) { h += cellHtml(E[k][0], c); });
  h += '<td>' + fl.reasons.map(function (r) { return '<span class="fd">' + esc(REASON[r] || r) + '</span>'; }).join('') + '</td></tr>';
  return h;
}

function header() {
  var pend = 0, drift = 0, lic = 0;
  flags.forEach(function (fl) { fl.cells.forEach(function (c) { pend += c.pending; drift += c.drift; lic += c.licensed; }); });
  var due = flags.filter(function (fl) { return fl.reasons.length; }).length;
  $('meta').textContent = 'generated ' + D.at.slice(0, 16).replace('T', ' ') + ' UTC' + (D.c ? ' at ' + D.c.slice(0, 8) : '') + ' · timelines since ' + time(0).slice(0, 10);
  $('stats').innerHTML = [
    ['', flags.length, 'flags'], ['pending', pend, 'pending', 'warn'], ['drift', drift, 'drift', 'bad'],
    ['licensed', lic, 'licensed', 'lic'], ['findings', due, 'hygiene', 'warn']
  ].map(function (s) { return '<button type="button" class="stat ' + (s[3] || '') + '" data-state="' + s[0] + '"><b>' + s[1] + '</b> ' + s[2] + '</button>'; }).join('');
  $('envs').innerHTML = '<th>flag</th><th>type</th><th>group</th>' + E.map(function (e) {
    var src = e[3] ? 'live: ' + e[3] + ' ' + e[4].slice(0, 16).replace('T', ' ') : 'live: not read';
    return '<th class="e" title="' + esc(e[1] + ' backend · records: ' + e[2] + ' · ' + src) + '">' + esc(e[0]) + '<small>' + esc(e[1]) + (e[3] === 'snapshot' ? ' · snapshot ' + esc(e[4].slice(5, 16).replace('T', ' ')) : e[3] ? ' · live' : '') + '</small></th>';
  }).join('') + '<th>hygiene</th>';
}
function options(id, values) {
  var sel = $(id);
  values.filter(function (v, k) { return v && values.indexOf(v) === k; }).sort().forEach(function (v) {
    var o = document.createElement('option'); o.value = v; o.textContent = v; sel.appendChild(o);
  });
}
function applyFilter() {
  var q = $('q').value.trim().toLowerCase(), g = $('group').value, t = $('type').value, s = $('state').value, shown = 0;
  var rows = $('rows').rows;
  for (var k = 0; k < rows.length; k++) {
    var row = rows[k];
    if (!row.classList.contains('row')) { if (k > 0) row.hidden = rows[k - 1].hidden; continue; }
    var fl = flags[+row.getAttribute('data-i')];
    var ok = (!q || fl.name.indexOf(q) >= 0) && (!g || fl.group === g) && (!t || fl.type === t) && (!s || fl.state[s]);
    row.hidden = !ok;
    if (ok) shown++;
  }
  $('count').textContent = shown + ' of ' + flags.length + ' flags';
}

var W = 760, L = 92, LANE = 16, GAP = 14;
function timelineSvg(fl) {
  var per = timelines(fl.tl), n = E.length, top = 6, h = top + n * (LANE + GAP) + 18, span = Math.max(D.t1, 1);
  var x = function (m) { return (L + (Math.min(m, span) / span) * W).toFixed(1); };
  var out = '<svg class="tl" data-flag="' + esc(fl.name) + '" width="' + (L + W + 8) + '" height="' + h + '" viewBox="0 0 ' + (L + W + 8) + ' ' + h + '" role="img" aria-label="exposure of ' + esc(fl.name) + ' over time">';
  E.forEach(function (e, k) {
    var y = top + k * (LANE + GAP) + 6, tl = per[k];
    out += '<text x="0" y="' + (y + 12) + '">' + esc(e[0]) + '</text>';
    out += '<rect class="nodata" x="' + L + '" y="' + y + '" width="' + W + '" height="' + LANE + '"><title>' + esc(e[0]) + ': no apply record</title></rect>';
    var a = tl.a;
    for (var j = 0; j < a.length; j++) {
      var from = a[j][0], to = j + 1 < a.length ? a[j + 1][0] : D.t1, v = view(a[j][1]);
      var x0 = +x(from), x1 = +x(to), wd = Math.max(x1 - x0, 1);
      out += '<rect class="seg b-' + v.band + '" data-env="' + esc(e[0]) + '" data-band="' + v.band + '" data-label="' + esc(v.label) + '" data-from="' + time(from) + '" data-to="' + time(to) + '" x="' + x0.toFixed(1) + '" y="' + y + '" width="' + wd.toFixed(1) + '" height="' + LANE + '"><title>' + esc(e[0] + ': ' + v.label + ' from ' + time(from) + (j + 1 < a.length ? ' to ' + time(to) : ' (now)')) + '</title></rect>';
      if (wd > 34) out += '<text class="lbl' + (v.band === 'off' || v.band === 'low' || v.band === 'none' || v.band === 'actors' || v.band === 'mid' ? ' k' : '') + '" x="' + (x0 + 3).toFixed(1) + '" y="' + (y + 12) + '">' + esc(v.label) + '</text>';
    }
    tl.c.forEach(function (c) {
      var cx = +x(c[0]), fv = view(c[1]);
      out += '<path class="fc" data-env="' + esc(e[0]) + '" data-label="' + esc(fv.label) + '" data-at="' + time(c[0]) + '" d="M' + (cx - 4).toFixed(1) + ' ' + (y - 6) + 'h8l-4 5z"><title>' + esc('commit ' + c[2] + ' ' + time(c[0]) + ': the file sets ' + e[0] + ' to ' + fv.label) + '</title></path>';
    });
  });
  var axisY = top + n * (LANE + GAP) + 4;
  // ticks at UTC midnights, about seven of them, labelled MM-DD
  var DAY = 1440, first = Math.ceil((D.t0 / 60000) / DAY) * DAY - D.t0 / 60000, step = Math.max(1, Math.ceil(span / DAY / 7)) * DAY;
  for (var mm = first; mm <= span; mm += step) {
    var tx = +x(mm);
    out += '<line x1="' + tx + '" y1="' + (top - 2) + '" x2="' + tx + '" y2="' + axisY + '"></line>';
    if (tx < L + W - 30) out += '<text class="ax" x="' + (tx + 2) + '" y="' + (axisY + 11) + '">' + time(mm).slice(5, 10) + '</text>';
  }
  out += '<line class="now" x1="' + x(span) + '" y1="' + (top - 2) + '" x2="' + x(span) + '" y2="' + axisY + '"></line><text class="ax" x="' + (+x(span) - 22) + '" y="' + (axisY + 11) + '">now</text>';
  return out + '</svg>';
}
function detailHtml(fl) {
  var h = '<tr class="det" data-for="' + esc(fl.name) + '"><td colspan="' + (E.length + 4) + '">';
  h += '<h3>' + esc(fl.name) + ' <span class="dim">' + esc(fl.file) + (fl.defaultEnabled ? ' · default_enabled' : '') + (fl.managed ? '' : ' · definition only (not managed)') + '</span></h3>';
  h += timelineSvg(fl);
  h += '<div class="dim">bars: exposure flagops applied (its records) · ▼ a commit of the flag file that changed the environment</div>';
  h += '<table><tr><th></th>' + E.map(function (e) { return '<th>' + esc(e[0]) + '</th>'; }).join('') + '</tr>';
  [['file', function (c) { return c.desired.label; }], ['applied', function (c) { return c.applied ? c.applied.label : '—'; }], ['live', function (c) { return c.live.length ? c.live.map(function (l) { return l.label; }).join(', ') : '—'; }]].forEach(function (r) {
    h += '<tr><th>' + r[0] + '</th>' + fl.cells.map(function (c) { return '<td>' + esc(r[1](c)) + '</td>'; }).join('') + '</tr>';
  });
  h += '</table>';
  H.forEach(function (f) { if (f[0] === fl.i) h += '<div><span class="fd">' + esc(REASON[S[f[1]]] || S[f[1]]) + '</span>' + esc(S[f[3]]) + (f[4] >= 0 ? ' <b>Next:</b> ' + esc(S[f[4]]) : '') + '</div>'; });
  return h + '</td></tr>';
}
function toggle(row) {
  var next = row.nextElementSibling;
  if (next && next.classList.contains('det')) { next.remove(); return; }
  row.insertAdjacentHTML('afterend', detailHtml(flags[+row.getAttribute('data-i')]));
}
function hygiene() {
  var rows = H.filter(function (f) { return S[f[2]] !== 'info'; });
  var notes = H.filter(function (f) { return S[f[2]] === 'info'; });
  $('hyg-count').textContent = String(rows.length);
  $('hyg').innerHTML = '<tr><th>reason</th><th>flag</th><th>finding</th><th>next step</th></tr>' + rows.map(function (f) {
    var fl = flags[f[0]];
    return '<tr><td><span class="fd">' + esc(REASON[S[f[1]]] || S[f[1]]) + '</span></td><td>' + (fl ? '<button type="button" class="fl" data-open="' + fl.i + '">' + esc(fl.name) + '</button>' : '') + '</td><td class="msg">' + esc(S[f[3]]) + '</td><td class="hint">' + esc(str(f[4])) + '</td></tr>';
  }).join('') + notes.map(function (f) { return '<tr><td class="dim">note</td><td></td><td class="msg dim" colspan="2">' + esc(S[f[3]]) + '</td></tr>'; }).join('');
}

header();
options('group', flags.map(function (f) { return f.group; }));
options('type', flags.map(function (f) { return f.type; }));
$('rows').innerHTML = flags.length ? flags.map(rowHtml).join('') : '<tr><td class="empty" colspan="' + (E.length + 4) + '">no flag files</td></tr>';
hygiene();
applyFilter();
$('rows').addEventListener('click', function (ev) {
  var b = ev.target.closest('button.fl');
  if (b) toggle(b.closest('tr'));
});
$('hyg').addEventListener('click', function (ev) {
  var b = ev.target.closest('button[data-open]');
  if (!b) return;
  var row = document.querySelector('tr.row[data-i="' + b.getAttribute('data-open') + '"]');
  $('q').value = ''; $('group').value = ''; $('type').value = ''; $('state').value = ''; applyFilter();
  if (!(row.nextElementSibling && row.nextElementSibling.classList.contains('det'))) toggle(row);
  row.scrollIntoView({ block: 'center' });
});
$('stats').addEventListener('click', function (ev) {
  var b = ev.target.closest('button[data-state]');
  if (b) { $('state').value = b.getAttribute('data-state'); applyFilter(); }
});
['q', 'group', 'type', 'state'].forEach(function (id) { $(id).addEventListener('input', applyFilter); });
// the grid's header sticks just below the filter bar, however many lines the bar wraps to (CSSOM: allowed by the CSP)
function stick() { document.documentElement.style.setProperty('--bar', document.querySelector('.bar').offsetHeight + 'px'); }
window.addEventListener('resize', stick);
stick();
document.body.setAttribute('data-ready', '1');
})();
`;
