"""The report page's inline style sheet (screen and print: A4, no navigation)."""

CSS = """
:root { --ink:#1d1d1f; --muted:#5b6168; --rule:#d5dae0; --bg:#fafbfc; --accent:#d55e00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); margin: 0; background: white; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 28px; line-height: 1.2; margin: 8px 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 10px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 6px; }
p, li { max-width: 78ch; }
.lede { font-size: 16px; color: #333; }
.meta, figcaption, .note, td.note { color: var(--muted); font-size: 12.5px; }
.headline { background: var(--bg); border: 1px solid var(--rule);
  border-left: 5px solid var(--accent);
  padding: 12px 18px; margin: 16px 0; }
.headline p { margin: 8px 0; }
.headline strong { font-size: 16px; }
table { border-collapse: collapse; margin: 10px 0 6px; font-size: 12.5px; width: 100%; }
th, td { padding: 3px 6px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; font-weight: 600; background: var(--bg); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group th { border-bottom: none; text-align: center; background: white; color: var(--muted); }
figure { margin: 18px 0 28px; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
nav ol { columns: 2; font-size: 14px; }
code, pre { font: 12.5px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: var(--bg); border: 1px solid var(--rule); padding: 10px 12px; overflow-x: auto;
  white-space: pre-wrap; }
.yes { color: #b03a00; font-weight: 600; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-before: page; }
  h2.keep { break-before: auto; }
  figure, table, .headline { break-inside: avoid; }
  tr { break-inside: avoid; }
  table { font-size: 8.5pt; }
  a { color: inherit; text-decoration: none; }
}
"""
