/**
 * The dashboard's stylesheet, inlined in one <style> element (its hash goes into the page's CSP). Exposure bands
 * use one green ramp (more green: more users), actors-only is blue, off is grey; markers use colours the ramp does
 * not: amber for pending, red for drift, purple for licensed names.
 */
export const PAGE_STYLE = String.raw`
:root{--bg:#fff;--fg:#111827;--mute:#6b7280;--line:#e5e7eb;--head:#f9fafb;--pend:#d97706;--drift:#dc2626;--lic:#7c3aed}
*{box-sizing:border-box}
body{margin:0;font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:8px 14px;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:6px 18px;align-items:baseline}
h1{font-size:15px;margin:0}
h2{font-size:13px;margin:14px 14px 6px}
.meta{color:var(--mute)}
.stats{display:flex;gap:6px;flex-wrap:wrap}
.stat{border:1px solid var(--line);border-radius:10px;padding:1px 8px;background:var(--head);cursor:pointer;font:inherit}
.stat b{font-variant-numeric:tabular-nums}
.stat.warn b{color:var(--pend)}.stat.bad b{color:var(--drift)}.stat.lic b{color:var(--lic)}
.bar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;padding:6px 14px;border-bottom:1px solid var(--line);background:var(--head);position:sticky;top:0;z-index:3}
.bar label{color:var(--mute)}
.bar input,.bar select{font:inherit;padding:2px 4px;border:1px solid #d1d5db;border-radius:4px;background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center;margin-left:auto}
.sw{display:inline-block;min-width:34px;text-align:center;padding:0 4px;border-radius:3px;font-size:11px;position:relative}
table.grid{border-collapse:collapse;margin:0 14px 10px;font-variant-numeric:tabular-nums}
.grid th{position:sticky;top:var(--bar,33px);background:var(--head);z-index:2;text-align:left;font-weight:600;padding:3px 6px;border-bottom:1px solid #d1d5db;white-space:nowrap}
.grid th.e{text-align:center;min-width:84px}
.grid th small{display:block;font-weight:400;color:var(--mute)}
.grid td{padding:0 6px;border-bottom:1px solid var(--line);height:21px;white-space:nowrap}
.grid tr.row:hover td:not(.c){background:#eef2ff}
.fl{font:12px ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;background:none;border:0;padding:0;color:#1d4ed8;cursor:pointer;text-align:left}
.fl:hover{text-decoration:underline}
.dim{color:var(--mute)}
td.c{text-align:center;position:relative;border-left:2px solid #fff;font-size:11px;min-width:84px}
.b-none{background:#f9fafb;color:#9ca3af}
.b-off{background:#e5e7eb;color:#374151}
.b-actors{background:#bfdbfe;color:#1e3a8a}
.b-low{background:#bbf7d0;color:#14532d}
.b-mid{background:#4ade80;color:#052e16}
.b-high{background:#16a34a;color:#fff}
.b-on{background:#166534;color:#fff;font-weight:600}
svg .b-none{fill:#f3f4f6}svg .b-off{fill:#d1d5db}svg .b-actors{fill:#93c5fd}svg .b-low{fill:#86efac}svg .b-mid{fill:#4ade80}svg .b-high{fill:#16a34a}svg .b-on{fill:#166534}
td.c.pend::before,.sw.pend::before{content:"";position:absolute;right:0;top:0;border-style:solid;border-width:0 11px 11px 0;border-color:transparent var(--pend) transparent transparent}
td.c.drift,.sw.drift{outline:2px solid var(--drift);outline-offset:-2px}
.to{font-weight:400;opacity:.9}
.mk{font-style:normal;font-weight:700;margin-left:3px}
.mk.d{color:#fff;background:var(--drift);border-radius:2px;padding:0 2px}
.mk.l{color:#fff;background:var(--lic);border-radius:2px;padding:0 2px;font-size:9px;vertical-align:1px}
.mk.l.nf{background:#fff;color:var(--lic);outline:1px solid var(--lic)}
.fd{display:inline-block;border-radius:3px;padding:0 4px;margin-right:3px;font-size:10.5px;background:#fef3c7;color:#92400e;border:1px solid #fcd34d}
tr.det td{background:#fcfcfd;padding:8px 10px 10px;white-space:normal;border-bottom:2px solid #d1d5db}
.det h3{font-size:12px;margin:0 0 4px}
.det table{border-collapse:collapse;margin:6px 0}
.det table td,.det table th{border:1px solid var(--line);padding:1px 6px;height:auto;text-align:left;font-weight:400}
.tl text{font-size:10.5px;fill:#374151}
.tl .ax{fill:var(--mute)}
.tl line{stroke:#d1d5db}
.tl .fc{fill:#111827}
.tl .lbl{fill:#fff;font-size:10px;pointer-events:none}
.tl .lbl.k{fill:#111827}
.tl .nodata{fill:#fff;stroke:#e5e7eb}
.tl .now{stroke:#111827;stroke-dasharray:2 2}
.hyg{border-collapse:collapse;margin:0 14px 20px;max-width:1400px}
.hyg td,.hyg th{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
.hyg th{background:var(--head)}
.hyg td.msg{max-width:620px}
.hyg td.hint{color:#374151;max-width:420px}
.empty{padding:12px 14px;color:var(--mute)}
`;
