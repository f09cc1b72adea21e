/**
 * The page script's reading of the packed data (pack.ts): `unpack(D)` → { flags, H, view }, the flags with their
 * decoded cells and per-environment timelines, the hygiene findings with their messages put together again, and
 * the view of a view index. Plain ES2020, inlined into the page's script (page-script.ts); render-page.test.ts runs
 * it in node against the model it was packed from.
 */
import { DECODER_JS } from './codec.js';

export const UNPACK_JS = String.raw`${DECODER_JS}
function unpack(D) {
  var S = D.s, E = D.e, F = D.f;
  var BANDS = ['none', 'off', 'actors', 'low', 'mid', 'high', 'on'];
  function str(i) { return i > 0 ? S[i - 1] : ''; }
  function view(v) { return { label: D.l[v], band: BANDS[D.b[v]] }; }
  function cellOf(r) {
    var desired = r.int(), marks = r.int(), applied = marks & 1 ? desired : -1, live = marks & 2 ? [desired] : [];
    if (marks & 64) { applied = r.int() - 1; live = []; for (var n = r.int(); n > 0; n--) live.push(r.int()); }
    var d = view(desired), a = applied >= 0 ? view(applied) : null, l = live.map(view), current = l[0] || a || d;
    // 128: an unmanaged flag that nothing holds live shows as not managed
    if (marks & 128) current = { label: current.label, band: 'none' };
    return { desired: d, applied: a, live: l, current: current, pending: !!(marks & 4), drift: !!(marks & 8), licensed: !!(marks & 16), forced: !!(marks & 32) };
  }
  // per environment: a = [[minute, view]] applied, c = [[minute, view, sha]] commits of the file
  function moments(r) {
    var per = E.map(function () { return { a: [], c: [] }; }), m = 0;
    while (r.more()) {
      m += r.int();
      var kind = r.int(), sha = kind === 1 ? r.sha() : kind === 3 ? S[r.int()] : '', set = r.set(E.length);
      for (var k = 0; k < E.length; k++) if (set[k]) { var v = r.int(); if (kind === 0) per[k].a.push([m, v]); else per[k].c.push([m, v, sha]); }
    }
    return per;
  }
  var H = D.h.map(function (t) {
    var r = reader(t), h = { fl: r.int() - 1, code: S[r.int()], sev: S[r.int()], hint: str(r.int()), env: str(r.int()) }, words = [];
    while (r.more()) { var w = r.int(); words.push(w ? S[w - 1] : F[h.fl][0]); }
    h.msg = words.join(' ');
    return h;
  });
  var flags = F.map(function (f, i) {
    var r = reader(f[2]), file = typeof f[1] === 'number' ? S[f[1]] + f[0] + '.yml' : f[1];
    var group = str(r.int()), type = str(r.int()), bits = r.int();
    var cells = E.map(function () { return cellOf(r); });
    var reasons = [];
    H.forEach(function (h) { if (h.fl === i && h.sev !== 'info' && reasons.indexOf(h.code) < 0) reasons.push(h.code); });
    return { i: i, name: f[0], file: file, group: group, type: type, managed: !!(bits & 1), defaultEnabled: !!(bits & 2), cells: cells, per: moments(r), reasons: reasons };
  });
  return { flags: flags, H: H, view: view };
}`;
